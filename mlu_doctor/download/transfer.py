"""Move one archive's bytes into its `.part` file: Range pieces over several connections, or one stream.

Each connection reads into one reusable buffer (64 KiB growing to 1 MiB while reads come back fast)
and writes it with pwrite at its offset, so memory stays flat whatever the file size. A saver thread
saves the state a few times a second, durably (the `.part` data is flushed before the state that claims
it), so a kill -9 or a power loss loses at most the last fraction of a second.
"""

from __future__ import annotations

import os
import random
import threading
import time
from collections.abc import Callable
from typing import Optional

from mlu_doctor.download.blocks import Blocks
from mlu_doctor.download.manifest import Archive
from mlu_doctor.download.mirrors import MirrorPool, url_for
from mlu_doctor.download.prefixhash import PrefixHasher
from mlu_doctor.download.sniff import bad_magic, content_range, error_page, reply_size
from mlu_doctor.download.state import PartState
from mlu_doctor.gateways.http import HttpClient, HttpError, HttpReply
from mlu_doctor.i18n import _

MIN_READ = 64 * 1024
MAX_READ = 1024 * 1024
FAST_READ = 0.05  # seconds: a read this quick doubles the next one, a read 4x slower halves it
SAVE_EVERY = 0.2
AUTO = 0  # connections=0: choose the count by measurement (Ramp)
AUTO_MAX = 8
RAMP_EVERY = 1.0
RAMP_GAIN = 1.15
STOP_WAIT = 0.5  # seconds the connections get to finish their last write after Ctrl-C
DURABLE_EVERY = 1.0  # at most this often, when a piece completed: flush the .part data, then the state
MIN_STEAL = 4 * 1024 * 1024  # an idle connection takes over no shorter tail of another's block: that much
#                              may already sit in socket buffers on its way to the owner (fetched twice)
BLOCKS_PER_CONNECTION = 4  # blocks handed out in file order keep the hashed prefix close behind
MIN_BLOCK = 16 * 1024 * 1024  # but no shorter requests: each new request would get a fresh burst from a
#                               per-request rate limit (nginx limit_rate), which is not ours to game


class MirrorFault(Exception):
    """A mirror misbehaved for one request; `fatal` drops it at once."""

    def __init__(self, reason: str, fatal: bool) -> None:
        super().__init__(reason)
        self.reason, self.fatal = reason, fatal


class NoRanges(Exception):
    """A Range request was answered with 200 and the whole file."""


def _status_fault(status: int) -> MirrorFault:
    transient = status in (408, 425, 429) or status >= 500
    return MirrorFault(f"HTTP {status}", fatal=not transient)


