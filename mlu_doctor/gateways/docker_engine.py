"""The Docker Engine API for `inject`, stdlib only, over the daemon's unix socket.

Importing the docker SDK (requests, urllib3) costs 0.1-0.2 s, as much as a whole re-run of `inject` on
complete data; the handful of calls `inject` makes are plain HTTP/1.1 on a local socket. Only `exec` with
stdin needs the connection upgrade ("hijack") that the SDK hides. For a DOCKER_HOST that is not a unix
socket (tcp, ssh), `connect_engine` falls back to the SDK through the same small interface.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import struct
import threading
from collections.abc import Iterable
from typing import Any, Callable, Optional
from urllib.parse import quote, urlencode

from mlu_doctor.errors import CannotRun, UsageError

DEFAULT_SOCKET = "/var/run/docker.sock"
STDOUT, STDERR = 1, 2


class EngineError(Exception):
    """A non-2xx answer from the daemon: HTTP status and the daemon's message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.explanation = status, message


def connect_engine(timeout: float = 60.0) -> Any:
    """The daemon named by DOCKER_HOST (default: the local socket): `UnixEngine`, or `SdkEngine` for tcp/ssh."""
    host = os.environ.get("DOCKER_HOST", "")
    if host and not host.startswith("unix://"):
        return SdkEngine(timeout)
    return UnixEngine(host[len("unix://"):] if host else DEFAULT_SOCKET, timeout)


def names_hint(names: list[str]) -> str:
    return ", ".join(names[:20]) + (" ..." if len(names) > 20 else "") if names else "none"


class UnixEngine:
    """Engine API calls on a unix socket, one connection per call (connecting costs ~50 us)."""

    pipes = True  # exec sessions with stdin are supported

    def __init__(self, path: str, timeout: float) -> None:
        self.path, self.timeout = path, timeout

    def _connect(self) -> socket.socket:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        try:
            sock.connect(self.path)
        except OSError as exc:
            sock.close()
            from mlu_doctor.gateways.docker_api import _explain_connect_error

            raise CannotRun(_explain_connect_error(exc)) from None
        return sock

    def call(self, method: str, path: str, params: Optional[dict] = None, body: Any = None,
             headers: Optional[dict] = None, length: Optional[int] = None) -> tuple[int, bytes]:
        """One request. body: dict (sent as JSON), bytes, an iterable of bytes, or a callable writing the body
        to a `SocketOut` (send / sendfile); the last two need the exact `length`."""
        sock = self._connect()
        try:
            reader = _Reader(sock)
            if isinstance(body, dict):
                body = json.dumps(body).encode()
                headers = {**(headers or {}), "Content-Type": "application/json"}
            if isinstance(body, bytes):
                length = len(body)
            sock.sendall(_head(method, path, params, headers, length))
            try:
                if isinstance(body, bytes):
                    sock.sendall(body)
                elif callable(body):
                    body(SocketOut(sock))
                elif body is not None:
                    for piece in body:
                        sock.sendall(piece)
            except (BrokenPipeError, ConnectionResetError) as exc:
                # The daemon stopped reading (it refused the request): its answer says why, if it sent one.
                try:
                    status, resp_headers = reader.head()
                    return status, reader.body(resp_headers)
                except (OSError, CannotRun):
                    raise CannotRun(f"the Docker daemon closed the connection: {exc}") from None
            status, resp_headers = reader.head()
            return status, reader.body(resp_headers)
        finally:
            sock.close()

    def json(self, method: str, path: str, params: Optional[dict] = None, body: Any = None) -> Any:
        status, data = self.call(method, path, params, body)
        if status >= 300:
            raise EngineError(status, _message(data))
        return json.loads(data) if data else None

    # --- the calls inject makes ----------------------------------------------------------------------

    def inspect(self, name: str) -> dict:
        """`docker inspect NAME`; unknown -> UsageError naming the containers that exist."""
        try:
            return self.json("GET", f"/containers/{quote(name, safe='')}/json")
        except EngineError as exc:
            if exc.status != 404:
                raise CannotRun(f"docker could not look up container {name!r}: {exc.explanation}") from None
        try:
            names = sorted(n.lstrip("/") for c in self.json("GET", "/containers/json", {"all": "1"})
                           for n in (c.get("Names") or [])[:1])
        except EngineError:
            names = []
        raise UsageError(f"no container named {name!r}; containers on this host: {names_hint(names)}")

    def exec(self, cid: str, argv: list[str], user: str = "0",
             on_out: Optional[Callable[[bytes], None]] = None) -> tuple[int, bytes, bytes]:
        """Run argv in the container; (exit code, stdout, stderr); stdout goes to `on_out` instead when given."""
        pipe = self.pipe(cid, argv, user, stdin=False, on_out=on_out)
        return pipe.finish()

    def pipe(self, cid: str, argv: list[str], user: str = "0", stdin: bool = True,
             on_out: Optional[Callable[[bytes], None]] = None) -> ExecPipe:
        """Start argv in the container with its stdin on the returned pipe (output collected by a thread)."""
        made = self.json("POST", f"/containers/{cid}/exec", body={
            "AttachStdin": stdin, "AttachStdout": True, "AttachStderr": True, "Tty": False,
            "Cmd": argv, "User": user})
        sock = self._connect()
        try:
            reader = _Reader(sock)
            body = json.dumps({"Detach": False, "Tty": False}).encode()
            sock.sendall(_head("POST", f"/exec/{made['Id']}/start", None,
                               {"Content-Type": "application/json", "Connection": "Upgrade", "Upgrade": "tcp"},
                               len(body)) + body)
            status, headers = reader.head()
            if status not in (101, 200):
                raise EngineError(status, _message(reader.body(headers)))
        except BaseException:
            sock.close()
            raise
        return ExecPipe(sock, reader, lambda: self.json("GET", f"/exec/{made['Id']}/json").get("ExitCode"),
                        writable=stdin, on_out=on_out)

    def put_archive(self, cid: str, params: dict, body: Any, length: Optional[int]) -> None:
        """PUT a tar to /containers/{cid}/archive; body: bytes, iterable of bytes, or a writer (see `call`)."""
        status, data = self.call("PUT", f"/containers/{cid}/archive", params, body,
                                 {"Content-Type": "application/x-tar"}, length)
        if status >= 300:
            raise EngineError(status, _message(data))


