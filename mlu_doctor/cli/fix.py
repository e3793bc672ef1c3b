"""`mlu-doctor fix`: plan the recipes for what the checks found, confirm, apply, re-check."""

from __future__ import annotations

import contextlib
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
from mlu_doctor.errors import CannotRun, UsageError
from mlu_doctor.i18n import _

if TYPE_CHECKING:
    from mlu_doctor.recipes.journal import Entry, Journal
    from mlu_doctor.recipes.undo import UndoVerdict

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
    fmt: str = typer.Option("human", "--format", "-f", metavar="human|json", help="Output: human or json."),
    lang: Optional[str] = LangOpt,
) -> int:
    """Undo a fix: restore the files it changed.

    Byte for byte; the files and folders it created are removed."""
    from mlu_doctor.recipes.journal import find_journal, journal_root, list_journals
    from mlu_doctor.recipes.undo import already_undone, nothing_left

    setup_language(lang)
    check_format(fmt, ("human", "json"))
    if list_:
        return list_cmd(fmt)
    if ident and last:
        raise UsageError(_("give a journal id or --last, not both"))
    journal = find_journal(ident)
    if journal is None:
        return _said(nothing_left(len(list_journals()), journal_root()), fmt, force=force, partial=partial)
    if journal.undone and ident:
        return _said(already_undone(journal.id), fmt, journal, force=force, partial=partial)
    return undo_journal(journal, force, partial, fmt)


def _said(verdict: UndoVerdict, fmt: str, journal: Journal | None = None, *, force: bool,
          partial: bool) -> int:
    """An undo with nothing to do: the sentence on stdout, or the envelope saying it."""
    from mlu_doctor.recipes.journal import JournalCorrupt
    from mlu_doctor.recipes.render import undo_envelope

    if fmt != "json":
        typer.echo(verdict.why)
        return verdict.code
    entries: list[Entry] = []
    if journal is not None:
        with contextlib.suppress(JournalCorrupt):  # undone already: its recipes are shown when readable
            entries = journal.load()
    sys.stdout.write(undo_envelope(verdict, journal, entries, force=force, partial=partial).to_json())
    return verdict.code


def undo_journal(journal: Journal, force: bool, partial: bool, fmt: str = "human") -> int:
    """Undo one journal: refuse as a whole (exit 4) when saved copies are missing, unless --partial. With
    --format json, stdout gets the envelope (a refusal's too, before its one line on stderr) and stderr the
    same lines as with human output."""
    from mlu_doctor.recipes.render import undo_envelope
    from mlu_doctor.recipes.undo import judge, missing_blobs, refusal, refused, undo

    entries = journal.load()
    missing = missing_blobs(journal, entries)
    if missing and not partial:
        verdict = refused(journal.id, len(missing), len(entries))
        if fmt == "json":
            sys.stdout.write(undo_envelope(verdict, journal, entries, refusal(journal, entries, missing),
                                           force=force, partial=partial).to_json())
        else:
            for i, e in enumerate(entries):
                typer.echo(_("cannot undo {path}: {why}", path=e.path, why=missing[i]) if i in missing else
                           _("can undo {path}", path=e.path))
        raise CannotRun(verdict.why)
    result = undo(journal, entries, force=force, skip=missing)
    verdict = judge(result)
    if fmt == "json":
        sys.stdout.write(undo_envelope(verdict, journal, entries, result, force=force,
                                       partial=partial).to_json())
    else:
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
    return verdict.code


def list_cmd(fmt: str = "human") -> int:
    """One line per journal: id, state, the paths it changed (a journal that cannot be read says why); with
    --format json the `undo --list` envelope."""
    from mlu_doctor.recipes.journal import JournalCorrupt, journal_root, list_journals
    from mlu_doctor.recipes.render import journals_envelope

    journals = list_journals()
    if not journals:
        err(_("no fix recorded yet (journals live in {path})", path=journal_root()))
    read: list[tuple[Journal, list[Entry], Optional[str]]] = []
    for j in journals:
        try:
            read.append((j, j.load(), None))
        except JournalCorrupt as exc:
            read.append((j, [], str(exc)))
    if fmt == "json":
        sys.stdout.write(journals_envelope(journal_root(), read).to_json())
        return 0
    for j, entries, error in read:
        paths = error or ", ".join(sorted({e.path for e in entries}))
        state = _("undone") if j.undone else _("active")
        typer.echo(f"{j.id}  {state}  {paths}")
    return 0
