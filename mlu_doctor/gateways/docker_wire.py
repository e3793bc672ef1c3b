"""HTTP/1.1 as the Docker daemon speaks it on a socket: buffered reads, answer bodies (sized, chunked, until
close), and the exec stream after the connection upgrade ("hijack"): 8-byte frame headers (stream, size)
in front of stdout and stderr data when the exec has no TTY. Standard library only."""

from __future__ import annotations

import contextlib
import json
import socket
import struct
import threading
from typing import Any, Callable, Optional
from urllib.parse import urlencode

from mlu_doctor.errors import CannotRun
from mlu_doctor.i18n import _

STDOUT, STDERR = 1, 2


class Reader:
    """Buffered reads from a socket; a read timeout is retried while `patient()` says data may still come."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock, self.buf = sock, bytearray()

    def _fill(self, patient: Callable[[], bool] = lambda: False) -> bool:
        while True:
            try:
                data = self.sock.recv(1 << 16)
            except socket.timeout:
                if patient():
                    continue
                raise
            if not data:
                return False
            self.buf += data
            return True

    def exact(self, n: int, patient: Callable[[], bool] = lambda: False) -> bytes:
        """n bytes, fewer only at end of stream."""
        while len(self.buf) < n and self._fill(patient):
            pass
        out = bytes(self.buf[:n])
        del self.buf[:n]
        return out

    def some(self, n: int) -> bytes:
        """Up to n bytes: what is buffered, else one read (b"" at end of stream)."""
        if not self.buf and not self._fill():
            return b""
        out = bytes(self.buf[:n])
        del self.buf[:n]
        return out

    def line(self) -> bytes:
        while b"\r\n" not in self.buf:
            if not self._fill():
                raise CannotRun(_("the Docker daemon closed the connection mid-answer"))
        end = self.buf.index(b"\r\n")
        out = bytes(self.buf[:end])
        del self.buf[:end + 2]
        return out

    def head(self) -> tuple[int, dict[str, str]]:
        status_line = self.line().split(b" ", 2)
        try:
            status = int(status_line[1])
        except (IndexError, ValueError):
            raise CannotRun(_("not an HTTP answer from the Docker socket: {answer}", answer=repr(status_line))) from None
        headers: dict[str, str] = {}
        while True:
            line = self.line()
            if not line:
                return status, headers
            key, _sep, value = line.decode("latin-1").partition(":")
            headers[key.strip().lower()] = value.strip()

    def body(self, headers: dict[str, str]) -> bytes:
        stream = BodyStream(self, headers)
        out = bytearray()
        while True:
            data = stream.read(1 << 20)
            if not data:
                return bytes(out)
            out += data


class BodyStream:
    """File-like reads of one answer body: Content-Length, chunked, or until the daemon closes."""

    def __init__(self, reader: Reader, headers: dict[str, str], owner: Optional[socket.socket] = None) -> None:
        self.reader, self.owner = reader, owner
        self.chunked = headers.get("transfer-encoding", "").lower() == "chunked"
        self.left: Optional[int] = None if self.chunked else (
            int(headers["content-length"]) if "content-length" in headers else -1)  # -1: until close
        self.done = False

    def read(self, n: int = -1) -> bytes:
        n = n if n and n > 0 else 1 << 20
        if self.done:
            return b""
        if self.chunked and not self.left:
            if self.left == 0:
                self.reader.line()  # the CRLF after the previous chunk
            self.left = int(self.reader.line().split(b";")[0], 16)
            if self.left == 0:
                self.reader.line()
                self.done = True
                return b""
        if self.left == -1:
            data = self.reader.some(n)
            self.done = not data
            return data
        data = self.reader.some(min(n, self.left or 0)) if self.left else b""
        if self.left and not data:
            raise CannotRun(_("the Docker daemon closed the connection mid-answer"))
        self.left = (self.left or 0) - len(data)
        if not self.chunked and self.left == 0:
            self.done = True
        return data

    def close(self) -> None:
        if self.owner is not None:
            self.owner.close()


def request_head(method: str, path: str, params: Optional[dict], headers: Optional[dict],
                 length: Optional[int]) -> bytes:
    url = path + ("?" + urlencode(params) if params else "")
    lines = [f"{method} {url} HTTP/1.1", "Host: docker", "User-Agent: mlu-doctor"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    if length is not None:
        lines.append(f"Content-Length: {length}")
    elif method in ("POST", "PUT"):
        lines.append("Content-Length: 0")
    if "Connection" not in (headers or {}):
        lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8")


def message(data: bytes) -> str:
    """The daemon's error message from an answer body (JSON {"message": ...} or text)."""
    try:
        return str(json.loads(data).get("message") or data.decode("utf-8", "replace")).strip()
    except (ValueError, AttributeError):
        return data.decode("utf-8", "replace").strip()


