"""Replaying: a System that answers from a capture, and the facts the real probes find on it.

A question the capture holds gets the recorded answer. One it does not hold is answered from what is known
(a path absent from its folder's recorded listing does not exist), else as missing: None for reads and
listings, False for stat questions, an error for commands. Commands are never run: `run` returns the
recorded result of the same argv (and cwd), `can_run` is what the recorded system had.
"""

from __future__ import annotations

import dataclasses
import posixpath
import threading
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from mlu_doctor.capture.model import Capture, SystemCapture, norm
from mlu_doctor.config import Config
from mlu_doctor.defaults import PROBE_TIMEOUT
from mlu_doctor.facts.container_model import ContainerFacts
from mlu_doctor.facts.context import ProbeContext
from mlu_doctor.facts.model import SECTIONS, Facts, ProjectFacts
from mlu_doctor.gateways.proc import RunResult
from mlu_doctor.i18n import _
from mlu_doctor.system.files import READ_LIMIT, decode_text, glob_with

# probed inside a container (the rest is inspect)
CONTAINER_SECTIONS = ("env", "toolkit", "framework", "datasets")


class ReplaySystem:
    """A System whose every answer comes from a SystemCapture."""

    def __init__(self, rec: SystemCapture) -> None:
        self.rec = rec
        self.label, self.root, self.is_host, self.can_run = rec.label, rec.root, rec.is_host, rec.can_run
        self.environ: Mapping[str, str] = dict(rec.environ)
        self._used: set[int] = set()  # runs already replayed (the same command twice gets the next recording)
        self._lock = threading.Lock()  # early commands are replayed from threads (gateways/prefetch.py)

    def _entry(self, path: str) -> dict[str, Any]:
        return self.rec.paths.get(norm(path), {})

    def read_bytes(self, path: str, limit: int = READ_LIMIT) -> bytes | None:
        data = self.rec.data.get(norm(path))
        return None if data is None else data[:limit]

    def read_text(self, path: str, limit: int = READ_LIMIT) -> str | None:
        data = self.read_bytes(path, limit)
        return None if data is None else decode_text(data)

    def read_range(self, path: str, offset: int, length: int) -> bytes | None:
        """The recorded bytes at `offset` (a short answer where the recording ends, as at the end of a
        file)."""
        for start, data in self.rec.ranges.get(norm(path), ()):
            if start <= offset < start + len(data):
                return data[offset - start:offset - start + length]
        whole = self.rec.data.get(norm(path))
        return whole[offset:offset + length] if whole is not None and offset < len(whole) else None

    def listdir(self, path: str) -> list[str] | None:
        names = self._entry(path).get("list")
        return None if names is None else list(names)

    def is_dir(self, path: str) -> bool:
        entry = self._entry(path)
        if "dir" in entry:
            return bool(entry["dir"])
        return entry.get("list") is not None

    def is_file(self, path: str) -> bool:
        entry = self._entry(path)
        if "file" in entry:
            return bool(entry["file"])
        return self.rec.data.get(norm(path)) is not None

    def exists(self, path: str) -> bool:
        entry = self._entry(path)
        if "exists" in entry:
            return bool(entry["exists"])
        key = norm(path)
        parent = self.rec.paths.get(posixpath.dirname(key), {}).get("list")
        if parent is not None and key != "/":
            return posixpath.basename(key) in parent  # listed in its folder (or not)
        return bool(entry.get("dir") or entry.get("file") or entry.get("link")
                    or entry.get("list") is not None or self.rec.data.get(norm(path)) is not None)

    def readlink(self, path: str) -> str | None:
        link = self._entry(path).get("link")
        return link if isinstance(link, str) else None

    def glob(self, pattern: str) -> list[str]:
        return glob_with(self, pattern)

    def which(self, name: str) -> str | None:
        return self.rec.which.get(name) if self.can_run else None

    def writability(self, path: str) -> tuple[bool | None, str | None, int | None]:
        """As recorded (writable, why not, free bytes); unknown when the capture did not ask."""
        ok, why, free = self.rec.writable.get(norm(path), (None, None, None))
        return ok, why, free

    def run(self, argv: Sequence[str], timeout: float = PROBE_TIMEOUT, env: Mapping[str, str] | None = None,
            cwd: str | None = None) -> RunResult:
        """The recorded result of the same command; never runs anything."""
        argv = [str(a) for a in argv]
        with self._lock:
            found = next((i for i, run in enumerate(self.rec.runs)
                          if i not in self._used and run["argv"] == argv and run.get("cwd") == cwd), None)
            if found is not None:
                self._used.add(found)
        if found is not None:
            run = self.rec.runs[found]
            return RunResult(tuple(argv), run["returncode"], run["stdout"], run["stderr"], run["seconds"],
                             timed_out=run["timed_out"], error=run["error"])
        if not self.can_run:
            return RunResult(tuple(argv), None, "", "", 0.0,
                             error=_("not run: commands are not executed for this target"))
        return RunResult(tuple(argv), None, "", "", 0.0,
                         error=_("not in the capture (it was not run when it was recorded)"))



