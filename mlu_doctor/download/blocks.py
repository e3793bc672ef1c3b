"""Hand pieces to connections as contiguous blocks (one long Range request each); idle connections steal.

One request per connection keeps a per-connection throttle honest and the request count low; when a
connection runs out of work it takes the back half of the largest block still being fetched.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Optional


def runs(pending: Sequence[int], partial: set[int]) -> list[list[int]]:
    """Consecutive pending pieces as [first, end) runs; a partly done piece always starts a run."""
    out: list[list[int]] = []
    for i in pending:
        if out and out[-1][1] == i and i not in partial:
            out[-1][1] = i + 1
        else:
            out.append([i, i + 1])
    return out


def split(blocks: list[list[int]], parts: int) -> list[list[int]]:
    """Split the largest blocks until there are `parts` of them (or every block is one piece)."""
    blocks = [list(b) for b in blocks]
    while len(blocks) < parts:
        big = max(blocks, key=lambda b: b[1] - b[0])
        if big[1] - big[0] < 2:
            break
        mid = big[0] + (big[1] - big[0]) // 2
        blocks.append([mid, big[1]])
        big[1] = mid
    return sorted(blocks)


class Blocks:
    """Thread-safe block scheduler: take(), end_of(), at(), give_back()."""

    def __init__(self, pending: Sequence[int], partial: set[int], parts: int, min_steal: int = 1,
                 short_last: bool = False) -> None:
        self._lock = threading.Lock()
        self._min_steal = max(1, min_steal)  # pieces: a shorter tail may already be in flight to its owner
        self._free = split(runs(pending, partial), parts)
        last = self._free[-1] if self._free else None
        if short_last and last is not None and last[1] - last[0] > 1:
            # the file's short last piece on its own, taken by whoever is idle first: a rate-capped mirror
            # (nginx limit_rate counts whole seconds) would keep the connection that gets it a second longer
            last[1] -= 1
            self._free.append([last[1], last[1] + 1])
        self._active: dict[int, list[int]] = {}

    def take(self, worker: int) -> Optional[tuple[int, int]]:
        """A free block, else the back half of the largest active one, else None."""
        with self._lock:
            if self._free:
                block = self._free.pop(0)
            else:
                victim = max(self._active.values(), key=lambda b: b[1] - b[0], default=None)
                if victim is None or victim[1] - victim[0] < 2:
                    return None
                mid = victim[0] + (victim[1] - victim[0] + 1) // 2
                if victim[1] - mid < self._min_steal:
                    return None
                block = [mid, victim[1]]
                victim[1] = mid
            self._active[worker] = block
            return block[0], block[1]

    def end_of(self, worker: int) -> int:
        with self._lock:
            return self._active[worker][1]

    def at(self, worker: int, piece: int) -> None:
        """The worker is now on `piece` (stealers split after it)."""
        with self._lock:
            self._active[worker][0] = piece

    def give_back(self, worker: int) -> None:
        """Return what the worker did not finish (after a fault) to the free list."""
        with self._lock:
            block = self._active.pop(worker, None)
            if block and block[0] < block[1]:
                self._free.append(block)
