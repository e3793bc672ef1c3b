"""`mlu-doctor fix`: plan the recipes for what the checks found, confirm, apply, re-check."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Optional

import typer

from mlu_doctor.cli.check import ContainerOpt, ProjectOpt, PythonOpt, RootOpt, TimeoutOpt
from mlu_doctor.cli.common import (
    ConfigOpt,
    LangOpt,
    check_format,
    config_from,
    err,
    guard,
    setup_language,
    split_list,
)
from mlu_doctor.errors import CannotRun, ExitCode, UsageError
from mlu_doctor.i18n import _

if TYPE_CHECKING:
    from mlu_doctor.recipes.journal import Journal

app = typer.Typer()


@app.command("fix")
@guard
def fix(
    ids: Optional[list[str]] = typer.Argument(None, metavar="[ID]...", show_default=False,
                                              help="Recipe or check ids, also as comma lists (default: every "
                                                   "warn/fail with a recipe)."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Apply without asking."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Only show the plan."),
    fmt: str = typer.Option("human", "--format", "-f", metavar="human|json", help="Output: human or json."),
    root: str = RootOpt,
    python: Optional[str] = PythonOpt,
    project: Optional[str] = ProjectOpt,
    timeout: Optional[float] = TimeoutOpt,
    container: Optional[str] = ContainerOpt,
    config: Optional[str] = ConfigOpt,
    lang: Optional[str] = LangOpt,
) -> int:
    """Fix what the checks found: plan, ask, apply, re-check.

    Asks before applying (default no); re-runs the checks each recipe claims to fix.
    Undo with `mlu-doctor undo`."""
    from mlu_doctor.diagnose import Target
    from mlu_doctor.recipes.render import write_lines
    from mlu_doctor.recipes.session import FixRequest, run_fix

    setup_language(lang)
    check_format(fmt, ("human", "json"))
    req = FixRequest(
        target=Target(root=root, python=python, project=project, timeout=timeout, container=container),
        config=config_from(config), ids=tuple(split_list(ids)), yes=yes, dry_run=dry_run, fmt=fmt,
        interactive=sys.stdin.isatty() and sys.stdout.isatty(),
    )
    return run_fix(req, confirm=_confirm, out=lambda lines: write_lines(lines, sys.stdout), log=err)


def _confirm(question: str) -> bool:
    return typer.confirm(question, default=False, err=True)


@app.command("undo")
@guard
def undo_cmd(
    ident: Optional[str] = typer.Argument(None, metavar="[ID]",
                                          help="Journal id (default: the last fix not undone)."),
    last: bool = typer.Option(False, "--last", help="Undo the last fix (the default)."),
    list_: bool = typer.Option(False, "--list", help="List fix journals."),
    force: bool = typer.Option(False, "--force", help="Restore files even if they changed since the fix."),
    partial: bool = typer.Option(False, "--partial",
                                 help="Undo what can be undone when some saved copies are missing."),
    lang: Optional[str] = LangOpt,
) -> int:
    """Undo a fix: restore the files it changed.

    Byte for byte; the files and folders it created are removed."""
    from mlu_doctor.recipes.journal import find_journal, journal_root, list_journals

    setup_language(lang)
    if list_:
        return list_cmd()
    if ident and last:
        raise UsageError(_("give a journal id or --last, not both"))
    journal = find_journal(ident)
    if journal is None:
        n = len(list_journals())
        typer.echo(_("everything is already undone ({n} fix journal(s) under {path}; `mlu-doctor undo "
                     "--list` shows them)", n=n, path=journal_root()))
        return 0
    if journal.undone and ident:
        typer.echo(_("journal {id} is already undone", id=journal.id))
        return 0
    return undo_journal(journal, force, partial)


def undo_journal(journal: Journal, force: bool, partial: bool) -> int:
    """Undo one journal: refuse as a whole (exit 4) when saved copies are missing, unless --partial."""
    from mlu_doctor.recipes.undo import missing_blobs, undo

    entries = journal.load()
    missing = missing_blobs(journal, entries)
    if missing and not partial:
        for i, e in enumerate(entries):
            typer.echo(_("cannot undo {path}: {why}", path=e.path, why=missing[i]) if i in missing else
                       _("can undo {path}", path=e.path))
        raise CannotRun(_("journal {id}: {n} of {total} change(s) cannot be undone (listed above); nothing "
                          "was "
                          "changed. `mlu-doctor undo {id} --partial` undoes the other {rest}.", id=journal.id,
                          n=len(missing), total=len(entries), rest=len(entries) - len(missing)))
    result = undo(journal, entries, force=force, skip=missing)
    for path in result.restored:
        typer.echo(_("restored {path}", path=path))
    for path in result.removed:
        typer.echo(_("removed {path}", path=path))
    for path in result.unchanged:
        typer.echo(_("{path}: already as before the fix", path=path))
    for line in result.skipped:
        err(_("skipped {what}", what=line))
    if not result.ok:
        err(_("mlu-doctor: journal {id} is only partly undone ({n} change(s) skipped, listed above)",
              id=journal.id, n=len(result.skipped)))
    return 0 if result.ok else int(ExitCode.FIX_FAILED)


def list_cmd() -> int:
    """One line per journal: id, state, the paths it changed (a journal that cannot be read says why)."""
    from mlu_doctor.recipes.journal import JournalCorrupt, journal_root, list_journals

    journals = list_journals()
    if not journals:
        err(_("no fix recorded yet (journals live in {path})", path=journal_root()))
    for j in journals:
        try:
            paths = ", ".join(sorted({e.path for e in j.load()}))
        except JournalCorrupt as exc:
            paths = str(exc)
        state = _("undone") if j.undone else _("active")
        typer.echo(f"{j.id}  {state}  {paths}")
    return 0