def context_for(rec: SystemCapture, config: Config, facts: Facts) -> ProbeContext:
    """A ProbeContext over the replayed system with the recorded interpreter, project, cwd and dataset
    roots."""
    c = rec.context
    config = dataclasses.replace(config, coco_roots=tuple(c.get("coco_roots") or ()))
    return ProbeContext(system=ReplaySystem(rec), config=config, python=c.get("python"),
                        project_dir=c.get("project_dir") or "/", cwd=c.get("cwd") or c.get("project_dir")
                        or "/", timeout=c.get("timeout") or config.timeout, facts=facts)


def replay_file(capture: str | None, facts_file: str | None, config: Config,
                sections: Iterable[str]) -> Facts:
    """Facts from `--capture FILE`, or from `--facts FILE` (a facts file, or a capture given there: the probe
    script's JSON is what users save as facts.json)."""
    from mlu_doctor.capture.archive import load_capture, looks_like_capture

    if capture or (facts_file and looks_like_capture(facts_file)):
        return replay_facts(load_capture(capture or facts_file or ""), config, sections)
    from mlu_doctor.facts.io import load_facts

    return load_facts(facts_file or "")


def replay_facts(capture: Capture, config: Config, sections: Iterable[str] = SECTIONS) -> Facts:
    """The facts the probes find on the captured host (and container): the same probes, the recorded
    answers."""
    from mlu_doctor import __version__
    from mlu_doctor.facts import gather

    host = capture.systems["host"]
    ctx = context_for(host, config, Facts(root=host.root))
    wanted = set(sections)
    if "container" in capture.systems:
        wanted |= {"device", "driver", "datasets"}  # what the container checks compare with
    facts = gather(ctx, wanted)
    facts.extra["capture"] = {"tool": capture.tool, "created": capture.created}
    inner = capture.systems.get("container")
    if inner is not None and inner.facts is not None:
        facts.container = replay_container(inner, config)
        facts.target = f"host + container:{facts.container.name}"
    facts.tool_version = __version__
    return facts


def replay_container(rec: SystemCapture, config: Config) -> ContainerFacts:
    """The container's recorded configuration (inspect) with its env, toolkit, framework and datasets
    probed again on its recorded files."""
    from mlu_doctor.facts import probes, run_probe
    from mlu_doctor.serde import SerdeError, from_data

    try:
        c: ContainerFacts = from_data(ContainerFacts, rec.facts)
    except SerdeError as exc:
        from mlu_doctor.errors import UsageError

        raise UsageError(_("invalid capture: the container's facts: {error}", error=exc)) from None
    ctx = context_for(rec, config, Facts(target=f"container:{c.name}"))
    ctx.facts.project = ProjectFacts(dir=ctx.project_dir, cwd=ctx.cwd)  # the project is judged on the host
    table = probes()
    for name in CONTAINER_SECTIONS:
        c.timings[name] = run_probe(ctx, name, table[name])
    f = ctx.facts
    c.env_facts, c.toolkit, c.framework, c.datasets = f.env, f.toolkit, f.framework, f.datasets
    if f.framework is not None and c.exec_status == "ok":
        f.framework.python = f.framework.python or c.python
        f.framework.python_version = f.framework.python_version or c.python_version
        f.framework.sys_path = f.framework.sys_path or list(c.sys_path)
    c.errors.update(f.errors)
    return c
