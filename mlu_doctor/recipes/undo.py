"""`mlu-doctor undo`: replay a fix journal backwards, restoring files byte for byte.

Every path comes from the journal (data), so each is checked on load (see journal.py) and reached without
following symlinks (safefs): a file that became a symlink since the fix is skipped, never written through.
Before anything changes, every entry is checked for the saved bytes it needs; when some are missing the
whole undo stops unless `partial` is asked for, so it never half-undoes silently.
"""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass
from typing import Final, Literal, Optional, get_args

from mlu_doctor.errors import ExitCode
from mlu_doctor.i18n import _
from mlu_doctor.recipes.journal import BLOB_LIMIT, Entry, Journal, sha
from mlu_doctor.recipes.safefs import Refused, folder, read_at, remove_at, replace_at, rmdir_at

# What undo did with one journaled change (the JSON's `action`; never translated): old bytes and mode back; a
# file or folder the fix created removed; already as before the fix; skipped (a `reason` says why); not
# undone because the undo was refused as a whole (what --partial would undo).
UndoAction = Literal["restored", "removed", "unchanged", "skipped", "pending"]
ACTIONS: tuple[UndoAction, ...] = get_args(UndoAction)
RESTORED: Final = "restored"
REMOVED: Final = "removed"
UNCHANGED: Final = "unchanged"
SKIPPED: Final = "skipped"
PENDING: Final = "pending"
# Why a change was skipped (the JSON's `reason`; never translated); "" when it was not.
SkipReason = Literal["", "changed-since-fix", "missing-copy", "folder-gone", "not-empty", "refused", "error"]
CHANGED: Final = "changed-since-fix"  # edited since the fix: kept unless --force
MISSING_COPY: Final = "missing-copy"  # the saved bytes to restore are missing or damaged
FOLDER_GONE: Final = "folder-gone"  # the folder holding the file is gone
NOT_EMPTY: Final = "not-empty"  # a folder the fix created now holds something else: left in place
REFUSED: Final = "refused"  # safefs refused the path (e.g. it became a symlink): never written through
ERROR: Final = "error"  # the system refused the change (permission, I/O)


@dataclass(frozen=True)
class Change:
    """One journaled change and what undo did with it: `action` and, when skipped, `reason` and `detail`, the
    sentence the human output shows."""

    entry: Entry
    action: UndoAction
    reason: SkipReason = ""
    detail: str = ""

    @property
    def shown(self) -> str:
        """The path as the human output names it (a symlink the user named is kept, its target restored)."""
        e = self.entry
        return _("{link} -> {path} (symlink kept)", link=e.link, path=e.path) if e.link else e.path


@dataclass(frozen=True)
class UndoResult:
    """What undo did with every change of one journal, in the journal's order (undo runs newest first)."""

    journal: str
    changes: tuple[Change, ...] = ()

    def _shown(self, action: UndoAction) -> tuple[str, ...]:
        return tuple(c.shown for c in reversed(self.changes) if c.action == action)

    @property
    def restored(self) -> tuple[str, ...]:
        return self._shown(RESTORED)

    @property
    def removed(self) -> tuple[str, ...]:
        return self._shown(REMOVED)

    @property
    def unchanged(self) -> tuple[str, ...]:
        return self._shown(UNCHANGED)

    @property
    def skipped(self) -> tuple[str, ...]:
        """"path: why", newest first (a change skipped for a missing copy names the path, not the link)."""
        return tuple(f"{c.entry.path if c.reason == MISSING_COPY else c.shown}: {c.detail}"
                     for c in reversed(self.changes) if c.action == SKIPPED)

    def count(self, action: UndoAction) -> int:
        return sum(1 for c in self.changes if c.action == action)

    @property
    def ok(self) -> bool:
        return not any(c.action in (SKIPPED, PENDING) for c in self.changes)


def missing_blobs(journal: Journal, entries: list[Entry]) -> dict[int, str]:
    """Entries (by index) that cannot be undone because the bytes to restore are missing or damaged."""
    out: dict[int, str] = {}
    for i, e in enumerate(entries):
        if e.kind == "write" and e.before is not None and journal.blob(e.before) is None:
            out[i] = _("its saved copy (blobs/{digest}) is missing or damaged", digest=e.before[:12] + "...")
    return out


def undo(journal: Journal, entries: list[Entry], force: bool = False,
         skip: Optional[dict[int, str]] = None) -> UndoResult:
    """Restore every journaled change, newest first, except the entries in `skip` (index -> why: their saved
    copies are missing); files edited since the fix are skipped unless `force`."""
    skip = skip or {}
    done: dict[int, Change] = {}
    for i in reversed(range(len(entries))):
        e = entries[i]
        if i in skip:
            done[i] = Change(e, SKIPPED, MISSING_COPY, skip[i])
            continue
        try:
            done[i] = _remove_dir(e) if e.kind == "mkdir" else _restore_file(journal, e, force)
        except Refused as exc:
            done[i] = Change(e, SKIPPED, REFUSED, str(exc))
        except OSError as exc:
            done[i] = Change(e, SKIPPED, ERROR, exc.strerror or str(exc))
    result = UndoResult(journal.id, tuple(done[i] for i in range(len(entries))))
    if all(c.action != SKIPPED or i in skip for i, c in enumerate(result.changes)):
        # done, or done as far as it can be (--partial: a missing saved copy cannot come back): a plain `undo`
        # goes on with the fix before this one instead of refusing this journal again and again
        journal.mark_undone()
    return result


