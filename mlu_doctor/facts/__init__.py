"""Facts, gathered once: probes (I/O) beside pure parsers, failures recorded, never raised."""

from __future__ import annotations

import importlib
import sys
import time
from collections.abc import Iterable, Mapping
from typing import Any

from mlu_doctor import __version__
from mlu_doctor.facts.context import ProbeContext
from mlu_doctor.facts.model import SECTIONS, Facts
from mlu_doctor.gateways.prefetch import PrefetchingSystem, PrefetchRunner
from mlu_doctor.i18n import _

# section -> (module:function, sections it reads from ctx.facts)
PROBES: dict[str, tuple[str, tuple[str, ...]]] = {
    "device": ("mlu_doctor.facts.device:probe", ()),
    "driver": ("mlu_doctor.facts.driver:probe", ("device",)),
    "env": ("mlu_doctor.facts.env:probe", ()),
    "toolkit": ("mlu_doctor.facts.toolkit:probe", ("env",)),
    "framework": ("mlu_doctor.facts.framework:probe", ("env",)),
    "project": ("mlu_doctor.facts.project:probe", ("env", "framework")),
    "datasets": ("mlu_doctor.facts.datasets:probe", ("env", "project")),
}


def closure(sections: Iterable[str]) -> list[str]:
    """The sections to gather, dependencies included, in a valid order."""
    wanted: set[str] = set()

    def add(name: str) -> None:
        if name in wanted or name not in PROBES:
            return
        for dep in PROBES[name][1]:
            add(dep)
        wanted.add(name)

    for s in sections:
        add(s)
    return [s for s in _ORDER if s in wanted]


# section -> "module:function" naming the commands (argv, env) its probe runs first; gather() starts
# them together before the probes run, so cnmon and the user's interpreter overlap (gateways/prefetch.py).
EARLY: dict[str, str] = {
    "driver": "mlu_doctor.facts.driver:early_commands",
    "framework": "mlu_doctor.facts.pyenv:early_commands",
}

_ORDER = ("device", "driver", "env", "toolkit", "framework", "project", "datasets")
assert set(_ORDER) == set(SECTIONS)


def _load(ref: str) -> Any:
    module, func = ref.split(":")
    return getattr(importlib.import_module(module), func)


def gather(ctx: ProbeContext, sections: Iterable[str] = SECTIONS) -> Facts:
    """Run the probes for `sections` (and their dependencies) once; record failures in facts.errors."""
    facts = ctx.facts
    facts.tool_version = __version__
    order = closure(sections)
    system = ctx.system
    try:
        _start_early(ctx, order)
        for name in order:
            start = time.perf_counter()
            try:
                setattr(facts, name, _load(PROBES[name][0])(ctx))
            except Exception as exc:  # a probe bug must not stop the others
                facts.errors[name] = _("{name} probe failed: {error}", name=name, error=f"{type(exc).__name__}: {exc}")
            facts.timings[name] = round(time.perf_counter() - start, 4)
    finally:
        early = ctx.system if isinstance(ctx.system, PrefetchingSystem) else None  # set even if Ctrl-C hit mid-start
        ctx.system = system
        if early is not None:
            early.runner.close(abort=sys.exc_info()[0] is not None)
    return facts


def _start_early(ctx: ProbeContext, order: list[str]) -> PrefetchRunner | None:
    """Start the first command of each probe in `order` at once, through the system's own runner; None if none."""
    if not ctx.system.can_run:
        return None
    commands: list[tuple[list[str], Mapping[str, str] | None]] = []
    for name in order:
        try:
            commands += _load(EARLY[name])(ctx) if name in EARLY else []
        except Exception:  # an early start is only an optimisation; the probe runs its command anyway
            continue
    if not commands:
        return None
    runner = PrefetchRunner(ctx.system.run)
    ctx.system = PrefetchingSystem(ctx.system, runner)
    for argv, env in commands:
        runner.start(argv, timeout=ctx.timeout, env=env)
    return runner
