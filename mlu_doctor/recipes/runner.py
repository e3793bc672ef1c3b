"""The fix runner: pick recipes for findings, plan them, apply them, re-run the checks they claim to fix."""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Optional

from mlu_doctor.config import Config
from mlu_doctor.facts.model import Facts
from mlu_doctor.findings import Finding, Report, Status
from mlu_doctor.recipes.apply import Gateways
from mlu_doctor.recipes.base import MKDIR, WRITE, ApplyResult, Plan, PlanContext, Recipe
from mlu_doctor.system import System


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
    recheck_env: tuple[tuple[str, str], ...] = ()  # variables the re-check took from a new shell's view

    @property
    def still_failing(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.recheck if f.counts and f.status >= Status.WARN)


def check_ids_for(ids: Iterable[str], recipes: Mapping[str, Recipe], check_ids: Collection[str]) -> set[str]:
    """The check ids to run for the requested recipe or check ids: each check id named, and the checks each
    named recipe claims to fix (those that exist). A check whose recipe is decided by its finding (toolkit.
    neuware -> toolkit.ld-path) counts like any other: it was dropped when another id had a fixed recipe."""
    out: set[str] = set()
    for ident in ids:
        if ident in recipes:
            out.update(c for c in recipes[ident].fixes if c in check_ids)
        else:
            out.add(ident)
    return out


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
            if rid is not None and rid in recipes:
                by_recipe.setdefault(rid, []).extend([findings[ident]] if ident in findings else [])
            elif ident in findings:
                no_recipe.append(findings[ident])
        else:
            unknown.append(ident)
    if not ids:
        for f in report.findings:
            if f.status in (Status.WARN, Status.FAIL) and f.counts:
                if f.recipe is not None and f.recipe in recipes:
                    by_recipe.setdefault(f.recipe, []).append(f)
                else:
                    no_recipe.append(f)
    chosen = tuple((recipes[r], tuple(fs)) for r, fs in by_recipe.items())
    return Selection(chosen, tuple(unknown), tuple(no_recipe))


def plan_all(selection: Selection, facts: Facts, config: Config, ctx: PlanContext) -> list[Outcome]:
    """Plan every selected recipe; the scope comes from its findings (host or container:NAME). Each plan
    sees the files as the plans before it leave them (recipes/pending.py)."""
    from mlu_doctor.recipes.pending import PendingFiles

    out = []
    pending = PendingFiles(ctx.system)
    for recipe, findings in selection.recipes:
        scope = next((f.scope for f in findings if f.scope != "host"), ctx.scope)
        view, local = scoped(facts, replace(ctx, system=pending), scope)
        plan = recipe.plan(view, config, local)
        pending.add(plan.actions)
        out.append(Outcome(plan, findings))
    return out


def scoped(facts: Facts, ctx: PlanContext, scope: str) -> tuple[Facts, PlanContext]:
    """For a container scope: the container's view of the facts (its env, framework, datasets; the host's
    cards) and its environment and working directory; host files stay readable (copy sources)."""
    if not scope.startswith("container:") or facts.container is None:
        return facts, replace(ctx, scope=scope)
    from mlu_doctor.facts.container import container_view

    c = facts.container
    environ = {"HOME": "/root", **c.env}
    return container_view(facts), replace(ctx, environ=environ, cwd=c.working_dir or "/", scope=scope)


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
              recheck: Callable[[tuple[str, ...]], Report], system: System) -> list[Outcome]:
    """Apply each plan with actions, stop after a failure, then re-run the checks of the applied recipes.

    The re-check runs in this process, but persisted variables only reach new shells: it sees the
    variables the applied plans export as a new shell gets them (by sourcing the managed env file)."""
    done: list[Outcome] = []
    failed = False
    gw.journal.declare(declared_targets(outcomes))
    for o in outcomes:
        if failed or not o.plan.actions:
            done.append(o)
            continue
        result = recipes[o.plan.recipe].apply(o.plan, gw)
        failed = not result.ok
        done.append(Outcome(o.plan, o.findings, result))
    fixes = tuple(sorted({c for o in done if o.result and o.result.ok for c in recipes[o.plan.recipe].fixes}))
    if not fixes:
        return done
    names = {k for o in done if o.result and o.result.ok for k, _v in o.plan.env}
    env = new_shell_env(names, system)
    with environ_overlay(env):
        report = recheck(fixes)
    by_id = {f.id: f for f in report.findings}
    return [Outcome(o.plan, o.findings, o.result,
                    tuple(by_id[c] for c in recipes[o.plan.recipe].fixes if c in by_id) if o.result else (),
                    tuple((k, env[k]) for k, _v in o.plan.env if k in env) if o.result else ())
            for o in done]


def declared_targets(outcomes: Iterable[Outcome]) -> list[str]:
    """Every path the plans showed they change: the journal accepts changes to these (and folders above)
    only."""
    return [s.path for o in outcomes for s in o.plan.actions if s.kind in (WRITE, MKDIR) and s.path]


NEW_SHELL = ('. "$1" >/dev/null 2>&1 || exit 97; '
             'exec "$2" -c "import json, os, sys; sys.stdout.write(json.dumps(dict(os.environ)))"')


def new_shell_env(names: Iterable[str], system: System,
                  environ: Optional[Mapping[str, str]] = None) -> dict[str, str]:
    """`names` as a new shell will have them: the managed env file sourced by sh (only when the shell
    start-up file sources it; both read through `system`). A variable the file does not deliver is left
    as it is now."""
    import json
    import sys

    from mlu_doctor.recipes.shellenv import env_file, rc_file, source_block

    names = set(names)
    environ = dict(system.environ if environ is None else environ)
    path = env_file(environ)
    if not names or not system.is_file(path) or source_block(path) not in (system.read_text(rc_file(environ))
                                                                           or ""):
        return {}
    res = system.run(["/bin/sh", "-c", NEW_SHELL, "sh", path, sys.executable], timeout=10.0, env=environ)
    try:
        seen = json.loads(res.stdout) if res.ok else {}
    except ValueError:
        seen = {}
    return {k: seen[k] for k in sorted(names) if k in seen and isinstance(seen[k], str)}