class SocketOut:
    """Where a body writer sends: bytes, or an open file's first `count` bytes by sendfile (no copy in Python)."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def sendfile(self, fh: Any, count: int) -> int:
        return self.sock.sendfile(fh, 0, count) if count else 0


class ExecPipe:
    """An exec session: write stdin (send / sendfile) while a thread demultiplexes stdout and stderr."""

    def __init__(self, sock: socket.socket, reader: _Reader, exit_code: Callable[[], Any], writable: bool,
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

    def finish(self) -> tuple[int, bytes, bytes]:
        """Close stdin, wait for the command to end; (exit code, stdout, stderr)."""
        self.close_stdin()
        self.thread.join()
        self.sock.close()
        if self.failure is not None:
            raise CannotRun(f"lost the exec session's output: {self.failure}") from None
        code = self._exit_code()
        return (-1 if code is None else int(code)), bytes(self.out), bytes(self.err)

    def abort(self) -> None:
        self.writing = False
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)
        self.thread.join()
        self.sock.close()


class _Reader:
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
        while len(self.buf) < n and self._fill(patient):
            pass
        out = bytes(self.buf[:n])
        del self.buf[:n]
        return out

    def line(self) -> bytes:
        while b"\r\n" not in self.buf:
            if not self._fill():
                raise CannotRun("the Docker daemon closed the connection mid-answer")
        end = self.buf.index(b"\r\n")
        out = bytes(self.buf[:end])
        del self.buf[:end + 2]
        return out

    def head(self) -> tuple[int, dict[str, str]]:
        status_line = self.line().split(b" ", 2)
        try:
            status = int(status_line[1])
        except (IndexError, ValueError):
            raise CannotRun(f"not an HTTP answer from the Docker socket: {status_line!r}") from None
        headers: dict[str, str] = {}
        while True:
            line = self.line()
            if not line:
                return status, headers
            key, _sep, value = line.decode("latin-1").partition(":")
            headers[key.strip().lower()] = value.strip()

    def body(self, headers: dict[str, str]) -> bytes:
        if headers.get("transfer-encoding", "").lower() == "chunked":
            out = bytearray()
            while True:
                size = int(self.line().split(b";")[0], 16)
                if size == 0:
                    self.line()
                    return bytes(out)
                out += self.exact(size)
                self.line()
        if "content-length" in headers:
            return self.exact(int(headers["content-length"]))
        out = bytearray(self.buf)
        self.buf.clear()
        while self._fill():
            out += self.buf
            self.buf.clear()
        return bytes(out)


def _head(method: str, path: str, params: Optional[dict], headers: Optional[dict], length: Optional[int]) -> bytes:
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


def _message(data: bytes) -> str:
    try:
        return str(json.loads(data).get("message") or data.decode("utf-8", "replace")).strip()
    except (ValueError, AttributeError):
        return data.decode("utf-8", "replace").strip()


class SdkEngine:
    """The same calls through the docker SDK, for daemons not on a local unix socket (no stdin pipes)."""

    pipes = False

    def __init__(self, timeout: float) -> None:
        from mlu_doctor.gateways.docker_api import connect

        self.client = connect(timeout=timeout)
        self.api = self.client.api

    def inspect(self, name: str) -> dict:
        from mlu_doctor.gateways.docker_api import get_container

        return get_container(self.client, name).attrs

    def exec(self, cid: str, argv: list[str], user: str = "0",
             on_out: Optional[Callable[[bytes], None]] = None) -> tuple[int, bytes, bytes]:
        from docker.errors import APIError

        try:
            made = self.api.exec_create(cid, argv, user=user)
            out, err = self.api.exec_start(made["Id"], demux=True)
            code = self.api.exec_inspect(made["Id"]).get("ExitCode")
        except APIError as exc:
            raise EngineError(exc.status_code or 500, str(exc.explanation or exc)) from None
        if on_out is not None:
            on_out(out or b"")
            out = b""
        return (-1 if code is None else int(code)), out or b"", err or b""

    def put_archive(self, cid: str, params: dict, body: Iterable[bytes], length: Optional[int]) -> None:
        from docker.errors import APIError

        if length is not None and not isinstance(body, bytes):
            body = _Sized(body, length)
        res = self.api._put(self.api._url("/containers/{0}/archive", cid), params=params, data=body,
                            headers={"Content-Type": "application/x-tar"})
        try:
            self.api._raise_for_status(res)
        except APIError as exc:
            raise EngineError(exc.status_code or 500, str(exc.explanation or exc)) from None
        finally:
            res.close()


class _Sized:
    """An iterable body with a known length: requests then sends Content-Length instead of chunks."""

    def __init__(self, pieces: Iterable[bytes], length: int) -> None:
        self.pieces, self.length = pieces, length

    def __iter__(self):
        return iter(self.pieces)

    def __len__(self) -> int:
        return self.length
