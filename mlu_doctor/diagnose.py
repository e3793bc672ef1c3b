"""The check pipeline as one call: facts (gathered or replayed) -> checks -> report."""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING

from mlu_doctor import __version__
from mlu_doctor.checks import CheckSpec, all_checks, select
from mlu_doctor.checks.runner import make_report, needed_sections, run_checks
from mlu_doctor.config import Config, unknown_acknowledged
from mlu_doctor.defaults import check_timeout
from mlu_doctor.errors import UsageError
from mlu_doctor.facts import gather
from mlu_doctor.facts.context import ProbeContext
from mlu_doctor.facts.model import SECTIONS, Facts
from mlu_doctor.findings import Report
from mlu_doctor.i18n import _
from mlu_doctor.records import record as dataclass  # shared eq/repr: faster import

if TYPE_CHECKING:
    from mlu_doctor.facts.container_model import ContainerFacts
    from mlu_doctor.system.local import LocalSystem


@dataclass(frozen=True)
class Target:
    """What to diagnose: a root (host or captured tree) or a recorded facts file."""

    root: str = "/"
    python: str | None = None
    project: str | None = None
    timeout: float | None = None
    facts_file: str | None = None
    container: str | None = None  # a container name or id: its facts are gathered too
    # a capture (tarball of `mlu-doctor capture`, JSON of the probe script) to replay
    capture: str | None = None


# Check areas that describe the Python environment: with a container they run on the container's facts.
CONTAINER_AREAS = ("framework", "toolkit", "env", "dataset", "container", "runtime")
HOST_SECTIONS_FOR_CONTAINER = {"device", "driver", "datasets"}  # host facts the container checks compare with


def host_system(target: Target) -> LocalSystem:
    """The local System of `target` (its --root); commands build it once and pass it on."""
    from mlu_doctor.system.local import open_root

    return open_root(target.root)


def collect_facts(target: Target, config: Config, sections: Iterable[str] = SECTIONS,
                  system: LocalSystem | None = None) -> Facts:
    """Gather (or replay) the facts needed for `sections` from `system` (default: the target's root)."""
    check_target(target)
    if target.capture or target.facts_file:
        from mlu_doctor.capture.replay import replay_file  # json + serde only when replaying: start-up time

        return replay_file(target.capture, target.facts_file, config, sections)
    system = system or host_system(target)
    check_python(target, system)
    cwd = system.system_path(os.getcwd())
    project = system.system_path(target.project) if target.project else cwd
    if target.project and not system.is_dir(project):
        raise UsageError(_("--project {path}: no such directory", path=target.project))
    ctx = ProbeContext(
        system=system,
        config=config,
        python=target.python,
        python_given=target.python is not None,
        project_dir=project,
        cwd=cwd if system.is_dir(cwd) else project,
        timeout=target.timeout or config.timeout,
    )
    ctx.facts.root = system.root
    if target.container:
        # --runtime runs in the container
        sections = (set(sections) - {"runtime"}) | HOST_SECTIONS_FOR_CONTAINER
    facts = gather(ctx, sections)
    if target.container:
        facts.container = _container_facts(target, config, facts, ctx.timeout, system)
        facts.target = f"host + container:{facts.container.name}"
    return facts


def check_target(target: Target) -> None:
    """Options that cannot work are usage errors, not silent fallbacks: an empty --container or --python,
    a --container with --facts, a --timeout outside (0, TIMEOUT_MAX]."""
    if target.container and target.facts_file:
        raise UsageError(_("--container and --facts cannot be combined (a facts file already holds its "
                           "container)"))
    if target.capture:
        given = [name for name, value in (("--facts", target.facts_file), ("--container", target.container),
                                          ("--python", target.python), ("--project", target.project))
                 if value is not None] + (["--root"] if target.root != "/" else [])
        if given:
            raise UsageError(_("--capture cannot be combined with {options} (the capture already holds them)",
                               options=", ".join(given)))
    if target.container is not None and not target.container.strip():
        raise UsageError(_("--container needs a container name or id"))
    if target.python is not None and not target.python.strip():
        raise UsageError(_("--python needs the path of a Python interpreter"))
    check_timeout(target.timeout)  # nan, inf, 0: every command alike


