"""The fix engine: pick recipes for findings, plan them, apply them, re-run the checks they claim to fix."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Optional

from mlu_doctor.config import Config
from mlu_doctor.facts.model import Facts
from mlu_doctor.models import Finding, Report, Status
from mlu_doctor.recipes.apply import Gateways
from mlu_doctor.recipes.base import ApplyResult, Plan, PlanContext, Recipe


@dataclass(frozen=True)
class Selection:
    """Recipes to run (with the findings that named them), ids nobody knows, findings without a recipe."""

    recipes: tuple[tuple[Recipe, tuple[Finding, ...]], ...]
    unknown: tuple[str, ...] = ()
    no_recipe: tuple[Finding, ...] = ()


@dataclass(frozen=True)
class Outcome:
    """One recipe's plan, what applying it did, and the re-checked findings."""

    plan: Plan
    findings: tuple[Finding, ...] = ()
    result: Optional[ApplyResult] = None
    recheck: tuple[Finding, ...] = ()

    @property
    def still_failing(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.recheck if f.counts and f.status >= Status.WARN)


def check_ids_for(ids: Iterable[str], recipes: Mapping[str, Recipe], check_recipe: Mapping[str, str]) -> set[str]:
    """The check ids to run for the requested recipe or check ids."""
    out: set[str] = set()
    for ident in ids:
        if ident in recipes:
            out.update(recipes[ident].fixes)
        else:
            out.add(ident)
    return {c for c in out if c in check_recipe} or out


def select(report: Report, recipes: Mapping[str, Recipe], ids: Iterable[str] = (),
           check_recipe: Optional[Mapping[str, str]] = None) -> Selection:
    """Recipes for `ids` (recipe or check ids), else for every warn/fail finding that names one."""
    ids = list(ids)
    check_recipe = dict(check_recipe or {})
    by_recipe: dict[str, list[Finding]] = {}
    unknown: list[str] = []
    no_recipe: list[Finding] = []
    findings = {f.id: f for f in report.findings}
    for ident in ids:
        if ident in recipes:
            by_recipe.setdefault(ident, []).extend(findings[c] for c in recipes[ident].fixes if c in findings)
        elif ident in findings or ident in check_recipe:
            rid = (findings[ident].recipe if ident in findings else None) or check_recipe.get(ident)
            if rid in recipes:
                by_recipe.setdefault(rid, []).extend([findings[ident]] if ident in findings else [])
            elif ident in findings:
                no_recipe.append(findings[ident])
        else:
            unknown.append(ident)
    if not ids:
        for f in report.findings:
            if f.status in (Status.WARN, Status.FAIL) and f.counts:
                if f.recipe in recipes:
                    by_recipe.setdefault(f.recipe, []).append(f)
                else:
                    no_recipe.append(f)
    chosen = tuple((recipes[r], tuple(fs)) for r, fs in by_recipe.items())
    return Selection(chosen, tuple(unknown), tuple(no_recipe))


def plan_all(selection: Selection, facts: Facts, config: Config, ctx: PlanContext) -> list[Outcome]:
    """Plan every selected recipe; the scope comes from its findings (host or container:NAME)."""
    out = []
    for recipe, findings in selection.recipes:
        scope = next((f.scope for f in findings if f.scope != "host"), ctx.scope)
        local = PlanContext(ctx.environ, ctx.read, ctx.is_dir, ctx.cwd, scope, ctx.options)
        out.append(Outcome(recipe.plan(facts, config, local), findings))
    return out


@contextmanager
def environ_overlay(env: Mapping[str, str]) -> Iterator[None]:
    """Temporarily set variables in os.environ (the re-check sees what a new shell will see)."""
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def apply_all(outcomes: list[Outcome], recipes: Mapping[str, Recipe], gw: Gateways,
              recheck: Callable[[tuple[str, ...]], Report]) -> list[Outcome]:
    """Apply each plan with actions, stop after a failure, then re-run the checks of the applied recipes."""
    done: list[Outcome] = []
    env: dict[str, str] = {}
    failed = False
    for o in outcomes:
        if failed or not o.plan.actions:
            done.append(o)
            continue
        result = recipes[o.plan.recipe].apply(o.plan, gw)
        failed = not result.ok
        env.update(dict(o.plan.env))
        done.append(Outcome(o.plan, o.findings, result))
    fixes = tuple(sorted({c for o in done if o.result and o.result.ok for c in recipes[o.plan.recipe].fixes}))
    if not fixes:
        return done
    with environ_overlay(env):
        report = recheck(fixes)
    by_id = {f.id: f for f in report.findings}
    return [Outcome(o.plan, o.findings, o.result,
                    tuple(by_id[c] for c in recipes[o.plan.recipe].fixes if c in by_id) if o.result else ())
            for o in done]
