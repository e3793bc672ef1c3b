"""Mirrors: where base URLs come from, probing each before bulk transfer, and the pool that drops bad ones."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Optional

from mlu_doctor.download.manifest import Archive
from mlu_doctor.download.sniff import bad_magic, content_range, error_page, reply_size
from mlu_doctor.gateways.http import HttpClient, HttpError, HttpReply
from mlu_doctor.i18n import _

ENV_MIRROR = "MLU_DOCTOR_COCO_MIRROR"
PROBE_BYTES = 256 * 1024  # throughput sample when there are mirrors to compare
SNIFF_BYTES = 64 * 1024  # with one mirror: enough to check status, size, Range support and the first bytes


def mirror_list(cli: Iterable[str], config: Iterable[str], official: str,
                environ: Mapping[str, str]) -> tuple[str, ...]:
    """--mirror first, then $MLU_DOCTOR_COCO_MIRROR (comma or space separated), config, the official host."""
    env = environ.get(ENV_MIRROR, "").replace(",", " ").split()
    out: list[str] = []
    for base in (*cli, *env, *config, official):
        base = base.strip()
        if base and base.rstrip("/") not in (m.rstrip("/") for m in out):
            out.append(base)
    return tuple(out)


def url_for(mirror: str, archive: Archive) -> str:
    return mirror.rstrip("/") + "/" + archive.path


@dataclass(frozen=True)
class Probe:
    """What a short ranged GET at the resume point of an archive showed about one mirror; the bytes it read
    are kept (`data` from `data_at`) so they need not be fetched again."""

    mirror: str
    ok: bool
    reason: str = ""
    ranges: bool = False
    speed: float = 0.0  # bytes per second over the sample, latency included
    data: bytes = field(default=b"", repr=False, compare=False)
    data_at: int = 0

    def score(self, connections: int) -> float:
        return self.speed * (connections if self.ranges else 1)


def probe(http: HttpClient, mirror: str, archive: Archive, sample: int = PROBE_BYTES,
          offset: int = 0) -> Probe:
    """Reachable? status? size as pinned? Range support? not an error page? and a throughput sample, read
    from `offset` (the first byte still missing)."""
    started = time.monotonic()
    offset = offset if 0 <= offset < archive.size else 0
    try:
        reply = http.get(url_for(mirror, archive), offset, min(offset + sample, archive.size) - 1)
    except HttpError as exc:
        return Probe(mirror, False, exc.reason)
    at = offset if reply.status == 206 else 0
    try:
        data, why = _sample(reply, archive, sample, at)
    except HttpError as exc:
        return Probe(mirror, False, exc.reason)
    finally:
        reply.close()
    if why:
        return Probe(mirror, False, why)
    seconds = max(time.monotonic() - started, 1e-6)
    return Probe(mirror, True, "", ranges=reply.status == 206, speed=len(data) / seconds, data=data,
                 data_at=at)


def _sample(reply: HttpReply, archive: Archive, sample: int, at: int) -> tuple[bytes, Optional[str]]:
    """Read up to `sample` bytes; (the bytes read, why the mirror is unusable or None)."""
    if reply.status not in (200, 206):
        return b"", f"HTTP {reply.status}"
    rng = content_range(reply.headers) if reply.status == 206 else None
    if reply.status == 206 and (rng is None or rng[0] != at):
        return b"", _("wrong Content-Range {value}", value=repr(reply.headers.get("Content-Range")))
    chunks: list[bytes] = []
    got = 0
    for chunk in reply.chunks(64 * 1024):
        if not chunks:
            why = error_page(reply.headers, chunk[:512]) or bad_magic(archive.name, at, chunk[:512])
            if why:
                return b"", why
        chunks.append(chunk)
        got += len(chunk)
        if got >= sample:
            break
    if not chunks:
        why = error_page(reply.headers, b"")
        if why:
            return b"", why
    size = reply_size(reply.status, reply.headers)
    if size is not None and size != archive.size:
        return b"", _("size {size} differs from the pinned {pinned}", size=size, pinned=archive.size)
    return b"".join(chunks)[:sample], None


def probe_all(http: HttpClient, mirrors: Iterable[str], archive: Archive, offset: int = 0) -> list[Probe]:
    """Probe mirrors in parallel (so one stalled mirror costs one timeout, not one each); a lone mirror
    has nothing to be compared with, so it only gets the short sniff instead of a throughput sample."""
    mirrors = list(mirrors)
    if not mirrors:
        return []
    sample = PROBE_BYTES if len(mirrors) > 1 else SNIFF_BYTES
    results: list[Optional[Probe]] = [None] * len(mirrors)

    def one(i: int) -> None:
        results[i] = probe(http, mirrors[i], archive, sample, offset)

    threads = [threading.Thread(target=one, args=(i,), daemon=True) for i in range(len(mirrors))]
    for t in threads:  # daemon threads, joined with a timeout: Ctrl-C is never held up by a stalled probe
        t.start()
    for t in threads:
        while t.is_alive():
            t.join(0.2)
    return [r if r is not None else Probe(m, False, _("probe failed")) for m, r in zip(mirrors, results)]


def rank(probes: list[Probe], connections: int) -> list[Probe]:
    """Usable mirrors: those within half the best measured score keep the order they were listed in
    (a 256 KiB sample is noisy; the user's order is a preference), slower ones follow by score."""
    usable = [p for p in probes if p.ok]
    best = max((p.score(connections) for p in usable), default=0.0)
    index = {p.mirror: i for i, p in enumerate(usable)}
    return sorted(usable, key=lambda p: (p.score(connections) < best / 2, index[p.mirror] if
                                         p.score(connections) >= best / 2 else -p.score(connections)))


class MirrorPool:
    """Usable mirrors, best first; transient faults count strikes, serious faults drop a mirror at once."""

    def __init__(self, probes: list[Probe], connections: int, retries: int = 3) -> None:
        self._lock = threading.Lock()
        self._order = rank(probes, connections)
        self._ranges = {p.mirror: p.ranges for p in self._order}
        self._strikes: dict[str, int] = {}
        self.retries = retries
        self.reasons: dict[str, str] = {p.mirror: p.reason for p in probes if not p.ok}
        self.skipped = set(self.reasons)
        self.dropped: set[str] = set()
        self._pinned: Optional[str] = None

    def pin(self, mirror: Optional[str]) -> None:
        """Use only `mirror` while it is in the pool (None: every mirror again)."""
        with self._lock:
            self._pinned = mirror

    def best(self, ranges: Optional[bool] = None) -> Optional[str]:
        """The best mirror still in the pool (with or without Range support when asked); only the pinned
        one while it is alive."""
        with self._lock:
            pinned = self._pinned
            if pinned is not None and pinned not in self.dropped:
                return pinned if ranges is None or self._ranges[pinned] == ranges else None
            for p in self._order:
                if p.mirror not in self.dropped and (ranges is None or self._ranges[p.mirror] == ranges):
                    return p.mirror
        return None

    def ranges(self, mirror: str) -> bool:
        return self._ranges.get(mirror, False)

    def no_ranges(self, mirror: str) -> None:
        """The mirror answered a Range request with the whole file: use it only as one stream."""
        with self._lock:
            self._ranges[mirror] = False

    def fault(self, mirror: str, reason: str, fatal: bool) -> int:
        """Record a fault; returns the strike count (the mirror is dropped when fatal or out of retries)."""
        with self._lock:
            strikes = self._strikes.get(mirror, 0) + 1
            self._strikes[mirror] = strikes
            if fatal or strikes > self.retries:
                self.dropped.add(mirror)
                self.reasons[mirror] = reason if fatal else _("{reason} ({strikes} times)", reason=reason,
                                                              strikes=strikes)
            return strikes

    def alive(self) -> bool:
        return self.best() is not None
