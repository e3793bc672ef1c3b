"""The check pipeline as one call: facts (gathered or replayed) -> checks -> report."""

from __future__ import annotations

import os

from mlu_doctor import __version__
from mlu_doctor.checks import CheckSpec, all_checks, select
from mlu_doctor.config import Config
from mlu_doctor.engine import make_report, needed_sections, run_checks
from mlu_doctor.errors import UsageError
from mlu_doctor.facts import gather
from mlu_doctor.facts.context import host_context
from mlu_doctor.facts.model import SECTIONS, Facts
from mlu_doctor.models import Report
from mlu_doctor.records import record as dataclass  # shared eq/repr: faster import


@dataclass(frozen=True)
class Target:
    """What to diagnose: a root (host or captured tree) or a recorded facts file."""

    root: str = "/"
    python: str | None = None
    project: str | None = None
    timeout: float | None = None
    facts_file: str | None = None
    container: str | None = None  # a container name or id: its facts are gathered too


# Check areas that describe the Python environment: with a container they run on the container's facts.
CONTAINER_AREAS = ("framework", "toolkit", "env", "dataset", "container")
HOST_SECTIONS_FOR_CONTAINER = {"device", "driver", "datasets"}  # host facts the container checks compare with


def system_path(root: str, path: str) -> str:
    """A host path as a path of the inspected system: under --root R, `R/work/x` (or `/work/x`) is /work/x."""
    path = os.path.abspath(path)
    if root == "/":
        return path
    if path == root or path.startswith(root + os.sep):
        rel = os.path.relpath(path, root).replace(os.sep, "/")
        return "/" if rel == "." else "/" + rel
    return path


def collect_facts(target: Target, config: Config, sections=SECTIONS) -> Facts:
    """Gather (or replay) the facts needed for `sections`."""
    if target.facts_file:
        from mlu_doctor.facts.io import load_facts  # json + serde only when replaying: start-up time

        return load_facts(target.facts_file)
    if not os.path.isdir(target.root):
        raise UsageError(f"--root {target.root}: no such directory")
    root = os.path.abspath(target.root)
    cwd = system_path(root, os.getcwd())
    project = system_path(root, target.project) if target.project else cwd
    if target.project and not os.path.isdir(os.path.join(root, project.lstrip("/"))):
        raise UsageError(f"--project {target.project}: no such directory")
    ctx = host_context(
        target.root,
        config=config,
        python=target.python,
        project_dir=project,
        cwd=cwd if root == "/" or os.path.isdir(os.path.join(root, cwd.lstrip("/"))) else project,
        timeout=target.timeout or config.timeout,
    )
    ctx.facts.root = os.path.abspath(target.root)
    if target.container:
        sections = set(sections) | HOST_SECTIONS_FOR_CONTAINER
    facts = gather(ctx, sections)
    if target.container:
        facts.container = _container_facts(target, config, facts, ctx.timeout)
        facts.target = f"host + container:{facts.container.name}"
    return facts


def _container_facts(target: Target, config: Config, host: Facts, timeout: float):
    """Docker is imported only here: connect, then gather the container's facts."""
    from mlu_doctor.facts.container_probe import probe_container
    from mlu_doctor.gateways import docker_api
    from mlu_doctor.gateways.fs import LocalRoot

    client = docker_api.connect(timeout=max(timeout, 10.0))
    try:
        return probe_container(client, target.container, host, config, timeout, LocalRoot(target.root))
    finally:
        client.close()


def split_by_scope(checks: list[CheckSpec]) -> tuple[list[CheckSpec], list[CheckSpec]]:
    """(host checks, container checks): the environment areas run on the container side."""
    inner = [c for c in checks if c.id.split(".")[0] in CONTAINER_AREAS]
    return [c for c in checks if c not in inner], inner


def run_scoped(checks: list[CheckSpec], facts: Facts, config: Config, explicit: bool = False) -> list:
    """Host checks on the host's facts; with a container, the environment checks on the container's view."""
    if facts.container is None:
        return run_checks([c for c in checks if explicit or not c.id.startswith("container.")], facts, config)
    from mlu_doctor.facts.container import container_view

    host_checks, inner = split_by_scope(checks)
    scope = f"container:{facts.container.name}"
    return run_checks(host_checks, facts, config) + run_checks(inner, container_view(facts), config, scope)


def diagnose(
    target: Target, config: Config, only=(), skip=(), checks: list[CheckSpec] | None = None
) -> Report:
    """Run the selected checks against the target's facts."""
    problems: list[str] = []
    if checks is None:
        checks, problems = all_checks()
    checks = select(checks, only, skip)
    facts = collect_facts(target, config, needed_sections(checks))
    findings = run_scoped(checks, facts, config, explicit=bool(only))
    meta = {"container": facts.container.name} if facts.container else {}
    return make_report(findings, facts, tool_version=__version__, plugin_problems=problems, **meta)
