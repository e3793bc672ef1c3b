"""What is diagnosed: one `System`, a local root (`--root`, default `/`) or a container.

A System is the only way probes and recipe plans reach the inspected machine:

- files by absolute POSIX path of the inspected system. Paths resolve *inside* the system: `..` and
  absolute symlinks resolve against its root (chroot semantics) and never reach a file outside it.
  Reads are size-capped; FIFOs, sockets and devices are never opened for reading (they read as None).
  Missing, unreadable or refused -> None / False; a System never raises for a file.
- `run(argv, timeout, env, cwd)`: a command on that system, time-boxed, never raising for its failure
  (`RunResult`). `can_run` is False where commands mean nothing (a captured tree, a stopped container).
- `environ`: the environment the user's code runs with there; `which(name)` searches its PATH.

Implementations: `system.local.LocalSystem` (this machine or a tree under a root) and
`system.container.ContainerSystem` (through the docker SDK, imported only when a container is involved).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from mlu_doctor.gateways.proc import RunResult
from mlu_doctor.system.files import READ_LIMIT, FileSource

__all__ = ["READ_LIMIT", "FileSource", "System"]


class System(FileSource, Protocol):
    """The inspected system: files (resolved inside its root), commands, environment."""

    label: str  # "host", "root /tmp/x", "container web"
    environ: Mapping[str, str]
    can_run: bool

    def run(self, argv: Sequence[str], timeout: float, env: Mapping[str, str] | None = None,
            cwd: str | None = None) -> RunResult: ...

    def which(self, name: str) -> str | None: ...
