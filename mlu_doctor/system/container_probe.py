"""Gather a container's facts: inspect, then the host's probes run unchanged on a `ContainerSystem`, plus
nodes, cnmon and how the host's datasets reach the container. Everything is time-boxed by the probe
timeout."""

from __future__ import annotations

import os
import time
from typing import Any

from mlu_doctor.config import Config
from mlu_doctor.errors import CannotRun
from mlu_doctor.facts import probes, run_probe
from mlu_doctor.facts.container import cambricon_nodes, mount_for, nodes_from_config, parse_inspect
from mlu_doctor.facts.container_model import ContainerFacts, DatasetAccess
from mlu_doctor.facts.context import ProbeContext
from mlu_doctor.facts.model import Evidence, Facts, ProjectFacts
from mlu_doctor.i18n import _
from mlu_doctor.system.container import ContainerSystem
from mlu_doctor.system.container_agent import AgentError, ExecAgent
from mlu_doctor.system.docker import DaemonError, Docker
from mlu_doctor.system.files import FileSource

PYTHONS = ("/torch/venv3/pytorch/bin/python", "python3", "python")
SECTIONS = ("env", "toolkit", "framework", "datasets", "runtime")


def probe_container(docker: Docker, name: str, host: Facts, config: Config, timeout: float,
                    host_fs: FileSource) -> ContainerFacts:
    """All facts about container `name` through the docker seam; raises UsageError (unknown) or CannotRun
    (daemon unreachable; the container removed, killed or stopped while it was checked)."""
    start = time.perf_counter()
    data = docker.inspect(name)
    cid = data["Id"]
    c = parse_inspect(data, _image_tags(docker, data.get("Image", "")))
    system = ContainerSystem(docker, cid, f"container {c.name}", c.env, c.running, timeout,
                             local_mounts=_local_mounts(c, docker))
    try:
        _probe(c, system, host, config, host_fs, start)
    except CannotRun as exc:  # a broken connection: say what happened to the container, if that is why
        raise docker.fate(cid, c.name, _("checking it"), c.running, settle=1.0) or exc from None
    finally:
        system.close()
    fate = docker.fate(cid, c.name, _("checking it"), c.running)  # removed or killed meanwhile: no verdict
    if fate is not None:
        raise fate
    for problem in dict.fromkeys(system.problems):
        c.errors.setdefault("files", "")
        c.errors["files"] = (c.errors["files"] + "; " if c.errors["files"] else "") + problem
    c.timings["total"] = round(time.perf_counter() - start, 4)
    return c


def _probe(c: ContainerFacts, system: ContainerSystem, host: Facts, config: Config, host_fs: FileSource,
           start: float) -> None:
    ctx = ProbeContext(system=system, config=config, project_dir=c.working_dir or "/", cwd=c.working_dir
                       or "/", timeout=system.timeout, facts=Facts(target=f"container:{c.name}"))
    ctx.python = _find_python(system)
    _open_inside(c, system, ctx.python, host)
    c.timings["setup"] = round(time.perf_counter() - start, 4)
    _run_probes(c, ctx)
    c.cnmon = system.which("cnmon") or ("/usr/bin/cnmon" if system.exists("/usr/bin/cnmon") else None)
    c.datasets_access = dataset_access(c, system, host, config, host_fs)


def _image_tags(docker: Docker, image_id: str) -> list[str]:
    try:
        return list(docker.inspect_image(image_id).get("RepoTags") or [])
    except DaemonError:  # an image removed after the container was created
        return []


def _local_mounts(c: ContainerFacts, docker: Docker) -> list[tuple[str, str]]:
    """Bind mounts this machine can read directly (only when the daemon is local)."""
    if not docker.local:
        return []
    return [(m.destination, m.source) for m in c.mounts if m.type == "bind" and m.source
            and os.path.exists(m.source)]


def _find_python(system: ContainerSystem) -> str | None:
    system.prefetch([p for name in PYTHONS for p in system.candidates(name)])
    for candidate in PYTHONS:
        found = system.which(candidate)
        if found:
            return found
    return None


def _open_inside(c: ContainerFacts, system: ContainerSystem, python: str | None, host: Facts) -> None:
    """For a running container: one exec of the agent (Python), else `ls` through exec; nodes either way."""
    host_nodes = host.device.nodes if host.device else []
    c.host_nodes = list(host_nodes)
    c.nodes, c.nodes_source = nodes_from_config(c, host_nodes), "config"
    if not c.running:
        c.exec_status = "not-running"
        return
    if python:
        try:
            agent = ExecAgent(system.docker, system.cid, python, system.timeout)
            system.agent, c.exec_status = agent, "ok"
            c.python, c.python_version = agent.hello.get("python") or python, agent.hello.get("version")
            c.sys_path = list(agent.hello.get("sys_path") or [])
            c.nodes, c.nodes_source = cambricon_nodes(agent.hello.get("dev") or []), "exec"
            c.evidence.append(Evidence(f"exec {python} (agent)",
                                       f"Python {c.python_version}; /dev: "
                                       f"{' '.join(c.nodes) or 'no Cambricon nodes'}"))
            return
        except AgentError as exc:
            _raise_if_gone(system, c)
            c.errors["exec"] = _("{python} could not run in the container: {error}", python=python, error=exc)
    res = system.run(["ls", "-1A", "/dev"], system.timeout)
    if res.ok:
        c.exec_status = "no-python" if not python else "failed"
        c.nodes, c.nodes_source = cambricon_nodes(res.stdout.split()), "exec"
        system.lister = _ls_lister(system)
    else:
        _raise_if_gone(system, c)
        c.exec_status = "timeout" if res.timed_out else "no-shell"
        c.errors.setdefault("exec", _("no Python and no ls in the container ({result}); read files only",
                                        result=res.describe()))


def _raise_if_gone(system: ContainerSystem, c: ContainerFacts) -> None:
    """An exec that failed because the container was removed or killed meanwhile is not a finding about it."""
    fate = system.docker.fate(system.cid, c.name, _("checking it"), c.running, settle=1.0)
    if fate is not None:
        raise fate


def _ls_lister(system: ContainerSystem) -> Any:
    def lister(path: str) -> list[str] | None:
        res = system.run(["ls", "-1A", "--", path], system.timeout)
        return sorted(line for line in res.stdout.splitlines() if line) if res.ok else None

    return lister


def _run_probes(c: ContainerFacts, ctx: ProbeContext) -> None:
    """The host's env, toolkit, framework and datasets probes, unchanged, on the container."""
    ctx.facts.project = ProjectFacts(dir=ctx.project_dir, cwd=ctx.cwd)  # the project is judged on the host
    table = probes()
    for name in SECTIONS:
        c.timings[name] = run_probe(ctx, name, table[name])
    f = ctx.facts
    c.env_facts, c.toolkit, c.framework = f.env, f.toolkit, f.framework
    c.datasets, c.runtime = f.datasets, f.runtime
    if f.framework is not None and c.exec_status == "ok":
        f.framework.python = f.framework.python or c.python
        f.framework.python_version = f.framework.python_version or c.python_version
        f.framework.sys_path = f.framework.sys_path or list(c.sys_path)
    c.errors.update(f.errors)


def dataset_access(c: ContainerFacts, fs: FileSource, host: Facts, config: Config,
                   host_fs: FileSource) -> list[DatasetAccess]:
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