class SocketOut:
    """Where a body writer sends: bytes, or an open file's first `count` bytes by sendfile (no copy in Python)."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def sendfile(self, fh: Any, count: int) -> int:
        return self.sock.sendfile(fh, 0, count) if count else 0


class ExecTimeout(Exception):
    """An exec still running at its timeout (abandoned, not killed: docker cannot kill an exec)."""


class ExecPipe:
    """An exec session: write stdin (send / sendfile) while a thread demultiplexes stdout and stderr."""

    def __init__(self, sock: socket.socket, reader: Reader, exit_code: Callable[[], Any], writable: bool,
                 on_out: Optional[Callable[[bytes], None]] = None) -> None:
        self.sock, self.reader, self._exit_code = sock, reader, exit_code
        self.out, self.err = bytearray(), bytearray()
        self.on_out = on_out or self.out.extend
        self.failure: Optional[BaseException] = None
        self.writing = writable
        if not writable:
            self.sock.shutdown(socket.SHUT_WR)
        self.thread = threading.Thread(target=self._collect, daemon=True)
        self.thread.start()

    def _collect(self) -> None:
        try:
            while True:
                head = self.reader.exact(8, patient=lambda: self.writing)
                if len(head) < 8:
                    return
                stream, size = struct.unpack(">BxxxL", head)
                data = self.reader.exact(size, patient=lambda: self.writing)
                if stream == STDERR:
                    self.err.extend(data)
                else:
                    self.on_out(data)
        except BaseException as exc:  # reported by finish()
            self.failure = exc

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def sendfile(self, fh: Any, count: int) -> int:
        """Send up to `count` bytes of the open file from its start (zero-copy); returns bytes sent."""
        return self.sock.sendfile(fh, 0, count) if count else 0

    def close_stdin(self) -> None:
        if self.writing:
            self.writing = False
            with contextlib.suppress(OSError):
                self.sock.shutdown(socket.SHUT_WR)

    def finish(self, timeout: Optional[float] = None) -> tuple[int, bytes, bytes]:
        """Close stdin, wait for the command to end; (exit code, stdout, stderr). ExecTimeout past `timeout`."""
        self.close_stdin()
        self.thread.join(timeout)
        if self.thread.is_alive():
            self.abort()
            raise ExecTimeout(timeout)
        self.sock.close()
        if self.failure is not None:
            raise CannotRun(_("lost the exec session's output: {error}", error=self.failure)) from None
        code = self._exit_code()
        return (-1 if code is None else int(code)), bytes(self.out), bytes(self.err)

    def abort(self) -> None:
        self.writing = False
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)
        self.thread.join()
        self.sock.close()


class ExecSession:
    """A two-way exec session read in the caller's thread: send stdin, receive stdout frames (stderr dropped)."""

    def __init__(self, sock: Any, reader: Reader, closers: tuple = ()) -> None:
        self.sock, self.reader, self.closers = sock, reader, closers

    def settimeout(self, seconds: float) -> None:
        self.sock.settimeout(seconds)

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def recv(self) -> bytes:
        """The next stdout data; b"" when the command has ended. Raises OSError (socket.timeout included)."""
        while True:
            head = self.reader.exact(8)
            if len(head) < 8:
                return b""
            stream, size = struct.unpack(">BxxxL", head)
            data = self.reader.exact(size)
            if len(data) < size:
                return b""
            if stream != STDERR and data:
                return data

    def close(self) -> None:
        for closer in (*self.closers, self.sock):
            with contextlib.suppress(Exception):
                closer.close()
