"""The change journal: every file a fix writes is recorded (before/after bytes, mode) so undo restores it.

<root>/<id>/journal.json holds the targets the plans showed (declared before the first change) and one
entry per change, written BEFORE the change is made; blobs/<sha256> hold the bytes. A journal is data: on
load every entry is checked (kind, absolute normalised path inside a declared target, blob names, modes),
and a journal that fails the check is refused as a whole with the reason.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import re
import time
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any, Optional

from mlu_doctor.errors import CannotRun, DoctorError, UsageError
from mlu_doctor.i18n import _
from mlu_doctor.recipes.safefs import Refused, checked_path
from mlu_doctor.recipes.targets import inside
from mlu_doctor.system.files import NotRegularFile, read_regular

JOURNAL_LIMIT = 16 * 1024 * 1024
BLOB_LIMIT = 64 * 1024 * 1024
FORMAT = 2  # 1: no declared targets (mlu-doctor before 2025-12)
_DIGEST = re.compile(r"^[0-9a-f]{64}$")
KINDS = ("write", "mkdir")


def state_dir(environ: Mapping[str, str] | None = None) -> str:
    """$XDG_STATE_HOME/mlu-doctor (default ~/.local/state/mlu-doctor)."""
    env = os.environ if environ is None else environ
    base = env.get("XDG_STATE_HOME") or os.path.join(env.get("HOME") or os.path.expanduser("~"), ".local",
                                                     "state")
    return os.path.join(base, "mlu-doctor")


def journal_root(environ: Mapping[str, str] | None = None) -> str:
    return os.path.join(state_dir(environ), "journal")


def atomic_write(path: str, data: bytes, mode: int) -> None:
    """Replace a journal file (output.files.write_atomic): never through a symlink planted in the journal."""
    from mlu_doctor.output.files import write_atomic

    write_atomic(path, data, mode, follow_symlinks=False)


def sha(data: Optional[bytes]) -> Optional[str]:
    return None if data is None else hashlib.sha256(data).hexdigest()


class JournalCorrupt(CannotRun):
    """A journal that cannot be read or does not hold what mlu-doctor writes: nothing is undone from it."""


@dataclass(frozen=True)
class Entry:
    """One journaled change. write: before/after are blob digests (None: the file did not exist / was
    removed); mkdir: a folder the fix created. `link`: the symlink through which the user names `path`."""

    kind: str
    path: str
    recipe: str = ""
    before: Optional[str] = None
    after: Optional[str] = None
    mode_before: Optional[int] = None
    mode_after: Optional[int] = None
    link: Optional[str] = None
    time: float = 0.0


def _digest(value: Any, what: str) -> Optional[str]:
    if value is None or (isinstance(value, str) and _DIGEST.match(value)):
        return value
    raise ValueError(_("{what} is not a sha256 blob name", what=what))


def _mode(value: Any, what: str) -> Optional[int]:
    if value is None or (type(value) is int and 0 <= value <= 0o7777):
        return value
    raise ValueError(_("{what} is not a file mode", what=what))


def parse_entry(raw: Any, targets: Optional[list[str]]) -> Entry:
    """One entry of journal.json, checked; ValueError says what is wrong."""
    if not isinstance(raw, dict) or raw.get("kind") not in KINDS or not isinstance(raw.get("path"), str):
        raise ValueError(_("an entry is not a write or mkdir record with a path"))
    path = raw["path"]
    try:
        checked_path(path)
    except Refused as exc:
        raise ValueError(str(exc)) from None
    if targets is not None and not any(path == t or (raw["kind"] == "mkdir" and inside(t, path))
                                       for t in targets):
        raise ValueError(_("{path} is outside the targets the fix declared", path=path))
    link = raw.get("link")
    if link is not None and (not isinstance(link, str) or not link.startswith("/")):
        raise ValueError(_("{path}: the link is not an absolute path", path=path))
    return Entry(raw["kind"], path, str(raw.get("recipe") or ""), _digest(raw.get("before"), "before"),
                 _digest(raw.get("after"), "after"), _mode(raw.get("mode_before"), "mode_before"),
                 _mode(raw.get("mode_after"), "mode_after"), link,
                 float(raw["time"]) if type(raw.get("time")) in (int, float) else 0.0)


def parse_journal(data: bytes) -> tuple[Optional[list[str]], list[Entry]]:
    """(declared targets, entries) of journal.json bytes; ValueError says what is wrong."""
    from mlu_doctor.untrusted import load_json

    doc = load_json(data)  # InputProblem (a ValueError): not UTF-8, not JSON, nested too deep
    if not isinstance(doc, dict) or not isinstance(doc.get("entries"), list):
        raise ValueError(_("no list of entries"))
    targets = doc.get("targets")
    if targets is not None and not (isinstance(targets, list) and all(isinstance(t, str) for t in targets)):
        raise ValueError(_("the declared targets are not a list of paths"))
    return targets, [parse_entry(raw, targets) for raw in doc["entries"]]


@dataclass
class Journal:
    """One fix run's record, stored as <root>/<id>/journal.json plus blobs/<sha256>."""

    root: str
    id: str
    targets: tuple[str, ...] = ()

    @classmethod
    def open_new(cls, environ: Mapping[str, str] | None = None) -> Journal:
        """A new journal, its folder created now: without a journal nothing is changed (exit 4)."""
        root = journal_root(environ)
        base = time.strftime("%Y%m%d-%H%M%S") + f"-{os.getpid()}"
        try:
            os.makedirs(root, mode=0o700, exist_ok=True)
            # a second fix of this process in the same second gets base.002 (sorted after base), ...; never
            # an earlier fix's folder, whose journal.json would be overwritten
            for n in range(1, 1000):
                journal = cls(root, base if n == 1 else f"{base}.{n:03d}")
                try:
                    os.mkdir(journal.dir, 0o700)
                    break
                except FileExistsError:
                    continue
            else:
                raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST))
            os.makedirs(os.path.join(journal.dir, "blobs"), mode=0o700, exist_ok=True)
        except OSError as exc:
            raise CannotRun(_("cannot keep a fix journal in {path}: {error}; nothing was changed (point "
                              "XDG_STATE_HOME at a writable folder)", path=root, error=exc.strerror
                              or exc)) from None
        return journal

    @property
    def dir(self) -> str:
        return os.path.join(self.root, self.id)

    def declare(self, targets: Iterable[str]) -> None:
        """The paths the plans showed; every later entry must be one of them (or a folder above one)."""
        self.targets = tuple(sorted(set(targets)))
        self._save([])

    def discard_if_empty(self) -> bool:
        """Remove the journal when no change was recorded (every step failed before changing anything)."""
        if self.load():
            return False
        with contextlib.suppress(OSError):
            os.unlink(os.path.join(self.dir, "journal.json"))
            os.rmdir(os.path.join(self.dir, "blobs"))
            os.rmdir(self.dir)
        return True

    def load(self) -> list[Entry]:
        """The checked entries; JournalCorrupt (exit 4) when the journal cannot be trusted."""
        path = os.path.join(self.dir, "journal.json")
        try:
            data = read_regular(path, JOURNAL_LIMIT + 1, follow=False)
            if len(data) > JOURNAL_LIMIT:
                raise ValueError(_("larger than {mib} MiB", mib=JOURNAL_LIMIT // (1024 * 1024)))
            return parse_journal(data)[1]
        except FileNotFoundError:
            return []
        except (OSError, ValueError) as exc:
            why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            if isinstance(exc, NotRegularFile):
                why = _("it is {kind}, not a regular file", kind=exc.kind)
            raise JournalCorrupt(_("journal {id} ({path}) cannot be used: {why}; nothing was changed",
                                   id=self.id, path=path, why=why)) from None

    def _save(self, entries: list[Entry]) -> None:
        doc = {"id": self.id, "format": FORMAT, "targets": list(self.targets),
               "entries": [asdict(e) for e in entries]}
        atomic_write(os.path.join(self.dir, "journal.json"), json.dumps(doc, indent=1).encode(), 0o600)

    def _blob(self, data: Optional[bytes]) -> Optional[str]:
        digest = sha(data)
        if data is None or digest is None:
            return None
        path = os.path.join(self.dir, "blobs", digest)
        if not os.path.exists(path):
            atomic_write(path, data, 0o600)
        return digest

    def record(self, kind: str, path: str, recipe: str, before: Optional[bytes] = None,
               after: Optional[bytes] = None, mode_before: Optional[int] = None,
               mode_after: Optional[int] = None, link: Optional[str] = None) -> None:
        """Append one change (written BEFORE the change is made, so a crash leaves it journaled). A path
        outside the declared targets is refused: apply writes only what the plan showed."""
        try:
            entry = parse_entry({"kind": kind, "path": path, "link": link}, list(self.targets))
        except ValueError as exc:
            raise Refused(str(exc)) from None
        entries = self.load()
        entries.append(Entry(entry.kind, entry.path, recipe, self._blob(before), self._blob(after),
                             mode_before, mode_after, link, round(time.time(), 3)))
        self._save(entries)

    def blob(self, digest: str) -> Optional[bytes]:
        """The bytes saved under `digest`, or None when the blob is missing or does not match its name."""
        try:
            data = read_regular(os.path.join(self.dir, "blobs", _digest(digest, "blob") or ""), BLOB_LIMIT,
                                follow=False)
        except (OSError, ValueError):
            return None
        return data if sha(data) == digest else None

    @property
    def undone(self) -> bool:
        return os.path.exists(os.path.join(self.dir, "undone"))

    def undone_at(self) -> Optional[str]:
        """When the journal was undone, as its `undone` mark says (ISO 8601 local time, with the UTC offset
        except in marks older mlu-doctors wrote); None when not undone or the mark holds no time."""
        try:
            text = read_regular(os.path.join(self.dir, "undone"), 64, follow=False).decode("ascii").strip()
        except (OSError, ValueError):
            return None
        return text if _STAMP.match(text) else None

    def mark_undone(self) -> None:
        """Mark the journal undone (best effort: undoing it again finds every entry already as before)."""
        with contextlib.suppress(OSError, DoctorError):
            atomic_write(os.path.join(self.dir, "undone"), (iso_time(time.time()) + "\n").encode(), 0o600)

    def created(self, entries: list[Entry]) -> Optional[float]:
        """When the fix made its first change (epoch seconds): the entries' times, else the time in the id
        (journals before entry times, or a fix that changed nothing); None when neither says."""
        times = [e.time for e in entries if e.time > 0]
        if times:
            return min(times)
        try:
            return time.mktime(time.strptime(self.id[:15], "%Y%m%d-%H%M%S"))
        except (ValueError, OverflowError):
            return None


_STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d([+-]\d\d:\d\d|Z)?$")


def iso_time(seconds: float) -> str:
    """Epoch seconds as ISO 8601 local time with its UTC offset, to the second (2026-12-07T01:46:24+08:00)."""
    from datetime import datetime

    return datetime.fromtimestamp(seconds).astimezone().isoformat(timespec="seconds")


_ID = re.compile(r"^(\d{8}-\d{6})-(\d+)(?:\.(\d+))?$")


def _id_order(name: str) -> tuple[str, int, int, str]:
    """Journal ids in the order they were made: second, then pid as a number (pid 999 before 1000 within one
    second), then the same-second counter; anything else by name, after them."""
    m = _ID.match(name)
    if m is None:
        return ("~", 0, 0, name)
    return (m.group(1), int(m.group(2)), int(m.group(3) or 1), name)


def list_journals(environ: Mapping[str, str] | None = None) -> list[Journal]:
    """Journals with a journal.json, oldest first."""
    root = journal_root(environ)
    try:
        names = sorted(os.listdir(root), key=_id_order)
    except (FileNotFoundError, NotADirectoryError):
        return []
    except OSError as exc:
        raise CannotRun(_("cannot list fix journals in {path}: {error}", path=root,
                          error=exc.strerror)) from None
    out = [Journal(root, n) for n in names]
    # lexists: a journal.json that became a FIFO, a link or a folder is a damaged journal (refused, exit 4),
    # not none
    return [j for j in out if os.path.lexists(os.path.join(j.dir, "journal.json"))]


def find_journal(ident: Optional[str], environ: Mapping[str, str] | None = None) -> Optional[Journal]:
    """The journal `ident`, or the most recent one not undone yet; None when every journal is undone."""
    journals = list_journals(environ)
    if ident:
        for j in journals:
            if j.id == ident:
                return j
        raise UsageError(_("no fix journal {id} under {root}", id=ident, root=journal_root(environ)))
    if not journals:
        raise UsageError(_("nothing to undo: no fix journal under {root}", root=journal_root(environ)))
    pending = [j for j in journals if not j.undone]
    return pending[-1] if pending else None
