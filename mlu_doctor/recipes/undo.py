"""`mlu-doctor undo`: replay a fix journal backwards, restoring files byte for byte."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Optional

from mlu_doctor.i18n import _
from mlu_doctor.recipes.base import read_bytes
from mlu_doctor.recipes.journal import Journal, _sha, atomic_write


@dataclass(frozen=True)
class UndoResult:
    journal: str
    restored: tuple[str, ...]
    skipped: tuple[str, ...]  # "path: why"

    @property
    def ok(self) -> bool:
        return not self.skipped


def undo(journal: Journal, force: bool = False) -> UndoResult:
    """Restore every journaled change, newest first; files edited since the fix are skipped unless force."""
    restored: list[str] = []
    skipped: list[str] = []
    for entry in reversed(journal.entries()):
        path = entry["path"]
        why = _remove_dir(path) if entry["kind"] == "mkdir" else _restore_file(journal, entry, force)
        if why:
            skipped.append(f"{path}: {why}")
        else:
            restored.append(path)
    if not skipped:
        journal.mark_undone()
    return UndoResult(journal.id, tuple(restored), tuple(skipped))


def _restore_file(journal: Journal, entry: dict, force: bool) -> Optional[str]:
    path = entry["path"]
    current = read_bytes(path)
    if _sha(current) != entry["after"] and not force:
        if current is not None and entry["before"] is not None and _sha(current) == entry["before"]:
            return None  # already restored
        return _("changed since the fix (use --force to restore anyway)")
    if entry["before"] is None:
        if current is not None:
            os.unlink(path)
        return None
    atomic_write(path, journal.blob(entry["before"]), entry["mode_before"] or 0o644)
    return None


def _remove_dir(path: str) -> Optional[str]:
    if not os.path.isdir(path):
        return None
    try:
        os.rmdir(path)
    except OSError:
        return _("not empty, left in place")
    return None
