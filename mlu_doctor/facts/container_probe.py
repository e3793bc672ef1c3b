"""Gather a container's facts: inspect, then the host's probes run unchanged on a ContainerFS, plus nodes,
cnmon and how the host's datasets reach the container. Everything is time-boxed by the probe timeout."""

from __future__ import annotations

import os
import posixpath
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from mlu_doctor.config import Config
from mlu_doctor.errors import CannotRun
from mlu_doctor.facts import probes, run_probe
from mlu_doctor.facts.container import (
    DEFAULT_PATH,
    cambricon_nodes,
    mount_for,
    nodes_from_config,
    parse_inspect,
)
from mlu_doctor.facts.container_agent import AgentError, ExecAgent
from mlu_doctor.facts.container_archive import ArchiveReader
from mlu_doctor.facts.container_fs import ContainerFS
from mlu_doctor.facts.context import ProbeContext
from mlu_doctor.facts.model import ContainerFacts, DatasetAccess, Evidence, Facts, ProjectFacts
from mlu_doctor.gateways import docker_exec
from mlu_doctor.gateways.docker_engine import gone_message, still_there
from mlu_doctor.gateways.proc import RunResult
from mlu_doctor.i18n import _
from mlu_doctor.system import READ_LIMIT, FileSource

PYTHONS = ("/torch/venv3/pytorch/bin/python", "python3", "python")
SECTIONS = ("env", "toolkit", "framework", "datasets", "runtime")


class ContainerSystem:
    """Shim until the docker transport's own System: a container's files (ContainerFS), its exec runner and
    its environment; `which` looks at the container's PATH in the container's files."""

    def __init__(self, fs: ContainerFS, run: Callable[..., RunResult], environ: Mapping[str, str],
                 can_run: bool) -> None:
        self.fs, self._run, self.environ, self.can_run, self.label = fs, run, environ, can_run, fs.label

    def read_bytes(self, path: str, limit: int = READ_LIMIT) -> bytes | None:
        return self.fs.read_bytes(path, limit)

    def read_text(self, path: str, limit: int = READ_LIMIT) -> str | None:
        return self.fs.read_text(path, limit)

    def listdir(self, path: str) -> list[str] | None:
        return self.fs.listdir(path)

    def is_dir(self, path: str) -> bool:
        return self.fs.is_dir(path)

    def is_file(self, path: str) -> bool:
        return self.fs.is_file(path)

    def exists(self, path: str) -> bool:
        return self.fs.exists(path)

    def readlink(self, path: str) -> str | None:
        return self.fs.readlink(path)

    def glob(self, pattern: str) -> list[str]:
        return self.fs.glob(pattern)

    def run(self, argv: Sequence[str], timeout: float = 3.0, env: Mapping[str, str] | None = None,
            cwd: str | None = None) -> RunResult:
        return self._run(argv, timeout=timeout, env=env, cwd=cwd)

    def candidates(self, name: str) -> list[str]:
        if "/" in name:
            return [name]
        return [posixpath.join(d, name) for d in (self.environ.get("PATH") or DEFAULT_PATH).split(":") if d.startswith("/")]

    def which(self, name: str) -> str | None:
        paths = self.candidates(name)
        self.fs.prefetch(paths)
        return next((p for p in paths if self.fs.is_file(p)), None)


def probe_container(engine: Any, name: str, host: Facts, config: Config, timeout: float,
                    host_fs: FileSource) -> ContainerFacts:
    """All facts about container `name` through the docker seam (`gateways.docker_engine`);
    raises UsageError (unknown) or CannotRun (daemon, removed mid-check)."""
    start = time.perf_counter()
    data = engine.inspect(name)
    cid = data["Id"]
    c = parse_inspect(data, _image_tags(engine, data.get("Image", "")))
    fs = ContainerFS(ArchiveReader(engine, cid, timeout), f"container {c.name}", local_mounts=_local_mounts(c))
    environ = {"PATH": DEFAULT_PATH, **c.env}
    system = ContainerSystem(fs, _runner(engine, cid, c.running), environ, can_run=c.running)
    ctx = ProbeContext(system=system, config=config, project_dir=c.working_dir or "/", cwd=c.working_dir or "/",
                       timeout=timeout, facts=Facts(target=f"container:{c.name}"))
    ctx.python = _find_python(system)
    try:
        _open_inside(c, ctx, fs, engine, cid, host, timeout)
        c.timings["setup"] = round(time.perf_counter() - start, 4)
        _run_probes(c, ctx)
        c.cnmon = system.which("cnmon") or (("/usr/bin/cnmon") if fs.exists("/usr/bin/cnmon") else None)
        c.datasets_access = dataset_access(c, fs, host, config, host_fs)
    finally:
        fs.close()
    if fs.reader.gone:
        raise CannotRun(gone_message(name))
    still_there(engine, cid, name)  # removed while we looked -> CannotRun with a clear message
    for problem in dict.fromkeys(fs.problems):
        c.errors.setdefault("files", "")
        c.errors["files"] = (c.errors["files"] + "; " if c.errors["files"] else "") + problem
    c.timings["total"] = round(time.perf_counter() - start, 4)
    return c


