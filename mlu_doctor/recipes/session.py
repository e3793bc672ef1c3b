"""One `mlu-doctor fix` run: diagnose, choose recipes, plan, confirm, apply with a journal, re-check."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

from mlu_doctor.checks import all_checks
from mlu_doctor.config import Config
from mlu_doctor.diagnose import Target, diagnose, host_system
from mlu_doctor.errors import ExitCode, UsageError
from mlu_doctor.i18n import _
from mlu_doctor.models import Finding, Report, Status
from mlu_doctor.recipes import all_recipes
from mlu_doctor.recipes.apply import Gateways
from mlu_doctor.recipes.base import Recipe, local_plan_context
from mlu_doctor.recipes.journal import Journal
from mlu_doctor.recipes.render import render_human, render_json
from mlu_doctor.recipes.runner import Outcome, apply_all, check_ids_for, plan_all
from mlu_doctor.recipes.runner import select as select_recipes
from mlu_doctor.recipes.shellenv import env_file
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
        raise UsageError(_("unknown recipe or check id(s): {ids} (see `mlu-doctor list`)", ids=", ".join(unknown)))
    only = sorted(check_ids_for(req.ids, recipes, check_recipe)) if req.ids else []
    candidates = [recipes[i] for i in req.ids if i in recipes] if req.ids else list(recipes.values())
    candidates += [recipes[check_recipe[i]] for i in req.ids if check_recipe.get(i) in recipes]
    report = diagnose(req.target, req.config, only=only, checks=checks, system=system,
                      also={s for r in candidates for s in r.needs})
    return report, check_recipe


def decide(req: FixRequest, outcomes: list[Outcome], confirm: Callable[[str], bool], captured: bool = False) -> str:
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


def exit_code(mode: str, outcomes: list[Outcome], unfixable: tuple[Finding, ...] = ()) -> int:
    """3 when an apply failed or its checks still fail; 1 when steps are left for you (advice, declined,
    or a failure no recipe covers)."""
    if mode == "apply" and any((o.result and not o.result.ok) or o.still_failing for o in outcomes):
        return int(ExitCode.FIX_FAILED)
    if mode == "declined":
        return int(ExitCode.PROBLEMS)
    left = [o for o in outcomes if left_for_user(o)] + [f for f in unfixable if f.counts and f.status >= Status.FAIL]
    return int(ExitCode.PROBLEMS) if left and mode in ("apply", "nothing") else 0


def left_for_user(o: Outcome) -> bool:
    """Advice remains to be followed: the recipe's findings still stand (an applied, re-checked fix
    makes its advice, e.g. the bind-mount alternative, optional)."""
    if not o.plan.advice or not any(f.status >= Status.WARN for f in o.findings):
        return False
    return not (o.result is not None and o.result.ok and o.recheck and not o.still_failing)


def run_fix(req: FixRequest, confirm: Callable[[str], bool], out: Callable[[str], object],
            log: Callable[[str], None]) -> int:
    recipes, problems = all_recipes()
    for p in problems:
        log(f"mlu-doctor: {p}")
    system = host_system(req.target)
    report, check_recipe = diagnose_for_fix(req, recipes, system)
    for p in report.meta.get("plugin_problems", ()):
        log(f"mlu-doctor: {p}")
    selection = select_recipes(report, recipes, req.ids, check_recipe)
    outcomes = plan_all(selection, report.facts, req.config, local_plan_context())
    notes = [_("no recipe for {id} ({status}): {remedy}", id=f.id, status=f.status.label, remedy=f.remedy or f.summary)
             for f in selection.no_recipe]
    if req.fmt == "human":
        out(render_human(outcomes, notes))
    mode = decide(req, outcomes, confirm, captured=not system.is_host)
    journal = None
    if mode == "apply":
        journal = Journal.open_new()
        outcomes = apply_all(outcomes, recipes, Gateways(journal),
                             lambda fixes: diagnose(req.target, req.config, only=fixes, system=system))
    code = exit_code(mode, outcomes, selection.no_recipe)
    if req.fmt == "json":
        out(render_json(outcomes, mode, code, journal.id if journal else None, notes))
    else:
        out(summary_text(mode, outcomes, journal, captured=not system.is_host))
    return code


def summary_text(mode: str, outcomes: list[Outcome], journal: Journal | None, captured: bool = False) -> str:
    if mode == "plan":
        return _("Plan only (no terminal to ask): run again with --yes to apply.") + "\n"
    if mode == "dry-run":
        return _("Dry run: nothing was changed.") + "\n" + (_(
            "(--root inspects a captured system, so fix never applies; the plan names this machine's files)") + "\n"
            if captured else "")
    if mode == "declined":
        return _("Nothing was changed.") + "\n"
    if mode == "nothing":
        return ""
    lines = []
    for o in outcomes:
        if o.result is None:
            continue
        state = _("applied") if o.result.ok else _("FAILED: {error}", error=o.result.error)
        lines.append(f"{o.plan.recipe}: {state}")
        lines += [f"  re-check {f.id}: {f.status.label} {f.summary}" for f in o.recheck]
        if o.recheck_env:
            lines.append("  " + _("(re-checked with {vars} as a new shell will have them; open a new shell or run: . {path})",
                                  vars=", ".join(k for k, _v in o.recheck_env), path=env_file(os.environ)))
    if journal is not None and journal.entries():
        lines.append(_("Changes journaled as {id}; `mlu-doctor undo` reverts them.", id=journal.id))
    return "\n".join(lines) + "\n"
