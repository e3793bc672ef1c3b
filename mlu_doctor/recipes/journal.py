"""The change journal: every file a fix writes is recorded (before/after bytes, mode) so undo restores it."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Optional

from mlu_doctor.errors import UsageError
from mlu_doctor.i18n import _


def state_dir(environ: Mapping[str, str] | None = None) -> str:
    """$XDG_STATE_HOME/mlu-doctor (default ~/.local/state/mlu-doctor)."""
    env = os.environ if environ is None else environ
    base = env.get("XDG_STATE_HOME") or os.path.join(env.get("HOME") or os.path.expanduser("~"), ".local", "state")
    return os.path.join(base, "mlu-doctor")


def journal_root(environ: Mapping[str, str] | None = None) -> str:
    return os.path.join(state_dir(environ), "journal")


def atomic_write(path: str, data: bytes, mode: int) -> None:
    """Write `data` to `path` through a temporary file in the same folder, then rename."""
    folder = os.path.dirname(path) or "."
    fd, tmp = tempfile.mkstemp(prefix=".mlu-doctor-", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _sha(data: Optional[bytes]) -> Optional[str]:
    return None if data is None else hashlib.sha256(data).hexdigest()


@dataclass
class Journal:
    """One fix run's record, stored as <root>/<id>/journal.json plus blobs/<sha256>."""

    root: str
    id: str

    @classmethod
    def open_new(cls, environ: Mapping[str, str] | None = None) -> Journal:
        root = journal_root(environ)
        jid = time.strftime("%Y%m%d-%H%M%S") + f"-{os.getpid()}"
        return cls(root, jid)

    @property
    def dir(self) -> str:
        return os.path.join(self.root, self.id)

    def entries(self) -> list[dict[str, Any]]:
        try:
            with open(os.path.join(self.dir, "journal.json"), encoding="utf-8") as fh:
                return json.load(fh)["entries"]
        except FileNotFoundError:
            return []

    def _save(self, entries: list[dict[str, Any]]) -> None:
        os.makedirs(self.dir, exist_ok=True)
        data = json.dumps({"id": self.id, "entries": entries}, indent=1).encode()
        atomic_write(os.path.join(self.dir, "journal.json"), data, 0o600)

    def _blob(self, data: Optional[bytes]) -> Optional[str]:
        if data is None:
            return None
        digest = _sha(data)
        folder = os.path.join(self.dir, "blobs")
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, digest)
        if not os.path.exists(path):
            atomic_write(path, data, 0o600)
        return digest

    def record(self, kind: str, path: str, recipe: str, before: Optional[bytes] = None,
               after: Optional[bytes] = None, mode_before: Optional[int] = None,
               mode_after: Optional[int] = None) -> None:
        """Append one change (written BEFORE the change is made, so a crash leaves it journaled)."""
        entries = self.entries()
        entries.append({"kind": kind, "path": path, "recipe": recipe, "time": time.time(),
                        "before": self._blob(before), "after": self._blob(after),
                        "mode_before": mode_before, "mode_after": mode_after})
        self._save(entries)

    def blob(self, digest: str) -> bytes:
        with open(os.path.join(self.dir, "blobs", digest), "rb") as fh:
            return fh.read()

    @property
    def undone(self) -> bool:
        return os.path.exists(os.path.join(self.dir, "undone"))

    def mark_undone(self) -> None:
        with open(os.path.join(self.dir, "undone"), "w") as fh:
            fh.write(time.strftime("%Y-%m-%dT%H:%M:%S") + "\n")


def list_journals(environ: Mapping[str, str] | None = None) -> list[Journal]:
    """Journals with at least one change, oldest first."""
    root = journal_root(environ)
    try:
        names = sorted(os.listdir(root))
    except FileNotFoundError:
        return []
    out = [Journal(root, n) for n in names]
    return [j for j in out if os.path.isfile(os.path.join(j.dir, "journal.json"))]


def find_journal(ident: Optional[str], environ: Mapping[str, str] | None = None) -> Journal:
    """The journal `ident`, or the most recent one not undone yet."""
    journals = list_journals(environ)
    if ident:
        for j in journals:
            if j.id == ident:
                return j
        raise UsageError(_("no fix journal {id} under {root}", id=ident, root=journal_root(environ)))
    pending = [j for j in journals if not j.undone]
    if not pending:
        raise UsageError(_("nothing to undo: no fix journal under {root}", root=journal_root(environ)))
    return pending[-1]
