"""The resume state beside a `.part` file: fixed pieces, bytes done per piece, which mirrors served which
pieces.

Saved atomically (write a temp file, rename) and only ever claims bytes already written with pwrite,
so a kill -9 at any moment leaves a state that under-claims at worst. Power loss: the page cache is
gone, so a state also keeps `durable`, the bytes per piece as of the last flush of the `.part` data
(fdatasync, taken at segment boundaries about once a second), and the boot it was written in; a state
from an earlier boot resumes from `durable` only. It never records a hash: a resumed file is hashed
again from its first byte.
"""

from __future__ import annotations

import functools
import json
import os
import threading
from dataclasses import dataclass, field

MIN_PIECE = 1024 * 1024
MAX_PIECE = 32 * 1024 * 1024
STATE_VERSION = 1
BOOT_ID = "/proc/sys/kernel/random/boot_id"


@functools.lru_cache(maxsize=1)
def boot_id() -> str:
    """This boot's id ("" when unknown: then only flushed bytes are trusted on resume)."""
    try:
        with open(BOOT_ID, encoding="ascii") as fh:
            return fh.read().strip()
    except OSError:
        return ""


def piece_size_for(size: int, connections: int) -> int:
    """Pieces small enough to spread over the connections and keep re-fetching after a kill small."""
    target = size // max(1, connections * 8)
    return max(MIN_PIECE, min(MAX_PIECE, (target // 65536) * 65536 or MIN_PIECE))


@dataclass
class PartState:
    """Progress of one `.part` file."""

    size: int
    sha256: str
    piece: int
    done: list[int]
    sources: dict[str, int] = field(default_factory=dict)
    origins: list[list[str]] = field(default_factory=list)  # per piece: the mirrors that wrote into it
    durable: list[int] = field(default_factory=list)  # `done` as of the last fdatasync of the .part file
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    @classmethod
    def fresh(cls, size: int, sha256: str, piece: int) -> PartState:
        count = max(1, -(-size // piece))
        return cls(size=size, sha256=sha256, piece=piece, done=[0] * count,
                   origins=[[] for _ in range(count)], durable=[0] * count)

    def bounds(self, index: int) -> tuple[int, int]:
        """[start, end) of piece `index`."""
        start = index * self.piece
        return start, min(self.size, start + self.piece)

    def remaining(self, index: int) -> int:
        start, end = self.bounds(index)
        return end - start - self.done[index]

    def pending(self) -> list[int]:
        return [i for i in range(len(self.done)) if self.remaining(i) > 0]

    def have(self) -> int:
        return sum(self.done)

    def advance(self, index: int, nbytes: int, mirror: str) -> None:
        with self.lock:
            self.done[index] += nbytes
            self.sources[mirror] = self.sources.get(mirror, 0) + nbytes
            if mirror not in self.origins[index]:
                self.origins[index].append(mirror)

    def contiguous(self) -> int:
        """How many bytes from the start of the file are written without a gap."""
        with self.lock:
            total = 0
            for i, got in enumerate(self.done):
                total += got
                if got < self.bounds(i)[1] - self.bounds(i)[0]:
                    break
            return total

    def ranges(self) -> dict[str, list[list[int]]]:
        """Byte ranges [start, end) of the pieces each mirror wrote into (a piece may list several
        mirrors)."""
        out: dict[str, list[list[int]]] = {}
        with self.lock:
            for i, mirrors in enumerate(self.origins):
                start, end = self.bounds(i)
                for m in mirrors:
                    spans = out.setdefault(m, [])
                    if spans and spans[-1][1] == start:
                        spans[-1][1] = end
                    else:
                        spans.append([start, end])
        return out

    def to_json(self) -> str:
        ranges = self.ranges()
        with self.lock:
            data = {"version": STATE_VERSION, "size": self.size, "sha256": self.sha256, "piece": self.piece,
                    "done": list(self.done), "durable": list(self.durable), "boot": boot_id(),
                    "sources": dict(self.sources), "ranges": ranges}
        return json.dumps(data, separators=(",", ":"))

    def save(self, path: str, flush_fd: int | None = None) -> None:
        """Write atomically: a reader (or the next run after kill -9) sees the old or the new state.

        With `flush_fd` (the `.part` file) the save is durable: `done` is snapshotted, the data it claims
        is flushed, the snapshot becomes `durable`, and the state file is flushed before the rename."""
        if flush_fd is not None:
            with self.lock:
                snapshot = list(self.done)
            os.fdatasync(flush_fd)
            with self.lock:
                self.durable = [min(a, b) for a, b in zip(snapshot, self.done)]
        from mlu_doctor.output.files import write_atomic

        write_atomic(path, self.to_json(), sync=flush_fd is not None, follow_symlinks=False)


def load_state(path: str, size: int, sha256: str) -> PartState | None:
    """The saved state if it belongs to this archive and is consistent, else None (start over)."""
    from mlu_doctor.untrusted import read_record

    data = read_record(path)
    if not isinstance(data, dict):
        return None
    try:
        if data.get("version") != STATE_VERSION or data["size"] != size or data["sha256"] != sha256:
            return None
        state = PartState(size=size, sha256=sha256, piece=int(data["piece"]),
                          done=[int(d) for d in data["done"]],
                          sources={str(k): int(v) for k, v in data.get("sources", {}).items()})
        count = max(1, -(-size // state.piece)) if state.piece > 0 else -1
        if count != len(state.done) or any(d < 0 or d > e - s for d, (s, e) in
                                           zip(state.done, map(state.bounds, range(count)))):
            return None
        durable = [int(d) for d in data.get("durable", state.done)]
        state.durable = [min(d, got)
                         for d, got in zip(durable, state.done)] if len(durable) == count else [0] * count
        if "boot" in data and (not data["boot"] or data["boot"] != boot_id()):
            state.done = list(state.durable)  # written before a reboot: the page cache did not survive
        state.origins = _origins(data.get("ranges", {}), state)
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError, OverflowError):
        return None
    return state


def _origins(ranges: dict, state: PartState) -> list[list[str]]:
    """Per piece mirrors from the saved byte ranges (states written before ranges were kept have none)."""
    origins: list[list[str]] = [[] for _ in state.done]
    for mirror, spans in ranges.items():
        for start, end in spans:
            for i in range(int(start) // state.piece, -(-int(end) // state.piece)):
                if state.done[i] and str(mirror) not in origins[i]:
                    origins[i].append(str(mirror))
    return origins