def _image_tags(engine: Any, image_id: str) -> list[str]:
    try:
        return list(engine.inspect_image(image_id).get("RepoTags") or [])
    except Exception:  # an image removed after the container was created
        return []


def _local_mounts(c: ContainerFacts) -> list[tuple[str, str]]:
    """Bind mounts this machine can read directly (only when the daemon is local)."""
    host = os.environ.get("DOCKER_HOST", "")
    if host and not host.startswith("unix://"):
        return []
    return [(m.destination, m.source) for m in c.mounts if m.type == "bind" and m.source and os.path.exists(m.source)]


def _runner(engine: Any, cid: str, running: bool) -> Callable[..., RunResult]:
    def run(argv: Sequence[str], timeout: float = 3.0, env: Mapping[str, str] | None = None,
            cwd: str | None = None) -> RunResult:
        if not running:
            return RunResult(tuple(argv), None, "", "", 0.0, error=_("the container is not running"))
        return docker_exec.exec_run(engine, cid, argv, timeout, env, cwd)

    return run


def _find_python(system: ContainerSystem) -> str | None:
    system.fs.prefetch([p for name in PYTHONS for p in system.candidates(name)])
    for candidate in PYTHONS:
        found = system.which(candidate)
        if found:
            return found
    return None


def _open_inside(c: ContainerFacts, ctx: ProbeContext, fs: ContainerFS, engine: Any, cid: str, host: Facts,
                 timeout: float) -> None:
    """For a running container: one exec of the agent (Python), else `ls` through exec; nodes either way."""
    host_nodes = host.device.nodes if host.device else []
    c.host_nodes = list(host_nodes)
    c.nodes, c.nodes_source = nodes_from_config(c, host_nodes), "config"
    if not c.running:
        c.exec_status = "not-running"
        return
    if ctx.python:
        try:
            agent = ExecAgent(engine, cid, ctx.python, timeout)
            fs.agent, c.exec_status = agent, "ok"
            c.python, c.python_version = agent.hello.get("python") or ctx.python, agent.hello.get("version")
            c.sys_path = list(agent.hello.get("sys_path") or [])
            c.nodes, c.nodes_source = cambricon_nodes(agent.hello.get("dev") or []), "exec"
            c.evidence.append(Evidence(f"exec {ctx.python} (agent)", f"Python {c.python_version}; /dev: {' '.join(c.nodes) or 'no Cambricon nodes'}"))
            return
        except AgentError as exc:
            c.errors["exec"] = _("{python} could not run in the container: {error}", python=ctx.python, error=exc)
    res = docker_exec.exec_run(engine, cid, ["ls", "-1A", "/dev"], timeout)
    if res.ok:
        c.exec_status = "no-python" if not ctx.python else "failed"
        c.nodes, c.nodes_source = cambricon_nodes(res.stdout.split()), "exec"
        fs.lister = _ls_lister(engine, cid, timeout)
    else:
        c.exec_status = "timeout" if res.timed_out else "no-shell"
        c.errors.setdefault("exec", _("no Python and no ls in the container ({result}); read files only",
                                        result=res.describe()))


def _ls_lister(engine: Any, cid: str, timeout: float) -> Callable[[str], list[str] | None]:
    def lister(path: str) -> list[str] | None:
        res = docker_exec.exec_run(engine, cid, ["ls", "-1A", "--", path], timeout)
        return sorted(line for line in res.stdout.splitlines() if line) if res.ok else None

    return lister


def _run_probes(c: ContainerFacts, ctx: ProbeContext) -> None:
    """The host's env, toolkit, framework and datasets probes, unchanged, on the container."""
    ctx.facts.project = ProjectFacts(dir=ctx.project_dir, cwd=ctx.cwd)  # the project is judged on the host
    table = probes()
    for name in SECTIONS:
        c.timings[name] = run_probe(ctx, name, table[name])
    f = ctx.facts
    c.env_facts, c.toolkit, c.framework, c.datasets, c.runtime = f.env, f.toolkit, f.framework, f.datasets, f.runtime
    if f.framework is not None and c.exec_status == "ok":
        f.framework.python = f.framework.python or c.python
        f.framework.python_version = f.framework.python_version or c.python_version
        f.framework.sys_path = f.framework.sys_path or list(c.sys_path)
    c.errors.update(f.errors)


def dataset_access(c: ContainerFacts, fs: FileSource, host: Facts, config: Config, host_fs: FileSource) -> list[DatasetAccess]:
    """For each dataset root named on the host: is it mounted into the container, copied in, or missing?"""
    roots: dict[str, DatasetAccess] = {}
    for r in host.datasets.roots if host.datasets else []:
        roots.setdefault(r.path, DatasetAccess(r.path, r.source, r.exists))
    for path in config.coco_roots:
        roots.setdefault(path, DatasetAccess(path, "config", host_fs.is_dir(path)))
    coco_dir = c.env.get("COCO_DIR")
    for acc in roots.values():
        mounted = mount_for(c, acc.host_path)
        if mounted:
            acc.container_path, acc.via = mounted[0], "mount"
        elif fs.is_dir(acc.host_path):
            acc.container_path, acc.via = acc.host_path, "copy"
        elif coco_dir and fs.is_dir(coco_dir):
            acc.container_path, acc.via = coco_dir, "copy"
    return list(roots.values())
