"""SHA-256 of a `.part` file computed while it downloads: a background thread hashes the written prefix.

The thread reads back (from the page cache) the bytes the state claims contiguously from byte 0, so
the check after the transfer only hashes what was still missing. Nothing is trusted from an earlier
run: a resumed file is hashed from its first byte, and the digest is never stored in the state.
"""

from __future__ import annotations

import hashlib
import os
import threading

from mlu_doctor.download.state import PartState

BLOCK = 4 * 1024 * 1024
IDLE_WAIT = 0.05


class PrefixHasher:
    """Hash `path` from its start as far as `state.contiguous()` allows; finish() returns the hex digest."""

    def __init__(self, path: str, state: PartState) -> None:
        self.state = state
        self._fd = os.open(path, os.O_RDONLY)
        self._buf = bytearray(BLOCK)
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._quit = threading.Event()
        self._sha = hashlib.sha256()
        self.position = 0
        self._thread = threading.Thread(target=self._loop, name="prefix-hash", daemon=True)
        self._thread.start()

    def poke(self) -> None:
        """More bytes may be contiguous now (a piece was completed)."""
        self._wake.set()

    def _loop(self) -> None:
        while not self._quit.is_set():
            if not self._step(self.state.contiguous()):
                self._wake.wait(IDLE_WAIT)
                self._wake.clear()

    def _step(self, limit: int) -> bool:
        """Hash one block below `limit`; False when there was nothing to hash."""
        with self._lock:
            want = min(BLOCK, limit - self.position)
            if want <= 0:
                return False
            view = memoryview(self._buf)[:want]
            got = os.preadv(self._fd, [view], self.position)
            if got <= 0:
                return False
            self._sha.update(view[:got])
            self.position += got
            return True

    def finish(self) -> str:
        """Stop the thread, hash what is left up to the state's contiguous end, return the digest."""
        self.close()
        limit = self.state.contiguous()
        while self._step(limit):
            pass
        return self._sha.hexdigest()

    def close(self) -> None:
        self._quit.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join()

    def release(self) -> None:
        """Stop and close the file descriptor."""
        self.close()
        os.close(self._fd)
