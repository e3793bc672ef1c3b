"""Checks: pure functions of facts (and config) returning one finding. Registry and entry points."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable

from mlu_doctor.config import Config
from mlu_doctor.facts.model import Facts
from mlu_doctor.findings import Finding
from mlu_doctor.i18n import _
from mlu_doctor.plugins import CHECKS_GROUP, declared, load_declared
from mlu_doctor.records import record as dataclass  # shared eq/repr: faster import

CheckFunc = Callable[[Facts, Config], Finding]


@dataclass(frozen=True)
class CheckSpec:
    """A check: stable id, what it looks at, the fact sections it needs, the function."""

    id: str
    title: str
    needs: tuple[str, ...]
    func: CheckFunc
    recipe: str | None = None
    origin: str = "builtin"


def check(id: str, title: str, needs: Iterable[str], recipe: str | None = None) -> Callable[[CheckFunc],
                                                                                            CheckSpec]:
    """Decorator turning `func(facts, config) -> Finding` into a CheckSpec.

    The runner (checks/runner.py) calls `func` only when every section in `needs` is gathered, so a check
    narrows the Optional sections it reads with `assert facts.<section> is not None` (a wrong `needs` then
    shows as a crashed check, not a silent skip)."""

    def wrap(func: CheckFunc) -> CheckSpec:
        return CheckSpec(id=id, title=title, needs=tuple(needs), func=func, recipe=recipe)

    return wrap


def builtin_checks() -> list[CheckSpec]:
    """The checks that ship with mlu-doctor, in report order: the CHECKS tuple of each area module."""
    # Imported here, not at the top: each area module imports `check` from this package.
    from mlu_doctor.checks import container, dataset, device, driver, env, framework, runtime, toolkit

    areas = (device, driver, toolkit, framework, env, dataset, container, runtime)
    return [spec for area in areas for spec in area.CHECKS]


def plugin_checks() -> tuple[list[CheckSpec], list[str]]:
    """Checks of the installed plugins (plugin_contract.CHECK_PLUGINS), each marked with its entry point."""
    if not declared(CHECKS_GROUP):  # no plugin check installed (most runs)
        return [], []
    from mlu_doctor.plugin_contract import CHECK_PLUGINS  # past the gate: its records are start-up time

    loaded, problems = load_declared(CHECK_PLUGINS)
    return [dataclasses.replace(p.item, origin=p.origin) for p in loaded], problems


def all_checks(plugins: bool = True) -> tuple[list[CheckSpec], list[str]]:
    """The built-in checks, then the plugins' (a plugin may not take a built-in id), and plugin problems."""
    checks = builtin_checks()
    problems: list[str] = []
    if plugins:
        extra, problems = plugin_checks()
        ids = {c.id for c in checks}
        for spec in extra:
            if spec.id in ids:
                problems.append(_("plugin check {id} ({origin}) ignored: id already taken", id=spec.id,
                                  origin=spec.origin))
            else:
                checks.append(spec)
                ids.add(spec.id)
    return checks, problems


def select(checks: list[CheckSpec], only: Iterable[str] = (), skip: Iterable[str] = ()) -> list[CheckSpec]:
    """Filter by ids or prefixes (`env.` or `env` matches env.torch-home); `a,b` lists several."""
    only = [p.strip() for item in only for p in item.split(",") if p.strip()]
    skip = [p.strip() for item in skip for p in item.split(",") if p.strip()]

    def match(cid: str, pats: list[str]) -> bool:
        return any(cid == p or cid.startswith(p if p.endswith(".") else p + ".") for p in pats)

    return [c for c in checks if (not only or match(c.id, only)) and not match(c.id, skip)]


def unmatched(checks: list[CheckSpec], patterns: Iterable[str]) -> list[str]:
    """The ids or prefixes in `patterns` (as given to --only/--skip) that match none of `checks`."""
    pats = [p.strip() for item in patterns for p in item.split(",") if p.strip()]
    return [p for p in pats if not select(checks, only=[p])]
