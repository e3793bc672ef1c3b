"""One `mlu-doctor fix` run: diagnose, choose recipes, plan, confirm, apply with a journal, re-check."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

from mlu_doctor.checks import all_checks
from mlu_doctor.config import Config
from mlu_doctor.diagnose import Target, diagnose, host_system
from mlu_doctor.errors import UsageError
from mlu_doctor.findings import Report, Status
from mlu_doctor.i18n import _
from mlu_doctor.recipes import all_recipes
from mlu_doctor.recipes.apply import Gateways
from mlu_doctor.recipes.base import PlanContext, Recipe
from mlu_doctor.recipes.journal import Journal
from mlu_doctor.recipes.render import Lines, plan_lines, render_json
from mlu_doctor.recipes.runner import Outcome, apply_all, check_ids_for, plan_all
from mlu_doctor.recipes.runner import select as select_recipes
from mlu_doctor.recipes.shellenv import env_file
from mlu_doctor.recipes.verdict import FixMode, Verdict, judge, needs_new_shell
from mlu_doctor.system.local import LocalSystem


@dataclass(frozen=True)
class FixRequest:
    target: Target
    config: Config
    ids: tuple[str, ...] = ()
    yes: bool = False
    dry_run: bool = False
    fmt: str = "human"
    interactive: bool = False


def diagnose_for_fix(req: FixRequest, recipes: dict[str, Recipe],
                     system: LocalSystem) -> tuple[Report, dict[str, str]]:
    """The check pipeline (diagnose) for the checks relevant to the request, also gathering the facts the
    candidate recipes read."""
    checks, _problems = all_checks()
    check_recipe = {c.id: c.recipe for c in checks if c.recipe}
    known = set(recipes) | {c.id for c in checks}
    unknown = [i for i in req.ids if i not in known]
    if unknown:
        raise UsageError(_("unknown recipe or check id(s): {ids} (see `mlu-doctor list`)",
                           ids=", ".join(unknown)))
    only = sorted(check_ids_for(req.ids, recipes, {c.id for c in checks})) if req.ids else []
    candidates = [recipes[i] for i in req.ids if i in recipes] if req.ids else list(recipes.values())
    candidates += [recipes[check_recipe[i]] for i in req.ids if check_recipe.get(i) in recipes]
    report = diagnose(req.target, req.config, only=only, checks=checks, system=system,
                      also={s for r in candidates for s in r.needs})
    return report, check_recipe


def decide(req: FixRequest, outcomes: list[Outcome], confirm: Callable[[str], bool],
           captured: bool = False) -> FixMode:
    """apply | dry-run (asked, or `captured`: a --root tree, not this machine) | plan (no terminal, no --yes)
    | declined | nothing."""
    if not any(o.plan.actions for o in outcomes):
        return "nothing"
    if req.dry_run or captured:
        return "dry-run"
    if req.yes:
        return "apply"
    if not req.interactive:
        return "plan"
    return "apply" if confirm(_("Apply these changes?")) else "declined"


def plan_context(system: LocalSystem) -> PlanContext:
    """Plans read the inspected System: this machine's files at --root /, the captured tree's otherwise."""
    cwd = system.system_path(os.getcwd())
    return PlanContext(environ=dict(system.environ), system=system, cwd=cwd)


def run_fix(req: FixRequest, confirm: Callable[[str], bool], out: Callable[[Lines], object],
            log: Callable[[str], None]) -> int:
    """Diagnose, plan, show, confirm, apply with a journal, re-check; returns the exit code."""
    recipes, problems = all_recipes()
    for p in problems:
        log(f"mlu-doctor: {p}")
    system = host_system(req.target)
    report, check_recipe = diagnose_for_fix(req, recipes, system)
    for p in report.meta.get("plugin_problems", ()):
        log(f"mlu-doctor: {p}")
    selection = select_recipes(report, recipes, req.ids, check_recipe)
    outcomes = plan_all(selection, report.facts, req.config, plan_context(system))
    captured = not system.is_host
    if req.fmt == "human":
        out(plan_lines(outcomes))
    mode = decide(req, outcomes, confirm, captured=captured)
    journal = None
    if mode == "apply":
        journal = Journal.open_new()
        outcomes = apply_all(outcomes, recipes, Gateways(journal),
                             lambda fixes: diagnose(req.target, req.config, only=fixes, system=system),
                             system)
        if journal.discard_if_empty():
            journal = None
    verdict = judge(mode, outcomes, selection.no_recipe, requested=bool(req.ids), captured=captured,
                    reload=f". {env_file(os.environ)}" if any(needs_new_shell(o) for o in outcomes) else "")
    if verdict.error:
        log(_("mlu-doctor: {error}", error=verdict.error))
    if req.fmt == "json":
        out([("", render_json(outcomes, mode, verdict, journal.id if journal else None))])
    else:
        out(outcome_lines(mode, outcomes, journal) + verdict_lines(verdict))
    return verdict.code


def outcome_lines(mode: FixMode, outcomes: list[Outcome], journal: Journal | None) -> Lines:
    """After an apply: what each recipe did and what the re-check found."""
    if mode != "apply":
        return []
    lines: Lines = []
    for o in outcomes:
        if o.result is None:
            continue
        if o.result.ok:
            lines.append(("green", f"{o.plan.recipe}: " + _("applied")))
        else:
            lines.append(("bold red", f"{o.plan.recipe}: " + _("FAILED: {error}", error=o.result.error)))
        for f in o.recheck:
            style = "green" if f.status < Status.WARN else "bold red"
            lines.append((style, "  " + _("re-check {id}: {status} {summary}", id=f.id, status=f.status.label,
                                          summary=f.summary)))
        if o.recheck_env:
            lines.append(("", "  " + _("(re-checked with {vars} as a new shell will have them; open a new "
                                       "shell or "
                                       "run: . {path})", vars=", ".join(k for k, _v in o.recheck_env),
                                       path=env_file(os.environ))))
    if journal is not None:
        lines.append(("", _("Changes journaled as {id}; `mlu-doctor undo` reverts them.", id=journal.id)))
    return lines


def verdict_lines(v: Verdict) -> Lines:
    """What remains, why the exit code is what it is, and what to do next (the last line)."""
    lines: Lines = [("yellow", line) for line in v.remaining]
    style = "green" if v.code == 0 else "bold red" if v.code >= 3 else "yellow"
    lines.append((style, _("exit {code}: {why}", code=v.code, why=v.why)))
    if v.next:
        lines.append(("bold", v.next))
    return lines
