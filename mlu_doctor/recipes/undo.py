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
from typing import Optional

from mlu_doctor.i18n import _
from mlu_doctor.recipes.journal import BLOB_LIMIT, Entry, Journal, sha
from mlu_doctor.recipes.safefs import Refused, folder, read_at, remove_at, replace_at, rmdir_at


@dataclass(frozen=True)
class UndoResult:
    """What undo did: files restored, files and folders removed, entries already as before, skipped ones."""

    journal: str
    restored: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()  # "path: why"

    @property
    def ok(self) -> bool:
        return not self.skipped


def missing_blobs(journal: Journal, entries: list[Entry]) -> dict[int, str]:
    """Entries (by index) that cannot be undone because the bytes to restore are missing or damaged."""
    out: dict[int, str] = {}
    for i, e in enumerate(entries):
        if e.kind == "write" and e.before is not None and journal.blob(e.before) is None:
            out[i] = _("its saved copy (blobs/{digest}) is missing or damaged", digest=e.before[:12] + "...")
    return out


def undo(journal: Journal, entries: list[Entry], force: bool = False,
         skip: Optional[dict[int, str]] = None) -> UndoResult:
    """Restore every journaled change, newest first, except the entries in `skip` (index -> why); files
    edited since the fix are skipped unless `force`."""
    skip = skip or {}
    done: dict[str, list[str]] = {"restored": [], "removed": [], "unchanged": [], "skipped": []}
    for i in reversed(range(len(entries))):
        e = entries[i]
        if i in skip:
            done["skipped"].append(f"{e.path}: {skip[i]}")
            continue
        try:
            kind, why = _remove_dir(e) if e.kind == "mkdir" else _restore_file(journal, e, force)
        except Refused as exc:
            kind, why = "skipped", str(exc)
        except OSError as exc:
            kind, why = "skipped", exc.strerror or str(exc)
        shown = _("{link} -> {path} (symlink kept)", link=e.link, path=e.path) if e.link else e.path
        done[kind].append(f"{shown}: {why}" if kind == "skipped" else shown)
    if not done["skipped"] and not skip:
        journal.mark_undone()
    return UndoResult(journal.id, *(tuple(done[k]) for k in ("restored", "removed", "unchanged", "skipped")))


def _restore_file(journal: Journal, e: Entry, force: bool) -> tuple[str, str]:
    """(what was done, why it was skipped)."""
    head, name = os.path.split(e.path)
    try:
        with folder(head) as fd:
            current = read_at(fd, name, e.path, BLOB_LIMIT)
            if sha(current) != e.after and not force:
                if sha(current) == e.before:
                    return "unchanged", ""
                return "skipped", _("changed since the fix (use --force to restore anyway)")
            if e.before is None:
                return ("removed" if remove_at(fd, name, e.path) else "unchanged"), ""
            data = journal.blob(e.before)
            if data is None:
                return "skipped", _("its saved copy is missing or damaged")
            replace_at(fd, name, e.path, data, e.mode_before if e.mode_before is not None else 0o644)
            return "restored", ""
    except FileNotFoundError:
        if e.before is None:
            return "unchanged", ""
        return "skipped", _("its folder {path} is gone", path=head)


def _remove_dir(e: Entry) -> tuple[str, str]:
    head, name = os.path.split(e.path)
    try:
        with folder(head) as fd:
            return ("removed" if rmdir_at(fd, name, e.path) else "unchanged"), ""
    except FileNotFoundError:
        return "unchanged", ""
    except OSError as exc:
        if exc.errno in (errno.ENOTEMPTY, errno.EEXIST):
            return "skipped", _("not empty (something was added since the fix), left in place")
        raise
