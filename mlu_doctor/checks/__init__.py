"""Checks: pure functions of facts (and config) returning one finding. Registry and entry points."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable

from mlu_doctor.config import Config
from mlu_doctor.facts.model import Facts
from mlu_doctor.i18n import _
from mlu_doctor.models import Finding
from mlu_doctor.records import record as dataclass  # shared eq/repr: faster import

CheckFunc = Callable[[Facts, Config], Finding]
ENTRY_POINT_GROUP = "mlu_doctor.checks"

# Built-in check modules; each ends with a CHECKS tuple.
BUILTIN_MODULES = (
    "mlu_doctor.checks.device",
    "mlu_doctor.checks.driver",
    "mlu_doctor.checks.toolkit",
    "mlu_doctor.checks.framework",
    "mlu_doctor.checks.env",
    "mlu_doctor.checks.dataset",
    "mlu_doctor.checks.container",
    "mlu_doctor.checks.runtime",
)


@dataclass(frozen=True)
class CheckSpec:
    """A check: stable id, what it looks at, the fact sections it needs, the function."""

    id: str
    title: str
    needs: tuple[str, ...]
    func: CheckFunc
    recipe: str | None = None
    origin: str = "builtin"


def check(id: str, title: str, needs: Iterable[str], recipe: str | None = None):
    """Decorator turning `func(facts, config) -> Finding` into a CheckSpec."""

    def wrap(func: CheckFunc) -> CheckSpec:
        return CheckSpec(id=id, title=title, needs=tuple(needs), func=func, recipe=recipe)

    return wrap


def builtin_checks() -> list[CheckSpec]:
    out: list[CheckSpec] = []
    for name in BUILTIN_MODULES:
        out.extend(importlib.import_module(name).CHECKS)
    return out


def plugin_checks() -> tuple[list[CheckSpec], list[str]]:
    """Checks from the `mlu_doctor.checks` entry-point group; load problems are returned, not raised."""
    from mlu_doctor.plugins import entry_points

    found: list[CheckSpec] = []
    problems: list[str] = []
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        try:
            obj = ep.load()
            specs = obj if isinstance(obj, (list, tuple)) else [obj]
            for spec in specs:
                if not isinstance(spec, CheckSpec):
                    raise TypeError(f"{spec!r} is not a CheckSpec")
                found.append(CheckSpec(spec.id, spec.title, spec.needs, spec.func, spec.recipe, ep.value))
        except Exception as exc:
            problems.append(f"plugin {ep.name} ({ep.value}): {type(exc).__name__}: {exc}")
    return found, problems


def all_checks(plugins: bool = True) -> tuple[list[CheckSpec], list[str]]:
    checks = builtin_checks()
    problems: list[str] = []
    if plugins:
        extra, problems = plugin_checks()
        ids = {c.id for c in checks}
        for spec in extra:
            if spec.id in ids:
                problems.append(_("plugin check {id} ({origin}) ignored: id already taken", id=spec.id, origin=spec.origin))
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