class Transfer:
    """Fill `state` for `archive` from the mirrors of `pool`; call run() until state.pending() is empty."""

    def __init__(self, archive: Archive, fd: int, state: PartState, state_path: str, pool: MirrorPool,
                 http: HttpClient, connections: int, progress: Callable[[int], None],
                 stop: threading.Event, backoff: float = 0.5, hasher: Optional[PrefixHasher] = None) -> None:
        self.archive, self.fd, self.state, self.state_path = archive, fd, state, state_path
        self.pool, self.http = pool, http
        self.auto, self.connections = connections == AUTO, connections or AUTO_MAX
        self.used = 0  # most connections open at once (what `auto` settled on)
        self.progress, self.stop, self.backoff, self.hasher = progress, stop, backoff, hasher
        self._save_lock = threading.Lock()
        self._saver_quit = threading.Event()
        self._piece_done = threading.Event()
        self.fetched = 0
        self.served: dict[str, int] = {}  # bytes each mirror delivered in this transfer

    # -- orchestration --------------------------------------------------------------------
    def run(self) -> None:
        """Rounds until every piece is done; raises MirrorFault('no mirror left') when the pool is empty."""
        saver = threading.Thread(target=self._saver, name="state-saver", daemon=True)
        saver.start()
        try:
            while self.state.pending() and not self.stop.is_set():
                whole = self.pool.best(ranges=False)
                if self.pool.best(ranges=True) is not None:
                    self._segmented_round()
                elif whole is not None:
                    self._single_stream(whole)
                else:
                    raise MirrorFault(_("no mirror left"), fatal=True)
        finally:
            self._saver_quit.set()
            saver.join()
            self.save()

    def _segmented_round(self) -> None:
        """Blocks over the connections; with `auto` one connection first, another each RAMP_EVERY seconds
        while the total throughput still grows by RAMP_GAIN (a capped mirror: each one adds its cap; loopback
        or a saturated link: the second one adds nothing, so one stays)."""
        pending = self.state.pending()
        partial = {i for i in pending if self.state.done[i] > 0}
        wanted = min(self.connections * BLOCKS_PER_CONNECTION, self.state.size // MIN_BLOCK)
        last = len(self.state.done) - 1
        start, end = self.state.bounds(last)
        short_last = pending[-1] == last and end - start < self.state.piece
        parts = 1 if self.auto else max(self.connections, wanted)  # auto: connections it adds steal halves
        blocks = Blocks(pending, partial, parts, -(-MIN_STEAL // self.state.piece), short_last)
        limit = max(1, min(self.connections, len(pending)))
        threads: list[threading.Thread] = []
        ramp = Ramp(self.fetched) if self.auto else None
        try:
            while True:
                if len(threads) < (limit if ramp is None else 1) or \
                        (ramp is not None and len(threads) < limit and ramp.grow(self.fetched)):
                    threads.append(threading.Thread(target=self._worker, args=(blocks, len(threads)),
                                                    daemon=True))
                    threads[-1].start()
                    self.used = max(self.used, len(threads))
                    continue
                alive = [t for t in threads if t.is_alive()]
                if not alive:
                    return
                alive[0].join(0.2)
        except KeyboardInterrupt:
            self.stop.set()  # the HTTP client's watchdog aborts every open reply
            deadline = time.monotonic() + STOP_WAIT
            for t in threads:
                t.join(max(0.0, deadline - time.monotonic()))
            raise

    def _worker(self, blocks: Blocks, worker: int) -> None:
        while not self.stop.is_set():
            block = blocks.take(worker)
            if block is None:
                return
            mirror = self.pool.best(ranges=True)
            if mirror is None:
                blocks.give_back(worker)
                return
            try:
                self._fetch_block(mirror, blocks, worker, block)
            except NoRanges:
                self.pool.no_ranges(mirror)
            except MirrorFault as fault:
                strikes = self.pool.fault(mirror, fault.reason, fault.fatal)
                if not fault.fatal:
                    self._sleep(strikes)
            finally:
                blocks.give_back(worker)

    def _sleep(self, strikes: int) -> None:
        delay = min(8.0, self.backoff * 2 ** (strikes - 1)) * (0.75 + random.random() / 2)
        self.stop.wait(delay)

    def accept(self, data: bytes, mirror: str, offset: int) -> None:
        """Bytes read elsewhere (a mirror's probe sample) from `offset`: write those still missing."""
        self._write(memoryview(data), mirror, min(offset, self.state.size), lambda at: None, lambda: None)

    # -- one request ------------------------------------------------------------------------
    def _open(self, mirror: str, start: Optional[int], end: Optional[int]) -> HttpReply:
        try:
            return self.http.get(url_for(mirror, self.archive), start, end)
        except HttpError as exc:
            raise MirrorFault(exc.reason, fatal=False) from None

    def _fetch_block(self, mirror: str, blocks: Blocks, worker: int, block: tuple[int, int]) -> None:
        """One Range request from the first piece's resume point to the block's end."""
        offset = self.state.bounds(block[0])[0] + self.state.done[block[0]]
        end = self.state.bounds(block[1] - 1)[1]
        reply = self._open(mirror, offset, end - 1)
        try:
            if reply.status == 200:
                raise NoRanges()
            if reply.status != 206:
                raise _status_fault(reply.status)
            rng = content_range(reply.headers)
            if rng is None or rng[0] != offset or (rng[2] is not None and rng[2] != self.state.size):
                raise MirrorFault(_("wrong Content-Range {value}",
                                    value=repr(reply.headers.get('Content-Range'))),
                                  fatal=True)
            self._copy(reply, mirror, offset, end, lambda at: blocks.at(worker, at),
                       lambda: blocks.end_of(worker))
        finally:
            reply.close()
        if self.state.pending() and any(self.state.remaining(i)
                                        for i in range(block[0], blocks.end_of(worker))) \
                and not self.stop.is_set():
            raise MirrorFault(_("connection closed before the end of the range"), fatal=False)

    def _single_stream(self, mirror: str) -> None:
        """A mirror without Range support: read from byte 0 and rewrite everything in order."""
        try:
            reply = self._open(mirror, None, None)
            try:
                if reply.status != 200:
                    raise _status_fault(reply.status)
                why = error_page(reply.headers, b"")
                if why:
                    raise MirrorFault(why, fatal=True)
                size = reply_size(reply.status, reply.headers)
                if size is not None and size != self.state.size:
                    raise MirrorFault(_("size {size} differs from the pinned {pinned}", size=size,
                                        pinned=self.state.size), fatal=True)
                # From byte 0, but only the missing bytes are written: what is saved stays saved (the
                # first bytes are checked for error pages before anything is written; SHA-256 at the end)
                self._copy(reply, mirror, 0, self.state.size)
            finally:
                reply.close()
            if self.state.pending() and not self.stop.is_set():
                raise MirrorFault(_("connection closed before the end of the file"), fatal=False)
        except MirrorFault as fault:
            strikes = self.pool.fault(mirror, fault.reason, fault.fatal)
            if not fault.fatal:
                self._sleep(strikes)

    def _copy(self, reply: HttpReply, mirror: str, offset: int, limit: int,
              on_piece: Callable[[int], None] = lambda at: None,
              end_piece: Callable[[], Optional[int]] = lambda: None) -> None:
        """Write the body from `offset` up to `limit` (exclusive), or until the block was cut short by a
        stealer (`end_piece`); the first bytes are checked for error pages."""
        buf = memoryview(bytearray(MAX_READ))
        want, first = MIN_READ, True
        while offset < limit and not self.stop.is_set():
            stop_at = end_piece()
            if stop_at is not None:  # a stealer took the back of the block: read nothing past its new end
                limit = min(limit, self.state.bounds(stop_at - 1)[1] if stop_at > 0 else 0)
                if offset >= limit:
                    return
            started = time.monotonic()
            got = self._read(reply, buf[:min(want, limit - offset)])
            if not got:
                return
            want = _next_read(want, time.monotonic() - started)
            if first:
                head = bytes(buf[:min(got, 512)])
                why = error_page(reply.headers, head) or bad_magic(self.archive.name, offset, head)
                if why:
                    raise MirrorFault(why, fatal=True)
                first = False
            if not self._write(buf[:got], mirror, offset, on_piece, end_piece):
                return
            offset += got

    def _write(self, data: memoryview, mirror: str, offset: int, on_piece: Callable[[int], None],
               end_piece: Callable[[], Optional[int]]) -> bool:
        """pwrite `data` piece by piece; False when a stealer took the next piece or Ctrl-C was pressed."""
        while data and not self.stop.is_set():
            index = offset // self.state.piece
            stop_at = end_piece()
            if stop_at is not None and index >= stop_at:
                return False
            start, end = self.state.bounds(index)
            have_end = start + self.state.done[index]
            if offset < have_end:  # already saved (a stream without Range support sends it again): skip
                skip = min(have_end - offset, len(data))
                data, offset = data[skip:], offset + skip
                continue
            room = end - offset
            part, data = data[:room], data[room:]
            os.pwrite(self.fd, part, offset)
            offset += len(part)
            self.state.advance(index, len(part), mirror)
            self.fetched += len(part)
            self.served[mirror] = self.served.get(mirror, 0) + len(part)
            self.progress(len(part))
            if self.state.remaining(index) == 0:
                on_piece(index + 1)
                self._piece_done.set()
                if self.hasher is not None:
                    self.hasher.poke()
        return not self.stop.is_set()

    @staticmethod
    def _read(reply: HttpReply, view: memoryview) -> int:
        try:
            return reply.readinto(view)
        except HttpError as exc:
            raise MirrorFault(exc.reason, fatal=False) from None

    def _saver(self) -> None:
        """Save a few times a second; durably at segment boundaries, at most once per DURABLE_EVERY."""
        flushed = time.monotonic()
        while not self._saver_quit.wait(SAVE_EVERY):
            durable = self._piece_done.is_set() and time.monotonic() - flushed >= DURABLE_EVERY
            if durable:
                self._piece_done.clear()
                flushed = time.monotonic()
            self.save(durable)

    def save(self, durable: bool = False) -> None:
        """Save the state atomically; durably: flush the `.part` data first (see state.py)."""
        with self._save_lock:
            self.state.save(self.state_path, flush_fd=self.fd if durable else None)


class Ramp:
    """When to open one more connection. Each RAMP_EVERY seconds the bytes per second are measured; the
    interval in which a connection started is not judged (connection set-up, and a rate-capped server's
    first-second burst); after that, one more connection while the rate grew by RAMP_GAIN over the best so
    far, and once it did not, none again in this round."""

    def __init__(self, fetched: int) -> None:
        self.mark = (time.monotonic(), fetched)
        self.best = 0.0
        self.warming = True
        self.settled = False

    def grow(self, fetched: int) -> bool:
        now = time.monotonic()
        if self.settled or now - self.mark[0] < RAMP_EVERY:
            return False
        rate = (fetched - self.mark[1]) / (now - self.mark[0])
        self.mark = (now, fetched)
        if self.warming:
            self.warming = False
            return False
        if rate > self.best * RAMP_GAIN:
            self.best, self.warming = rate, True
            return True
        self.settled = True
        return False


def _next_read(want: int, seconds: float) -> int:
    """Grow reads while they come back quickly (few Python steps per MiB); shrink them on a slow link so
    progress, Ctrl-C and the saved state stay within a fraction of a second."""
    if seconds < FAST_READ:
        return min(MAX_READ, want * 2)
    if seconds > 4 * FAST_READ:
        return max(MIN_READ, want // 2)
    return want
