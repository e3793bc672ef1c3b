"""Get one archive to its final name: reuse a verified copy, or probe mirrors, transfer, verify, rename."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Optional

from mlu_doctor.download.manifest import Archive
from mlu_doctor.errors import DoctorError
from mlu_doctor.i18n import _


@dataclass(frozen=True)
class MirrorTry:
    """One mirror considered for one file: used, standby, skipped (probe) or dropped (mid-transfer)."""

    mirror: str
    outcome: str
    reason: str = ""
    bytes: int = 0


@dataclass(frozen=True)
class Timing:
    """Where one download's seconds went: probing mirrors, moving bytes, hashing what the background
    hasher had not reached yet, and renaming into place."""

    probe: float = 0.0
    transfer: float = 0.0
    verify: float = 0.0
    rename: float = 0.0


@dataclass(frozen=True)
class FileResult:
    """What happened to one archive."""

    name: str
    path: str
    # downloaded | resumed | present | local | extracted | repaired | missing | partial | corrupt | failed
    status: str
    sha256: str = ""
    mirror: Optional[str] = None
    bytes: int = 0
    seconds: float = 0.0
    tried: tuple[MirrorTry, ...] = ()
    note: str = ""
    timing: Timing = Timing()
    connections: int = 0  # most Range connections open at once


@dataclass(frozen=True)
class TransferOptions:
    connections: int = 0  # 0: auto
    retries: int = 3
    backoff: float = 0.5


def hash_file(path: str, progress: Optional[Callable[[int], None]] = None,
              md5: bool = False) -> tuple[str, str]:
    """(sha256, md5 or "") in one pass over the file, flat memory."""
    sha = hashlib.sha256()
    check = hashlib.md5(usedforsecurity=False) if md5 else None
    with open(path, "rb") as fh:
        while True:
            block = fh.read(4 * 1024 * 1024)
            if not block:
                return sha.hexdigest(), check.hexdigest() if check else ""
            sha.update(block)
            if check:
                check.update(block)
            if progress:
                progress(len(block))


def _record(path: str, folder: str) -> str:
    """Where the verification record of `path` lives: in DEST's state folder, never beside a --from-local copy
    (which may be read-only or belong to someone else)."""
    return os.path.join(folder, os.path.basename(path) + ".json")


def known_good(path: str, archive: Archive, folder: str) -> bool:
    """True when `path` was verified earlier and has not changed since (path, size and mtime recorded)."""
    from mlu_doctor.untrusted import read_record

    try:
        st = os.stat(path)
    except OSError:
        return False
    rec = read_record(_record(path, folder))
    return isinstance(rec, dict) and rec.get("sha256") == archive.sha256 \
        and rec.get("size") == st.st_size == archive.size \
        and rec.get("mtime_ns") == st.st_mtime_ns and rec.get("path") == os.path.abspath(path)


def remember_good(path: str, archive: Archive, folder: str) -> None:
    """Record that `path` holds the archive's pinned bytes (best effort: a record that cannot be written
    only means hashing again next time)."""
    from mlu_doctor.output.files import write_atomic

    st = os.stat(path)
    try:
        os.makedirs(folder, exist_ok=True)
        write_atomic(_record(path, folder), json.dumps({"sha256": archive.sha256, "size": st.st_size,
                                                        "mtime_ns": st.st_mtime_ns,
                                                        "path": os.path.abspath(path)}),
                     follow_symlinks=False)
    except (OSError, DoctorError):
        pass


def verify_copy(path: str, archive: Archive, folder: str, progress: Optional[Callable[[int], None]] = None,
                force: bool = False) -> Optional[str]:
    """None when `path` holds the archive's pinned bytes, else why not."""
    try:
        size = os.path.getsize(path)
    except OSError:
        return _("missing")
    if size != archive.size:
        return _("size {size} differs from the pinned {pinned}", size=size, pinned=archive.size)
    if not force and known_good(path, archive, folder):
        return None
    sha, md5 = hash_file(path, progress, md5=force and bool(archive.md5))
    if sha != archive.sha256:
        return _("SHA-256 {sha} differs from the pinned {pinned}", sha=sha, pinned=archive.sha256)
    if md5 and md5 != archive.md5:
        return _("SHA-256 matches but MD5 {md5} differs from the manifest's {pinned}: check the manifest",
                 md5=md5, pinned=archive.md5)
    remember_good(path, archive, folder)
    return None