def check_python(target: Target, system: LocalSystem) -> None:
    """--python names an interpreter: on PATH, on this machine, or inside the root."""
    python = target.python
    if python is None:
        return
    if os.sep not in python:
        import shutil

        if shutil.which(python) is None:
            raise UsageError(_("--python {path}: not found on PATH", path=python))
        return
    inside = system.host_path(python)
    path = python if os.path.exists(python) or inside is None or not os.path.exists(inside) else inside
    if not os.path.exists(path):
        raise UsageError(_("--python {path}: no such file", path=python))
    if os.path.isdir(path):
        raise UsageError(_("--python {path} is a directory; give the interpreter, e.g. {path}/bin/python3",
                           path=python.rstrip(os.sep)))
    if not os.access(path, os.X_OK):
        raise UsageError(_("--python {path} is not executable", path=python))


def _container_facts(target: Target, config: Config, host: Facts, timeout: float,
                     system: LocalSystem) -> ContainerFacts:
    """The docker seam (the docker SDK) is imported only here: connect, then gather the container's facts.
    A daemon silent for timeouts.docker seconds ends the check (exit 4)."""
    from mlu_doctor.system.container_probe import probe_container
    from mlu_doctor.system.docker import connect

    assert target.container is not None
    docker = connect(timeout=config.docker_timeout)
    try:
        return probe_container(docker, target.container, host, config, timeout, system)
    finally:
        docker.close()


def split_by_scope(checks: list[CheckSpec]) -> tuple[list[CheckSpec], list[CheckSpec]]:
    """(host checks, container checks): the environment areas run on the container side."""
    inner = [c for c in checks if c.id.split(".")[0] in CONTAINER_AREAS]
    return [c for c in checks if c not in inner], inner


def run_scoped(checks: list[CheckSpec], facts: Facts, config: Config, explicit: bool = False) -> list:
    """Host checks on the host's facts; with a container, the environment checks on the container's view."""
    if facts.container is None:
        if explicit and any(c.id.startswith("container.")
                            for c in checks) and "container" not in facts.errors:
            from mlu_doctor.i18n import _

            facts.errors["container"] = _("no container given; use --container NAME")
        return run_checks([c for c in checks if explicit or not c.id.startswith("container.")], facts, config)
    from mlu_doctor.facts.container import container_view

    host_checks, inner = split_by_scope(checks)
    scope = f"container:{facts.container.name}"
    return run_checks(host_checks, facts, config) + run_checks(inner, container_view(facts), config, scope)


def selection_problems(checks: list[CheckSpec], only: Iterable[str], skip: Iterable[str]) -> list[str]:
    """An --only that matches no check is a usage error (it would run nothing and pass); an unknown --skip a
    warning."""
    from mlu_doctor.checks import unmatched
    from mlu_doctor.i18n import _

    unknown = unmatched(checks, only)
    if unknown:
        raise UsageError(_("--only {ids}: no such check id or prefix (see mlu-doctor list)",
                           ids=", ".join(unknown)))
    return [_("--skip {ids}: no such check id or prefix (see mlu-doctor list)",
              ids=", ".join(unmatched(checks, skip)))
            ] if unmatched(checks, skip) else []


def diagnose(
    target: Target, config: Config, only: Iterable[str] = (), skip: Iterable[str] = (),
    checks: list[CheckSpec] | None = None, system: LocalSystem | None = None, also: Iterable[str] = (),
) -> Report:
    """Run the selected checks against the facts of the host `system` (default: the target's root), and of
    the target's container if it names one; `also` gathers more fact sections (those fix recipes read)."""
    problems: list[str] = []
    if checks is None:
        checks, problems = all_checks()
    problems += selection_problems(checks, only, skip)
    problems += [w for w in [unknown_acknowledged(config, (c.id for c in checks))] if w]
    checks = select(checks, only, skip)
    facts = collect_facts(target, config, needed_sections(checks) | set(also), system)
    findings = run_scoped(checks, facts, config, explicit=bool(only))
    meta = {"container": facts.container.name} if facts.container else {}
    return make_report(findings, facts, tool_version=__version__, plugin_problems=problems, **meta)