def refusal(journal: Journal, entries: list[Entry], missing: dict[int, str]) -> UndoResult:
    """The undo that was not started because saved copies are `missing`: those entries skipped, the others
    pending (what `--partial` would undo)."""
    return UndoResult(journal.id, tuple(Change(e, SKIPPED, MISSING_COPY, missing[i]) if i in missing else
                                        Change(e, PENDING) for i, e in enumerate(entries)))


def _restore_file(journal: Journal, e: Entry, force: bool) -> Change:
    head, name = os.path.split(e.path)
    try:
        with folder(head) as fd:
            current = read_at(fd, name, e.path, BLOB_LIMIT)
            if sha(current) != e.after and not force:
                if sha(current) == e.before:
                    return Change(e, UNCHANGED)
                return Change(e, SKIPPED, CHANGED, _("changed since the fix (use --force to restore anyway)"))
            if e.before is None:
                return Change(e, REMOVED if remove_at(fd, name, e.path) else UNCHANGED)
            data = journal.blob(e.before)
            if data is None:
                return Change(e, SKIPPED, MISSING_COPY, _("its saved copy is missing or damaged"))
            replace_at(fd, name, e.path, data, e.mode_before if e.mode_before is not None else 0o644)
            return Change(e, RESTORED)
    except FileNotFoundError:
        if e.before is None:
            return Change(e, UNCHANGED)
        return Change(e, SKIPPED, FOLDER_GONE, _("its folder {path} is gone", path=head))


def _remove_dir(e: Entry) -> Change:
    head, name = os.path.split(e.path)
    try:
        with folder(head) as fd:
            return Change(e, REMOVED if rmdir_at(fd, name, e.path) else UNCHANGED)
    except FileNotFoundError:
        return Change(e, UNCHANGED)
    except OSError as exc:
        if exc.errno in (errno.ENOTEMPTY, errno.EEXIST):
            return Change(e, SKIPPED, NOT_EMPTY,
                          _("not empty (something was added since the fix), left in place"))
        raise


# What an undo run came to (the JSON's `outcome`; never translated): every change is back (exit 0); some were
# skipped (3); saved copies are missing and --partial was not given, nothing changed (4); every journal was
# undone already (0); `undo ID` of a journal undone before (0).
UndoOutcome = Literal["undone", "partial", "refused", "nothing", "already-undone"]


@dataclass(frozen=True)
class UndoVerdict:
    """The outcome of one undo, its exit code, the sentence saying why, and what to do next ("" when
    nothing)."""

    outcome: UndoOutcome
    code: int
    why: str
    next: str = ""


def judge(result: UndoResult) -> UndoVerdict:
    """The verdict of an undo that ran (refused, nothing and already-undone are decided before it runs):
    0 when every change is back as before the fix, 3 when some were skipped."""
    jid = result.journal
    if result.ok:
        why = _("journal {id} undone: {restored} restored, {removed} removed, {unchanged} already as "
                "before the fix", id=jid, restored=result.count(RESTORED), removed=result.count(REMOVED),
                unchanged=result.count(UNCHANGED))
        return UndoVerdict("undone", int(ExitCode.OK), why)
    skipped = [c for c in result.changes if c.action == SKIPPED]
    why = _("journal {id} is only partly undone: {n} change(s) skipped", id=jid, n=len(skipped))
    if any(c.reason == CHANGED for c in skipped):
        nxt = _("Next: look at the files changed since the fix; `mlu-doctor undo {id} --force` restores them "
                "anyway.", id=jid)
    elif all(c.reason == MISSING_COPY for c in skipped):
        nxt = _("Next: restore the files whose saved copies are missing yourself (e.g. from a backup); the "
                "journal cannot, and counts as undone now.")
    else:
        nxt = _("Next: deal with what each skipped change names, then run `mlu-doctor undo {id}` again.",
                id=jid)
    return UndoVerdict("partial", int(ExitCode.FIX_FAILED), why, nxt)


def refused(journal: str, missing: int, total: int) -> UndoVerdict:
    """Saved copies are missing and --partial was not given: nothing is undone (exit 4)."""
    why = _("journal {id}: {n} of {total} change(s) cannot be undone (listed above); nothing was changed. "
            "`mlu-doctor undo {id} --partial` undoes the other {rest}.", id=journal, n=missing, total=total,
            rest=total - missing)
    return UndoVerdict("refused", int(ExitCode.CANNOT_RUN), why,
                       _("Next: run `mlu-doctor undo {id} --partial` to undo the other changes.", id=journal))


def nothing_left(journals: int, root: str) -> UndoVerdict:
    """`undo` without an id when every journal is undone (exit 0)."""
    why = _("everything is already undone ({n} fix journal(s) under {path}; `mlu-doctor undo --list` shows "
            "them)", n=journals, path=root)
    return UndoVerdict("nothing", int(ExitCode.OK), why)


def already_undone(journal: str) -> UndoVerdict:
    """`undo ID` of a journal undone before (exit 0)."""
    return UndoVerdict("already-undone", int(ExitCode.OK), _("journal {id} is already undone", id=journal))
