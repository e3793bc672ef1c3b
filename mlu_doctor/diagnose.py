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
from mlu_doctor.i18n import _
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
    check_target(target)
    if not os.path.isdir(target.root):
        raise UsageError(_("--root {path}: no such directory", path=target.root))
    root = os.path.abspath(target.root)
    cwd = system_path(root, os.getcwd())
    project = system_path(root, target.project) if target.project else cwd
    if target.project and not os.path.isdir(os.path.join(root, project.lstrip("/"))):
        raise UsageError(_("--project {path}: no such directory", path=target.project))
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


def check_target(target: Target) -> None:
    """Options that cannot work are usage errors, not silent fallbacks: --python, an empty --container."""
    from mlu_doctor.i18n import _

    if target.container is not None and not target.container.strip():
        raise UsageError(_("--container needs a container name or id"))
    python = target.python
    if python is None:
        return
    if not python.strip():
        raise UsageError(_("--python needs the path of a Python interpreter"))
    if os.sep not in python:
        import shutil

        if shutil.which(python) is None:
            raise UsageError(_("--python {path}: not found on PATH", path=python))
        return
    inside = os.path.join(os.path.abspath(target.root), python.lstrip(os.sep))
    path = python if os.path.exists(python) or not os.path.exists(inside) else inside
    if not os.path.exists(path):
        raise UsageError(_("--python {path}: no such file", path=python))
    if os.path.isdir(path):
        raise UsageError(_("--python {path} is a directory; give the interpreter, e.g. {path}/bin/python3",
                           path=python.rstrip(os.sep)))
    if not os.access(path, os.X_OK):
        raise UsageError(_("--python {path} is not executable", path=python))


def _container_facts(target: Target, config: Config, host: Facts, timeout: float):
    """The docker seam (the docker SDK) is imported only here: connect, then gather the container's facts.
    A daemon call may take twice the probe timeout (5 s at least) before the check gives up (exit 4)."""
    from mlu_doctor.gateways.fs import LocalRoot
    from mlu_doctor.system.container_probe import probe_container
    from mlu_doctor.system.docker import connect

    docker = connect(timeout=max(2 * timeout, 5.0))
    try:
        return probe_container(docker, target.container, host, config, timeout, LocalRoot(target.root))
    finally:
        docker.close()


def split_by_scope(checks: list[CheckSpec]) -> tuple[list[CheckSpec], list[CheckSpec]]:
    """(host checks, container checks): the environment areas run on the container side."""
    inner = [c for c in checks if c.id.split(".")[0] in CONTAINER_AREAS]
    return [c for c in checks if c not in inner], inner


def run_scoped(checks: list[CheckSpec], facts: Facts, config: Config, explicit: bool = False) -> list:
    """Host checks on the host's facts; with a container, the environment checks on the container's view."""
    if facts.container is None:
        if explicit and any(c.id.startswith("container.") for c in checks) and "container" not in facts.errors:
            from mlu_doctor.i18n import _

            facts.errors["container"] = _("no container given; use --container NAME")
        return run_checks([c for c in checks if explicit or not c.id.startswith("container.")], facts, config)
    from mlu_doctor.facts.container import container_view

    host_checks, inner = split_by_scope(checks)
    scope = f"container:{facts.container.name}"
    return run_checks(host_checks, facts, config) + run_checks(inner, container_view(facts), config, scope)


def selection_problems(checks: list[CheckSpec], only, skip) -> list[str]:
    """An --only that matches no check is a usage error (it would run nothing and pass); an unknown --skip a warning."""
    from mlu_doctor.checks import unmatched
    from mlu_doctor.i18n import _

    unknown = unmatched(checks, only)
    if unknown:
        raise UsageError(_("--only {ids}: no such check id or prefix (see mlu-doctor list)", ids=", ".join(unknown)))
    return [_("--skip {ids}: no such check id or prefix (see mlu-doctor list)", ids=", ".join(unmatched(checks, skip)))
            ] if unmatched(checks, skip) else []


def diagnose(
    target: Target, config: Config, only=(), skip=(), checks: list[CheckSpec] | None = None
) -> Report:
    """Run the selected checks against the target's facts."""
    problems: list[str] = []
    if checks is None:
        checks, problems = all_checks()
    problems += selection_problems(checks, only, skip)
    checks = select(checks, only, skip)
    facts = collect_facts(target, config, needed_sections(checks))
    findings = run_scoped(checks, facts, config, explicit=bool(only))
    meta = {"container": facts.container.name} if facts.container else {}
    return make_report(findings, facts, tool_version=__version__, plugin_problems=problems, **meta)
