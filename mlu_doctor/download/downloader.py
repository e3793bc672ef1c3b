"""Download one archive: probe mirrors, transfer into `.part` while hashing its prefix, verify, rename.

When the SHA-256 does not match, a file written by one mirror drops that mirror; a file whose bytes came
from several mirrors (the state records which pieces each one wrote) is downloaded again from the best
mirror alone before anybody is blamed.
"""

from __future__ import annotations

import contextlib
import os
import stat
import threading
import time
from collections.abc import Callable
from typing import Optional

from mlu_doctor.download.archive import FileResult, MirrorTry, Timing, TransferOptions, remember_good
from mlu_doctor.download.extract import human_bytes
from mlu_doctor.download.manifest import Archive
from mlu_doctor.download.mirrors import MirrorPool, Probe, probe_all
from mlu_doctor.download.prefixhash import PrefixHasher
from mlu_doctor.download.state import PartState, load_state, piece_size_for
from mlu_doctor.download.transfer import AUTO_MAX, MirrorFault, Transfer
from mlu_doctor.errors import CannotRun
from mlu_doctor.gateways.http import HttpClient
from mlu_doctor.i18n import _


class Downloader:
    """Download one archive into `folder` from the best mirrors; resumable, verified, atomic."""

    def __init__(self, archive: Archive, folder: str, mirrors: tuple[str, ...], http: HttpClient,
                 options: TransferOptions, progress: Callable[[int], None], stop: threading.Event,
                 verified: str) -> None:
        self.archive, self.folder, self.mirrors, self.http = archive, folder, mirrors, http
        self.options, self.progress, self.stop, self.verified = options, progress, stop, verified
        self.final = os.path.join(folder, archive.name)
        self.part = self.final + ".part"
        self.state_path = self.part + ".state"
        self.verify_seconds = 0.0
        self.notes: list[str] = []
        self.served: dict[str, int] = {}  # bytes each mirror delivered in this run, across retries and blame
        self.connections = 0
        self._head: Optional[tuple[str, int, bytes]] = None  # (mirror, offset, bytes) read by the probe

    def run(self) -> FileResult:
        """The archive verified at its final name, or a "failed" result saying why every mirror failed."""
        started = time.monotonic()
        state = self._load_or_fresh()
        resumed = state.have() > 0
        probes = probe_all(self.http, self.mirrors, self.archive, first_missing(state))
        probed = time.monotonic()
        pool = MirrorPool(probes, self.options.connections or AUTO_MAX, self.options.retries)
        best = next((p for p in probes if p.mirror == pool.best() and p.data), None)
        self._head = (best.mirror, best.data_at, best.data) if best else None
        try:
            state = self._fill(state, pool)
        except _Exhausted as exc:
            return FileResult(self.archive.name, self.part, "failed", bytes=sum(self.served.values()),
                              seconds=round(time.monotonic() - started, 3), tried=self._tries(probes, pool),
                              note=exc.message)
        filled = time.monotonic()
        os.replace(self.part, self.final)
        os.unlink(self.state_path)
        remember_good(self.final, self.archive, self.verified)
        done = time.monotonic()
        used = max(self.served, key=lambda m: self.served[m]) if self.served else None
        timing = Timing(probe=round(probed - started, 3),
                        transfer=round(filled - probed - self.verify_seconds, 3),
                        verify=round(self.verify_seconds, 3), rename=round(done - filled, 3))
        return FileResult(self.archive.name, self.final, "resumed" if resumed else "downloaded",
                          sha256=self.archive.sha256, mirror=used, bytes=sum(self.served.values()),
                          seconds=round(done - started, 3), tried=self._tries(probes, pool),
                          note="; ".join(self.notes), timing=timing, connections=self.connections)

    def _fill(self, state: PartState, pool: MirrorPool) -> PartState:
        """Transfer until the .part file hashes right; returns the final state."""
        hasher = None
        try:
            while True:
                if not pool.alive():
                    raise _Exhausted(self._exhausted(pool, state))
                hasher = hasher or PrefixHasher(self.part, state)
                self._transfer(state, pool, hasher)
                if self.stop.is_set():
                    raise KeyboardInterrupt
                if state.pending():
                    continue
                began = time.monotonic()
                sha = hasher.finish()
                self.verify_seconds += time.monotonic() - began
                hasher.release()
                hasher = None
                if sha == self.archive.sha256:
                    return state
                self._blame(state, pool)
                state = self._fresh()
        finally:
            if hasher is not None:
                hasher.release()

    def _transfer(self, state: PartState, pool: MirrorPool, hasher: PrefixHasher) -> None:
        """One Transfer over a fresh descriptor; a MirrorFault ends the round (the pool decides what next)."""
        fd = os.open(self.part, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
        try:
            os.ftruncate(fd, self.archive.size)
            transfer = Transfer(self.archive, fd, state, self.state_path, pool, self.http,
                                self.options.connections,
                                self.progress, self.stop, self.options.backoff, hasher)
            try:
                if self._head is not None:  # the best mirror's probe sample: not fetched twice
                    transfer.accept(self._head[2], self._head[0], self._head[1])
                    self._head = None
                with contextlib.suppress(MirrorFault):
                    transfer.run()
            finally:
                for mirror, n in transfer.served.items():
                    self.served[mirror] = self.served.get(mirror, 0) + n
                self.connections = max(self.connections, transfer.used)
        finally:
            os.close(fd)

    def _blame(self, state: PartState, pool: MirrorPool) -> None:
        """Wrong bytes: drop the one mirror that wrote them all, or retry from one mirror when several did."""
        served = [m for m in state.sources if state.sources[m] > 0]
        if len(served) <= 1:
            for mirror in served or [m for m in [pool.best()] if m]:
                pool.fault(mirror, _("served bytes whose SHA-256 does not match the manifest"), fatal=True)
            pool.pin(None)
            return
        alone = pool.best()
        if alone is None:
            return
        pool.pin(alone)
        spans = "; ".join(f"{m}: " + ", ".join(f"{a}-{b}" for a, b in r) for m, r in state.ranges().items())
        self.notes.append(_("bytes from several mirrors did not match the SHA-256 ({spans}); downloaded "
                            "again from {mirror} alone", spans=spans, mirror=alone))

    def _load_or_fresh(self) -> PartState:
        try:
            os.makedirs(self.folder, exist_ok=True)
        except OSError as exc:  # DEST/downloads is a file, a FIFO, a dangling link...
            from mlu_doctor.system.files import file_kind

            why = exc.strerror or str(exc)
            with contextlib.suppress(OSError):
                mode = os.lstat(self.folder).st_mode
                why = _("it is a file") if stat.S_ISREG(mode) else _("it is {kind}", kind=file_kind(mode))
            raise CannotRun(_("cannot use {path} for downloads: {error}", path=self.folder,
                              error=why)) from None
        self._own_part()
        if os.path.lexists(self.part):
            state = load_state(self.state_path, self.archive.size, self.archive.sha256)
            if state is not None:
                return state
        return self._fresh()

    def _own_part(self) -> None:
        """The .part path holds a regular file of ours or nothing: a symlink there would have the download
        written through it (outside DEST), a FIFO would block it."""
        with contextlib.suppress(FileNotFoundError):
            mode = os.lstat(self.part).st_mode
            if not stat.S_ISREG(mode):
                from mlu_doctor.system.files import file_kind

                raise CannotRun(_("{path} is {kind}, not a partial download of mlu-doctor: remove it and run "
                                  "again",
                                  path=self.part, kind=file_kind(mode)))

    def _fresh(self) -> PartState:
        piece = piece_size_for(self.archive.size, self.options.connections or AUTO_MAX)
        state = PartState.fresh(self.archive.size, self.archive.sha256, piece)
        os.close(os.open(self.part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW | os.O_CLOEXEC,
                         0o644))
        state.save(self.state_path)
        return state

    def _exhausted(self, pool: MirrorPool, state: PartState) -> str:
        reasons = "; ".join(f"{m}: {r}" for m, r in pool.reasons.items()) or _("no mirror configured")
        if state.have() == 0:  # nothing worth keeping: leave no empty .part behind
            for path in (self.part, self.state_path):
                with contextlib.suppress(OSError):
                    os.unlink(path)
            return _("could not download {name}: every mirror failed ({reasons}). Add a working mirror with "
                     "--mirror URL or $MLU_DOCTOR_COCO_MIRROR and re-run.", name=self.archive.name,
                     reasons=reasons)
        return _("could not download {name}: every mirror failed ({reasons}). The partial file {part} "
                 "({have} of "
                 "{size}) is kept; add a working mirror with --mirror URL or $MLU_DOCTOR_COCO_MIRROR and "
                 "re-run to resume.", name=self.archive.name, reasons=reasons, part=self.part,
                 have=human_bytes(state.have()), size=human_bytes(state.size))

    def _tries(self, probes: list[Probe], pool: MirrorPool) -> tuple[MirrorTry, ...]:
        """Every mirror considered, with the bytes it delivered in this run (dropped ones included)."""
        out = []
        for p in probes:
            served = self.served.get(p.mirror, 0)
            if not p.ok:
                out.append(MirrorTry(p.mirror, "skipped", p.reason))
            elif p.mirror in pool.dropped:
                out.append(MirrorTry(p.mirror, "dropped", pool.reasons.get(p.mirror, ""), served))
            else:
                out.append(MirrorTry(p.mirror, "used" if served else "standby", "", served))
        return tuple(out)


def first_missing(state: PartState) -> int:
    """The first byte of the file not written yet (where the probes read their sample)."""
    pending = state.pending()
    return state.bounds(pending[0])[0] + state.done[pending[0]] if pending else 0


class _Exhausted(Exception):
    """No mirror is left for this archive; `message` says why each one failed."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
