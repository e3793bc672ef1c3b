"""The closing block of the human `check` report: why the exit code is what it is, and what to do next.

    exit 1: 1 check failed (framework.arch-match)
    Next: 1 finding has a recipe: run `mlu-doctor fix env.torch-home`
    Then by hand (no recipe): framework.arch-match: follow its fix: line above

Shown only when a finding warns, fails or crashed; acknowledged findings are never asked for.
"""

from __future__ import annotations

from typing import Optional

from mlu_doctor.findings import Finding, Report, Status
from mlu_doctor.i18n import N_, _
from mlu_doctor.report.info import threshold

IDS_SHOWN = 4  # ids named in one sentence; more read "(+N)"
# the target options of `mlu-doctor fix`; None: the report replays a capture
FixArgs = Optional[tuple[str, ...]]


def _ids(findings: list[Finding]) -> str:
    ids = list(dict.fromkeys(f.id for f in findings))
    more = len(ids) - IDS_SHOWN
    return ", ".join(ids[:IDS_SHOWN]) + (f" (+{more})" if more > 0 else "")


def _worst_first(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: -f.status)


def _counted(findings: list[Finding], status: Status, one: str, many: str) -> str:
    """'1 check failed (a)' / '3 checks failed (a, b, c)' for the findings of `status`."""
    chosen = [f for f in findings if f.status == status]
    if not chosen:
        return ""
    return _(one, ids=_ids(chosen)) if len(chosen) == 1 else _(many, n=len(chosen), ids=_ids(chosen))


def exit_line(report: Report, fail_on: Status | str | None = None) -> str:
    """`exit N: why`, with N the code `check` returns for this report at this threshold."""
    failing = report.failing(threshold(fail_on))
    if failing:
        parts = [
            _counted(failing, Status.ERROR, N_("1 check crashed ({ids})"), N_("{n} checks crashed ({ids})")),
            _counted(failing, Status.FAIL, N_("1 check failed ({ids})"), N_("{n} checks failed ({ids})")),
            _counted(failing, Status.WARN,
                     N_("1 check warned ({ids}) and warnings count (--strict or --fail-on warn)"),
                     N_("{n} checks warned ({ids}) and warnings count (--strict or --fail-on warn)")),
        ]
        return _("exit {code}: {why}", code=1, why="; ".join(p for p in parts if p))
    if any(f.counts and f.status >= Status.WARN for f in report.findings):
        return _("exit {code}: {why}", code=0, why=_("warnings only (use --strict to fail on them)"))
    acked = [f for f in report.findings if not f.counts and f.status >= Status.WARN]
    return _("exit {code}: {why}", code=0,
             why=_("only acknowledged findings ({ids}), which never fail the run", ids=_ids(acked)))


def _fix_command(recipes: list[str], fix_args: FixArgs, container: str | None) -> str:
    import shlex  # ~1 ms: only when a finding has a recipe

    args = list(fix_args) if fix_args is not None else (["--container", container] if container else [])
    return " ".join(shlex.quote(a) for a in ["mlu-doctor", "fix", *args, *recipes])


def _recipe_line(with_recipe: list[Finding], fix_args: FixArgs, container: str | None) -> str:
    recipes = list(dict.fromkeys(str(f.recipe) for f in with_recipe))
    command = _fix_command(recipes, fix_args, container)
    if fix_args is None:  # a capture or facts file: fix runs on the system itself
        if len(with_recipe) == 1:
            return _("Next: 1 finding has a recipe: on the system this report came from, run `{command}`",
                     command=command)
        return _("Next: {n} findings have recipes: on the system this report came from, run `{command}`",
                 n=len(with_recipe), command=command)
    if len(with_recipe) == 1:
        return _("Next: 1 finding has a recipe: run `{command}`", command=command)
    return _("Next: {n} findings have recipes: run `{command}`", n=len(with_recipe), command=command)


def _manual_line(manual: list[Finding], after_recipes: bool) -> str:
    """The steps no recipe covers: the one step itself, or the ids whose fix: lines to follow."""
    if len(manual) == 1 and not after_recipes:
        f = manual[0]
        if f.remedy:
            return _("Next ({id}): {remedy}", id=f.id, remedy=f.remedy)
        if f.status == Status.ERROR:
            return _("Next: {id} crashed (a bug in the check): run again with -v and report the traceback",
                     id=f.id)
        return _("Next: run again with -v to see the details and evidence of {id}", id=f.id)
    if after_recipes:
        if len(manual) == 1:
            return _("Then by hand (no recipe): {ids}: follow its fix: line above", ids=_ids(manual))
        return _("Then by hand (no recipe): {ids}: follow their fix: lines above", ids=_ids(manual))
    return _("Next: no recipe covers these; follow their fix: lines above, worst first: {ids}",
             ids=_ids(manual))


def next_lines(report: Report, fix_args: FixArgs = ()) -> list[str]:
    """What to do about the findings that warn, fail or crashed (not acknowledged): the recipe command, then
    what no recipe covers."""
    problems = _worst_first([f for f in report.findings if f.counts and f.status >= Status.WARN])
    with_recipe = [f for f in problems if f.recipe]
    manual = [f for f in problems if not f.recipe]
    lines = [_recipe_line(with_recipe, fix_args, report.meta.get("container"))] if with_recipe else []
    if manual:
        lines.append(_manual_line(manual, after_recipes=bool(with_recipe)))
    return lines


def closing_lines(report: Report, fail_on: Status | str | None = None,
                  fix_args: FixArgs = ()) -> list[tuple[str, str]]:
    """(rich style, text): the exit line and the next steps, or nothing when no finding warns, fails or
    crashed."""
    if not any(f.status >= Status.WARN for f in report.findings):
        return []
    code_style = "yellow" if report.failing(threshold(fail_on)) else "green"
    return [(code_style, exit_line(report, fail_on)),
            *(("bold", line) for line in next_lines(report, fix_args))]
