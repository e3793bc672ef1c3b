"""The exit code of `fix`, why it is that, what remains and what to do next.

The code is about the recipes the run chose and the checks they claim to fix: 3 an apply failed or a
re-checked finding still warns/fails; 4 a recipe refused to write (the reason is in its plan); 1 steps remain
for you (advice, a finding the recipe cannot change, you declined, or a check id you asked for has no
recipe); else 0. A failure no recipe covers (e.g. device.present on a host without a card) is listed as
remaining but does not change the code unless you asked `fix` for that id.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Optional

from mlu_doctor.errors import ExitCode
from mlu_doctor.findings import Finding, Status
from mlu_doctor.i18n import _, join_sentences
from mlu_doctor.recipes.runner import Outcome

# What a fix run did: nothing to do; only showed the plan (no terminal, no --yes); a dry run (asked, or a
# captured system); the user said no; applied. `fix --format json` prints it as "mode".
FixMode = Literal["nothing", "plan", "dry-run", "declined", "apply"]


@dataclass(frozen=True)
class Verdict:
    """Exit code, the sentence explaining it, what remains (lines), what to do next, and a one-line error."""

    code: int
    why: str
    remaining: tuple[str, ...] = ()
    next: str = ""
    error: Optional[str] = None


def standing(findings: tuple[Finding, ...]) -> bool:
    return any(f.counts and f.status >= Status.WARN for f in findings)


def left_for_user(o: Outcome) -> bool:
    """Advice remains to be followed: the recipe's findings still stand (an applied, re-checked fix makes its
    advice, e.g. the bind-mount alternative, optional)."""
    if not o.plan.advice or not standing(o.findings):
        return False
    return not (o.result is not None and o.result.ok and o.recheck and not o.still_failing)


def needs_new_shell(o: Outcome) -> bool:
    """Variables persisted by this run, or by an earlier one while this shell still lacks them."""
    return bool(o.recheck_env) or (not o.plan.steps and bool(o.plan.env) and standing(o.findings))


def no_recipe_lines(unfixable: tuple[Finding, ...], counted: bool) -> list[str]:
    """The findings no recipe covers, with their remedy."""
    lines = [_("no recipe for {id} ({status}): {remedy}", id=f.id, status=f.status.label, remedy=f.remedy
               or f.summary)
             for f in unfixable if f.counts and f.status >= Status.WARN]
    if lines and not counted:
        lines = [_("Not fixed by this run (no recipe; they do not change the exit code of fix, "
                   "`mlu-doctor check` reports them):")] + ["  " + line for line in lines]
    return lines


def judge(mode: FixMode, outcomes: list[Outcome], unfixable: tuple[Finding, ...] = (),
          requested: bool = False, captured: bool = False, reload: str = "") -> Verdict:
    """The verdict of one fix run. `requested`: the user named ids (then an id without recipe counts);
    `reload`: the command that gives the current shell the new variables."""
    remaining = tuple(no_recipe_lines(unfixable, requested))
    failed = [o for o in outcomes if o.result is not None and not o.result.ok]
    still = [(o, f) for o in outcomes for f in o.still_failing]
    refused = [(o.plan.recipe, r) for o in outcomes for r in o.plan.refused]
    left = [o.plan.recipe for o in outcomes if left_for_user(o)]
    asked = [f.id for f in unfixable if requested and f.counts and f.status >= Status.WARN]
    first_remedy = next((f.remedy or f.summary for f in unfixable if f.counts and f.status >= Status.WARN),
                        "")
    undo = _("`mlu-doctor undo` reverts what was applied.")
    if mode == "apply" and failed:
        o = failed[0]
        why = _("{recipe} failed: {error}", recipe=o.plan.recipe, error=o.result.error if o.result else "")
        return Verdict(int(ExitCode.FIX_FAILED), why, remaining,
                       join_sentences(_("Next: deal with the cause above and run the fix again."), undo), why)
    if mode == "apply" and still:
        o, f = still[0]
        why = _("after {recipe}, {id} still reports {status}: {summary}", recipe=o.plan.recipe, id=f.id,
                status=f.status.label, summary=f.summary)
        return Verdict(int(ExitCode.FIX_FAILED), why, remaining,
                       join_sentences(_("Next: {remedy}", remedy=f.remedy or _("see the plan's notes above")),
                                      undo),
                       why)
    if refused:
        recipe, reason = refused[0]
        why = _("{recipe} was not applied: {reason}", recipe=recipe, reason=reason)
        return Verdict(int(ExitCode.CANNOT_RUN), why, remaining,
                       _("Next: do the steps marked ! above yourself, or change what blocks the fix and run "
                         "it again."),
                       why)
    if mode == "declined":
        return Verdict(int(ExitCode.PROBLEMS), _("you declined; nothing was changed"), remaining,
                       _("Next: run `mlu-doctor fix --yes` to apply the plan above."))
    if mode == "plan":
        return Verdict(0, _("only the plan was shown (no terminal to ask)"), remaining,
                       _("Next: run again with --yes to apply."))
    if mode == "dry-run":
        nxt = _("Next: run `mlu-doctor fix` on that system itself.") if captured else \
            _("Next: run again without --dry-run, with --yes, to apply.")
        return Verdict(0, _("dry run: nothing was changed"), remaining, nxt)
    if left or asked:
        what = ", ".join(left + asked)
        return Verdict(int(ExitCode.PROBLEMS), _("steps remain for you: {what}", what=what), remaining,
                       _("Next: run the commands marked ! above yourself.") if left else
                       _("Next: {remedy}", remedy=first_remedy))
    applied = any(o.result is not None for o in outcomes)
    why = _("every fix applied and the checks it claims to fix pass") if applied else \
        _("nothing to fix: no warning or failure has a recipe") if not outcomes else _("already in place")
    if first_remedy:
        nxt = _("Next: {remedy}", remedy=first_remedy)
    elif reload:
        nxt = _("Next: open a new shell (or run: {command}) so the changes take effect.", command=reload)
    else:
        nxt = ""
    return Verdict(0, why, remaining, nxt)
