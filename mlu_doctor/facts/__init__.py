"""Facts, gathered once: probes (I/O) beside pure parsers, failures recorded, never raised."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Optional

from mlu_doctor import __version__
from mlu_doctor.errors import UsageError
from mlu_doctor.facts.context import ProbeContext
from mlu_doctor.facts.model import SECTIONS, Facts
from mlu_doctor.gateways.prefetch import PrefetchingSystem, PrefetchRunner
from mlu_doctor.i18n import _
from mlu_doctor.records import record

Command = tuple[Sequence[str], Optional[Mapping[str, str]]]  # argv, environment (None: the system's)


@record(frozen=True)
class Probe:
    """How one fact section is gathered: the probe, and the sections it reads from ctx.facts."""

    func: Callable[[ProbeContext], Any]
    reads: tuple[str, ...] = ()


def probes() -> dict[str, Probe]:
    """Section -> Probe, in an order where every section comes after those it reads."""
    # Imported when facts are gathered, not by everything that imports facts.model (`list`, `check --facts`).
    from mlu_doctor.facts import datasets, device, driver, env, framework, project, runtime, toolkit

    return {
        "device": Probe(device.probe),
        "driver": Probe(driver.probe, reads=("device",)),
        "env": Probe(env.probe),
        "toolkit": Probe(toolkit.probe, reads=("env",)),
        "framework": Probe(framework.probe, reads=("env",)),
        "project": Probe(project.probe, reads=("env", "framework")),
        "datasets": Probe(datasets.probe, reads=("env", "project")),
        "runtime": Probe(runtime.probe, reads=("framework",)),  # runs its command only with check --runtime
    }


def early_starts() -> dict[str, Callable[[ProbeContext], Sequence[Command]]]:
    """Section -> the commands its probe runs first. gather() starts those of the sections asked for
    together, before the other probe modules load: cnmon and the user's interpreter run meanwhile, and
    overlap each other (gateways/prefetch.py)."""
    from mlu_doctor.facts import driver, pyenv

    return {"driver": driver.early_commands, "framework": pyenv.early_commands}


def closure(sections: Iterable[str], table: Mapping[str, Probe] | None = None) -> list[str]:
    """The sections to gather, dependencies included, in a valid order."""
    table = probes() if table is None else table
    wanted: set[str] = set()

    def add(name: str) -> None:
        if name in wanted or name not in table:
            return
        for dep in table[name].reads:
            add(dep)
        wanted.add(name)

    for s in sections:
        add(s)
    return [s for s in table if s in wanted]


def run_probe(ctx: ProbeContext, name: str, probe: Probe) -> float:
    """Gather section `name` into ctx.facts, a failure recorded in facts.errors; returns the seconds taken."""
    start = time.perf_counter()
    try:
        setattr(ctx.facts, name, probe.func(ctx))
    except UsageError:  # bad input (a --python that is not Python) is the user's to fix, not a probe failure
        raise
    except Exception as exc:  # a probe bug must not stop the others
        ctx.facts.errors[name] = _("{name} probe failed: {error}", name=name,
                                   error=f"{type(exc).__name__}: {exc}")
    return round(time.perf_counter() - start, 4)


def gather(ctx: ProbeContext, sections: Iterable[str] = SECTIONS) -> Facts:
    """Run the probes for `sections` (and their dependencies) once; record failures in facts.errors."""
    facts = ctx.facts
    facts.tool_version = __version__
    sections = list(sections)
    system = ctx.system
    try:
        _start_early(ctx, sections)  # first: the probe modules' imports (~4 ms) overlap those commands
        table = probes()
        for name in closure(sections, table):
            facts.timings[name] = run_probe(ctx, name, table[name])
    finally:
        # set even if Ctrl-C hit mid-start
        early = ctx.system if isinstance(ctx.system, PrefetchingSystem) else None
        ctx.system = system
        if early is not None:
            early.runner.close(abort=sys.exc_info()[0] is not None)
    return facts


def _start_early(ctx: ProbeContext, sections: list[str]) -> None:
    """Start the first commands of the probes of `sections` (early_starts) at once, through the system's own
    runner (ctx.system becomes a PrefetchingSystem). A section gathered only as a dependency runs its command
    when its probe runs."""
    if not ctx.system.can_run:
        return
    commands: list[Command] = []
    for name, early in early_starts().items():
        try:
            commands += early(ctx) if name in sections else []
        except Exception:  # an early start is only an optimisation; the probe runs its command anyway
            continue
    if not commands:
        return
    runner = PrefetchRunner(ctx.system.run)
    ctx.system = PrefetchingSystem(ctx.system, runner)
    for argv, env in commands:
        runner.start(argv, timeout=ctx.timeout, env=env)
