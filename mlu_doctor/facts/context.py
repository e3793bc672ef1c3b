"""What a probe may use: the files, the command runner, the environment, the config."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import field

from mlu_doctor.config import Config
from mlu_doctor.facts.model import Facts
from mlu_doctor.gateways import proc
from mlu_doctor.gateways.fs import FileSource, LocalRoot
from mlu_doctor.records import record as dataclass  # shared eq/repr: faster import


@dataclass
class ProbeContext:
    """Inputs of every probe. `facts` holds sections gathered so far (probes may read earlier ones)."""

    fs: FileSource
    run: proc.Runner = proc.run
    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    config: Config = field(default_factory=Config)
    python: str | None = None  # --python; None = find one
    project_dir: str = "."
    cwd: str = "."
    timeout: float = 3.0
    exec_allowed: bool = True  # False when replaying a capture where host commands mean nothing
    facts: Facts = field(default_factory=Facts)

    def which(self, name: str) -> str | None:
        """An executable on the inspected system's PATH (the doctor's PATH on a host)."""
        return proc.which(name, path=self.environ.get("PATH")) if self.exec_allowed else None

    def run_tool(self, argv: list[str], timeout: float | None = None) -> proc.RunResult:
        return self.run(argv, timeout=self.timeout if timeout is None else timeout)


def host_context(root: str = "/", **kw) -> ProbeContext:
    """A context for the local machine (or a captured tree under `root`)."""
    return ProbeContext(fs=LocalRoot(root), **kw)
