"""Recording: a System wrapper that answers every question from the wrapped System and writes the answer down.

`recording()` installs it for the duration of a `with` block: every `ProbeContext` created meanwhile (the
host's in diagnose.collect_facts, the container's in the container probe) gets its System wrapped, so the
capture holds exactly what the real probes read, with no probe changed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from mlu_doctor.capture.model import Capture, SystemCapture, norm
from mlu_doctor.defaults import PROBE_TIMEOUT
from mlu_doctor.facts import context as facts_context
from mlu_doctor.facts.context import ProbeContext
from mlu_doctor.gateways.proc import RunResult
from mlu_doctor.system import System
from mlu_doctor.system.files import READ_LIMIT, decode_text, glob_with


class RecordingSystem:
    """`inner`'s answers, recorded in `rec`. Optional extras (read_range, host_path, ...) pass through."""

    def __init__(self, inner: System, rec: SystemCapture) -> None:
        self.inner, self.rec = inner, rec
        self.label, self.environ, self.can_run = inner.label, inner.environ, inner.can_run

    def read_bytes(self, path: str, limit: int = READ_LIMIT) -> bytes | None:
        data = self.inner.read_bytes(path, limit)
        self.rec.note_read(path, data, limit)
        return data

    def read_text(self, path: str, limit: int = READ_LIMIT) -> str | None:
        data = self.read_bytes(path, limit)
        return None if data is None else decode_text(data)

    def listdir(self, path: str) -> list[str] | None:
        names = self.inner.listdir(path)
        self.rec.note(path, "list", None if names is None else list(names))
        return names

    def is_dir(self, path: str) -> bool:
        return self._bool(path, "dir", self.inner.is_dir(path))

    def is_file(self, path: str) -> bool:
        return self._bool(path, "file", self.inner.is_file(path))

    def exists(self, path: str) -> bool:
        return self._bool(path, "exists", self.inner.exists(path))

    def _bool(self, path: str, key: str, answer: bool) -> bool:
        self.rec.note(path, key, bool(answer))
        return answer

    def readlink(self, path: str) -> str | None:
        target = self.inner.readlink(path)
        self.rec.note(path, "link", target)
        return target

    def glob(self, pattern: str) -> list[str]:
        return glob_with(self, pattern)  # through listdir/exists above, so the replay can expand it too

    def which(self, name: str) -> str | None:
        found = self.inner.which(name)
        self.rec.which.setdefault(name, found)
        return found

    def writability(self, path: str) -> tuple[bool | None, str | None, int | None]:
        """What facts/env.py finds out about writing at `path` on the wrapped system (a test file, free
        space)."""
        from mlu_doctor.facts.env import local_writability

        answer = local_writability(self.inner, path)
        self.rec.writable.setdefault(norm(path), list(answer))
        return answer

    def run(self, argv: Sequence[str], timeout: float = PROBE_TIMEOUT, env: Mapping[str, str] | None = None,
            cwd: str | None = None) -> RunResult:
        result = self.inner.run(argv, timeout=timeout, env=env, cwd=cwd)
        self.rec.note_run({"argv": list(result.argv or argv), "cwd": cwd, "returncode": result.returncode,
                           "stdout": result.stdout, "stderr": result.stderr,
                           "seconds": round(result.seconds, 3),
                           "timed_out": result.timed_out, "error": result.error})
        return result

    def __getattr__(self, name: str) -> Any:
        if name == "read_range":  # only when the wrapped system can: probes test for it with getattr
            inner_range = self.inner.read_range  # type: ignore[attr-defined]  # AttributeError when it cannot

            def read_range(path: str, offset: int, length: int) -> bytes | None:
                data = inner_range(path, offset, length)
                self.rec.note_range(path, offset, data)
                return data

            return read_range
        return getattr(self.inner, name)  # host_path, system_path, root, is_host: the wrapped system's


def system_record(system: System) -> SystemCapture:
    """An empty record describing `system` (label, root, whether it is this machine, environment)."""
    return SystemCapture(label=system.label, root=str(getattr(system, "root", "/")),
                         is_host=bool(getattr(system, "is_host", False)), can_run=system.can_run,
                         environ=dict(system.environ))


def context_of(ctx: ProbeContext) -> dict[str, Any]:
    """The probe inputs that are not the System: interpreter, project, cwd, timeout, dataset roots."""
    return {"python": ctx.python, "project_dir": ctx.project_dir, "cwd": ctx.cwd, "timeout": ctx.timeout,
            "coco_roots": list(ctx.config.coco_roots)}


@contextlib.contextmanager
def recording(capture: Capture) -> Iterator[Capture]:
    """Record, into `capture`, every ProbeContext created inside the block: "host" first, then "container"."""
    contexts: list[tuple[str, ProbeContext]] = []

    def observe(ctx: ProbeContext) -> None:
        name = "container" if ctx.facts.target.startswith("container:") else "host"
        if name in capture.systems:  # one record per system; a later context (a re-check) is not recorded
            return
        rec = capture.systems[name] = system_record(ctx.system)
        ctx.system = RecordingSystem(ctx.system, rec)
        contexts.append((name, ctx))

    facts_context.OBSERVERS.append(observe)
    try:
        yield capture
    finally:
        facts_context.OBSERVERS.remove(observe)
        for name, ctx in contexts:  # read at the end: the container probe sets ctx.python after creating it
            capture.systems[name].context = context_of(ctx)
