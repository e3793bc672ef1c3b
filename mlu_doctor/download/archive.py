"""Get one archive to its final name: reuse a verified copy, or probe mirrors, transfer, verify, rename."""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Optional

from mlu_doctor.download.manifest import Archive
from mlu_doctor.download.mirrors import MirrorPool, Probe, probe_all
from mlu_doctor.download.state import PartState, load_state, piece_size_for
from mlu_doctor.download.transfer import MirrorFault, Transfer
from mlu_doctor.errors import CannotRun
from mlu_doctor.gateways.http import HttpClient
from mlu_doctor.i18n import _


@dataclass(frozen=True)
class MirrorTry:
    """One mirror considered for one file: used, standby, skipped (probe) or dropped (mid-transfer)."""

    mirror: str
    outcome: str
    reason: str = ""
    bytes: int = 0


@dataclass(frozen=True)
class FileResult:
    """What happened to one archive."""

    name: str
    path: str
    status: str  # downloaded | resumed | present | local | extracted | missing | corrupt
    sha256: str = ""
    mirror: Optional[str] = None
    bytes: int = 0
    seconds: float = 0.0
    tried: tuple[MirrorTry, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class TransferOptions:
    connections: int = 4
    retries: int = 3
    backoff: float = 0.5


def hash_file(path: str, progress: Optional[Callable[[int], None]] = None, md5: bool = False) -> tuple[str, str]:
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


def _sidecar(path: str) -> str:
    return os.path.join(os.path.dirname(path), ".verified", os.path.basename(path) + ".json")


def known_good(path: str, archive: Archive) -> bool:
    """True when `path` was verified earlier and has not changed since (size and mtime recorded)."""
    try:
        st = os.stat(path)
        with open(_sidecar(path), encoding="utf-8") as fh:
            rec = json.load(fh)
    except (OSError, ValueError):
        return False
    return rec.get("sha256") == archive.sha256 and rec.get("size") == st.st_size == archive.size \
        and rec.get("mtime_ns") == st.st_mtime_ns


def remember_good(path: str, archive: Archive) -> None:
    st = os.stat(path)
    side = _sidecar(path)
    os.makedirs(os.path.dirname(side), exist_ok=True)
    with open(side + ".tmp", "w", encoding="utf-8") as fh:
        json.dump({"sha256": archive.sha256, "size": st.st_size, "mtime_ns": st.st_mtime_ns}, fh)
    os.replace(side + ".tmp", side)


def verify_copy(path: str, archive: Archive, progress: Optional[Callable[[int], None]] = None,
                force: bool = False) -> Optional[str]:
    """None when `path` holds the archive's pinned bytes, else why not."""
    try:
        size = os.path.getsize(path)
    except OSError:
        return _("missing")
    if size != archive.size:
        return _("size {size} differs from the pinned {pinned}", size=size, pinned=archive.size)
    if not force and known_good(path, archive):
        return None
    sha, md5 = hash_file(path, progress, md5=force and bool(archive.md5))
    if sha != archive.sha256:
        return _("SHA-256 {sha} differs from the pinned {pinned}", sha=sha, pinned=archive.sha256)
    if md5 and md5 != archive.md5:
        return _("SHA-256 matches but MD5 {md5} differs from the manifest's {pinned}: check the manifest",
                 md5=md5, pinned=archive.md5)
    remember_good(path, archive)
    return None


class Downloader:
    """Download one archive into `folder` from the best mirrors; resumable, verified, atomic."""

    def __init__(self, archive: Archive, folder: str, mirrors: tuple[str, ...], http: HttpClient,
                 options: TransferOptions, progress: Callable[[int], None], stop: threading.Event) -> None:
        self.archive, self.folder, self.mirrors, self.http = archive, folder, mirrors, http
        self.options, self.progress, self.stop = options, progress, stop
        self.final = os.path.join(folder, archive.name)
        self.part = self.final + ".part"
        self.state_path = self.part + ".state"

    def run(self) -> FileResult:
        started = time.monotonic()
        state = self._load_or_fresh()
        resumed = state.have() > 0
        probes = probe_all(self.http, self.mirrors, self.archive)
        pool = MirrorPool(probes, self.options.connections, self.options.retries)
        fetched = self._fill(state, pool, probes)
        os.replace(self.part, self.final)
        os.unlink(self.state_path)
        remember_good(self.final, self.archive)
        used = max(state.sources, key=lambda m: state.sources[m]) if state.sources else None
        return FileResult(self.archive.name, self.final, "resumed" if resumed else "downloaded",
                          sha256=self.archive.sha256, mirror=used, bytes=fetched,
                          seconds=round(time.monotonic() - started, 3), tried=_tries(probes, pool, state))

    def _fill(self, state: PartState, pool: MirrorPool, probes: list[Probe]) -> int:
        """Transfer until the .part file hashes right; wrong bytes drop the mirrors that served them."""
        fetched = 0
        while True:
            if not pool.alive():
                raise CannotRun(self._exhausted(pool, probes))
            fd = os.open(self.part, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                os.ftruncate(fd, self.archive.size)
                transfer = Transfer(self.archive, fd, state, self.state_path, pool, self.http,
                                    self.options.connections, self.progress, self.stop, self.options.backoff)
                try:
                    transfer.run()
                except MirrorFault:
                    pass
                finally:
                    fetched += transfer.fetched
            finally:
                os.close(fd)
            if self.stop.is_set():
                raise KeyboardInterrupt
            if state.pending():
                continue
            sha, _md5 = hash_file(self.part)
            if sha == self.archive.sha256:
                return fetched
            for mirror in state.sources:
                pool.fault(mirror, _("served bytes whose SHA-256 does not match the manifest"), fatal=True)
            state = self._fresh()

    def _load_or_fresh(self) -> PartState:
        os.makedirs(self.folder, exist_ok=True)
        if os.path.exists(self.part):
            state = load_state(self.state_path, self.archive.size, self.archive.sha256)
            if state is not None:
                return state
        return self._fresh()

    def _fresh(self) -> PartState:
        piece = piece_size_for(self.archive.size, self.options.connections)
        state = PartState.fresh(self.archive.size, self.archive.sha256, piece)
        with open(self.part, "wb"):
            pass
        state.save(self.state_path)
        return state

    def _exhausted(self, pool: MirrorPool, probes: list[Probe]) -> str:
        reasons = "; ".join(f"{m}: {r}" for m, r in pool.reasons.items()) or _("no mirror configured")
        return _("could not download {name}: every mirror failed ({reasons}). The partial file {part} is "
                 "kept; add a working mirror with --mirror URL or $MLU_DOCTOR_COCO_MIRROR and re-run.",
                 name=self.archive.name, reasons=reasons, part=self.part)


def _tries(probes: list[Probe], pool: MirrorPool, state: PartState) -> tuple[MirrorTry, ...]:
    out = []
    for p in probes:
        served = state.sources.get(p.mirror, 0)
        if not p.ok:
            out.append(MirrorTry(p.mirror, "skipped", p.reason))
        elif p.mirror in pool.dropped:
            out.append(MirrorTry(p.mirror, "dropped", pool.reasons.get(p.mirror, ""), served))
        else:
            out.append(MirrorTry(p.mirror, "used" if served else "standby", "", served))
    return tuple(out)
