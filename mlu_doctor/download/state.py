"""The resume state beside a `.part` file: fixed pieces, bytes done per piece, which mirrors served bytes.

Saved atomically (write a temp file, rename) and only ever claims bytes already written with pwrite,
so a kill -9 at any moment leaves a state that under-claims at worst.
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass, field

MIN_PIECE = 1024 * 1024
MAX_PIECE = 32 * 1024 * 1024
STATE_VERSION = 1


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
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    @classmethod
    def fresh(cls, size: int, sha256: str, piece: int) -> PartState:
        count = max(1, -(-size // piece))
        return cls(size=size, sha256=sha256, piece=piece, done=[0] * count)

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

    def to_json(self) -> str:
        with self.lock:
            data = {"version": STATE_VERSION, "size": self.size, "sha256": self.sha256, "piece": self.piece,
                    "done": list(self.done), "sources": dict(self.sources)}
        return json.dumps(data, separators=(",", ":"))

    def save(self, path: str) -> None:
        """Write atomically: a reader (or the next run after kill -9) sees the old or the new state."""
        tmp = f"{path}.tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(self.to_json())
        os.replace(tmp, path)


def load_state(path: str, size: int, sha256: str) -> PartState | None:
    """The saved state if it belongs to this archive and is consistent, else None (start over)."""
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
        if data.get("version") != STATE_VERSION or data["size"] != size or data["sha256"] != sha256:
            return None
        state = PartState(size=size, sha256=sha256, piece=int(data["piece"]), done=[int(d) for d in data["done"]],
                          sources={str(k): int(v) for k, v in data.get("sources", {}).items()})
    except (OSError, ValueError, KeyError, TypeError):
        return None
    count = max(1, -(-size // state.piece)) if state.piece > 0 else -1
    if count != len(state.done) or any(d < 0 or d > e - s for d, (s, e) in
                                       zip(state.done, map(state.bounds, range(count)))):
        return None
    return state
