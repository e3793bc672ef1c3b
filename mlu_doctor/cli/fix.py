"""`mlu-doctor fix`: plan the recipes for what the checks found, confirm, apply, re-check."""

from __future__ import annotations

import sys
from typing import Optional

import typer

from mlu_doctor.cli.check import ContainerOpt, ProjectOpt, PythonOpt, RootOpt, TimeoutOpt
from mlu_doctor.cli.common import ConfigOpt, LangOpt, config_from, err, guard, setup_language
from mlu_doctor.errors import ExitCode, UsageError
from mlu_doctor.i18n import _

app = typer.Typer()


@app.command("fix")
@guard
def fix(
    ids: Optional[list[str]] = typer.Argument(None, help="Recipe or check ids (default: every warn/fail with a recipe)."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Apply without asking."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Only show the plan."),
    fmt: str = typer.Option("human", "--format", "-f", help="Output: human or json."),
    root: str = RootOpt,
    python: Optional[str] = PythonOpt,
    project: Optional[str] = ProjectOpt,
    timeout: Optional[float] = TimeoutOpt,
    container: Optional[str] = ContainerOpt,
    config: Optional[str] = ConfigOpt,
    lang: Optional[str] = LangOpt,
) -> int:
    """Fix what the checks found: show the plan, ask, apply, re-check (undo with `mlu-doctor undo`)."""
    from mlu_doctor.diagnose import Target
    from mlu_doctor.recipes.session import FixRequest, run_fix

    setup_language(lang)
    if fmt not in ("human", "json"):
        raise UsageError(_("unknown format {fmt}; choose one of: {choices}", fmt=repr(fmt), choices="human, json"))
    req = FixRequest(
        target=Target(root=root, python=python, project=project, timeout=timeout, container=container),
        config=config_from(config), ids=tuple(ids or ()), yes=yes, dry_run=dry_run, fmt=fmt,
        interactive=sys.stdin.isatty() and sys.stdout.isatty(),
    )
    return run_fix(req, confirm=_confirm, out=sys.stdout.write, log=err)


def _confirm(question: str) -> bool:
    return typer.confirm(question, default=False, err=True)


@app.command("undo")
@guard
def undo_cmd(
    ident: Optional[str] = typer.Argument(None, help="Journal id (default: the last fix not undone)."),
    last: bool = typer.Option(False, "--last", help="Undo the last fix (the default)."),
    list_: bool = typer.Option(False, "--list", help="List fix journals."),
    force: bool = typer.Option(False, "--force", help="Restore files even if they changed since the fix."),
    lang: Optional[str] = LangOpt,
) -> int:
    """Restore the files a fix changed, byte for byte, and remove the ones it created."""
    from mlu_doctor.recipes.journal import find_journal, list_journals
    from mlu_doctor.recipes.undo import undo

    setup_language(lang)
    if list_:
        if not list_journals():
            from mlu_doctor.recipes.journal import journal_root

            err(_("no fix recorded yet (journals live in {path})", path=journal_root()))
        for j in list_journals():
            paths = sorted({e["path"] for e in j.entries()})
            state = _("undone") if j.undone else _("active")
            typer.echo(f"{j.id}  {state}  {', '.join(paths)}")
        return 0
    if ident and last:
        raise UsageError(_("give a journal id or --last, not both"))
    result = undo(find_journal(ident), force=force)
    for path in result.restored:
        typer.echo(_("restored {path}", path=path))
    for line in result.skipped:
        err(_("skipped {what}", what=line))
    return 0 if result.ok else int(ExitCode.FIX_FAILED)
