"""The raw stream of an exec after `exec start` upgraded the connection (see `system.docker`): stdin is
written as is (send, or sendfile for file bodies), output comes back in frames with an 8-byte header
(stream, size): 1 stdout, 2 stderr, 3 the daemon's own error about the exec (never the command's output)."""

from __future__ import annotations

import contextlib
import socket
import ssl
import struct
import threading
import time
from collections.abc import Iterator
from typing import Any, Callable, Optional

from mlu_doctor.errors import CannotRun

STDOUT, STDERR, SYSTEMERR = 1, 2, 3


class ExecTimeout(Exception):
    """An exec still running at its timeout (abandoned: docker cannot kill an exec)."""


class RawOut:
    """Where a request body is written: bytes, or an open file's first `count` bytes (sendfile: no copy in
    Python)."""

    def __init__(self, sock: Any) -> None:
        self.sock = sock

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def sendfile(self, fh: Any, count: int) -> int:
        if not count:
            return 0
        if isinstance(self.sock, socket.socket):
            return self.sock.sendfile(fh, 0, count)
        fh.seek(0)
        sent = 0
        while sent < count:  # an ssh channel: no sendfile
            data = fh.read(min(1 << 20, count - sent))
            if not data:
                break
            self.sock.sendall(data)
            sent += len(data)
        return sent


class ExecStream(RawOut):
    """An exec's raw stream after `exec start`: stdin by send / sendfile, output as (stream, data) frames."""

    def __init__(self, docker: Any, eid: str, sock: Any, timeout: float) -> None:
        super().__init__(sock)
        self.docker, self.eid, self.timeout = docker, eid, timeout
        self.buf = bytearray()
        self.system = bytearray()  # stream 3: the daemon's own error about this exec
        sock.settimeout(timeout)

    def settimeout(self, seconds: Optional[float]) -> None:
        self.sock.settimeout(seconds)

    def close_stdin(self) -> None:
        """End the command's stdin (the connection stays open for its output)."""
        with contextlib.suppress(OSError):
            if hasattr(self.sock, "shutdown_write"):  # an ssh channel
                self.sock.shutdown_write()
            else:
                self.sock.shutdown(socket.SHUT_WR)

    def _fill(self, n: int) -> bool:
        """At least n bytes buffered (False at the end of the stream); a timeout keeps what was read."""
        while len(self.buf) < n:
            try:
                data = self.sock.recv(1 << 16)
            except ssl.SSLEOFError:  # TLS ended without close_notify (a terminating proxy): the frames say if
                return False  # anything is missing
            if not data:
                return False
            self.buf += data
        return True

    def frame(self) -> Optional[tuple[int, bytes]]:
        """The next frame (stream, data); None at the end. socket.timeout (an OSError) when silent too
        long."""
        while True:
            if not self._fill(8):
                return None
            kind, size = struct.unpack_from(">BxxxL", self.buf)
            if not self._fill(8 + size):
                return None
            data = bytes(self.buf[8:8 + size])
            del self.buf[:8 + size]
            if kind == SYSTEMERR:
                self.system += data
            elif data:
                return kind, data

    def frames(self, deadline: Optional[float] = None) -> Iterator[tuple[int, bytes]]:
        """Frames until the end; ExecTimeout past `deadline`; silence of `timeout` s without one ->
        CannotRun."""
        while True:
            if deadline is not None:
                self.sock.settimeout(max(0.001, min(self.timeout, deadline - time.monotonic())))
            try:
                with self.docker.calls():
                    got = self.frame()
            except CannotRun:
                if deadline is not None and time.monotonic() >= deadline:
                    raise ExecTimeout(deadline) from None
                raise
            if got is None:
                return
            yield got

    def recv(self) -> bytes:
        """The next stdout data; b"" when the command has ended. Raises OSError (socket.timeout included)."""
        while True:
            got = self.frame()
            if got is None:
                return b""
            if got[0] == STDOUT:
                return got[1]

    def exit_code(self) -> Optional[int]:
        return self.docker.exec_code(self.eid)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.close()


class ExecPipe:
    """stdin written by the caller while a thread collects the output. When the output ends while stdin is
    still being written (the command died, its container was killed), the socket is shut down, so a blocked
    write fails at once instead of waiting for a daemon that no longer reads."""

    def __init__(self, stream: ExecStream, on_out: Optional[Callable[[bytes], None]] = None) -> None:
        self.stream = stream
        self.out, self.err = bytearray(), bytearray()
        self.on_out = on_out or self.out.extend
        self.failure: Optional[BaseException] = None
        self.writing = True
        self.thread = threading.Thread(target=self._collect, daemon=True)
        self.thread.start()

    def _collect(self) -> None:
        try:
            while True:
                try:
                    got = self.stream.frame()
                except socket.timeout:
                    if self.writing:  # the command reads stdin and prints nothing yet
                        continue
                    raise
                if got is None:
                    break
                (self.on_out if got[0] == STDOUT else self.err.extend)(got[1])
        except BaseException as exc:  # reported by finish()
            self.failure = exc
        if self.writing:
            with contextlib.suppress(OSError):
                self.stream.sock.shutdown(socket.SHUT_RDWR)

    def send(self, data: bytes) -> None:
        self.stream.send(data)

    def sendfile(self, fh: Any, count: int) -> int:
        return self.stream.sendfile(fh, count)

    def close_stdin(self) -> None:
        if self.writing:
            self.writing = False
            self.stream.close_stdin()

    def finish(self, timeout: Optional[float] = None) -> tuple[Optional[int], bytes, bytes]:
        """End stdin, wait for the command to end; (exit code or None, stdout, stderr). ExecTimeout past
        `timeout`."""
        self.close_stdin()
        self.thread.join(timeout)
        if self.thread.is_alive():
            self.abort()
            raise ExecTimeout(timeout)
        self.stream.close()
        if self.failure is not None:
            with self.stream.docker.calls():
                raise self.failure
        return self.stream.exit_code(), bytes(self.out), bytes(self.err + self.stream.system)

    def abort(self) -> None:
        self.writing = False
        with contextlib.suppress(OSError):
            self.stream.sock.shutdown(socket.SHUT_RDWR)
        self.thread.join(1.0)
        self.stream.close()
