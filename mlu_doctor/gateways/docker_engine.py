"""The docker seam: the Docker Engine API, stdlib only, over the daemon's unix socket.

Importing the docker SDK (requests, urllib3) costs 0.1-0.2 s, more than a container check needs for all
its calls; the calls are plain HTTP/1.1 on a local socket, plus the connection upgrade ("hijack") of an
exec with stdin. For a DOCKER_HOST that is not a unix socket (tcp, ssh), `connect_engine` falls back to
the SDK (`docker_sdk.SdkEngine`) behind the same interface; `docker` is imported only there.
"""

from __future__ import annotations

import base64
import json
import os
import socket
from typing import Any, Callable, Optional
from urllib.parse import quote

from mlu_doctor.errors import CannotRun, UsageError
from mlu_doctor.gateways.docker_wire import (  # noqa: F401 - re-exported for the callers of the seam
    BodyStream,
    ExecPipe,
    ExecSession,
    ExecTimeout,
    Reader,
    SocketOut,
    message,
    request_head,
)
from mlu_doctor.i18n import _

_Reader = Reader  # older name
DEFAULT_SOCKET = "/var/run/docker.sock"
STAT_HEADER = "X-Docker-Container-Path-Stat"


class EngineError(Exception):
    """A non-2xx answer from the daemon: HTTP status and the daemon's message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.explanation = status, message


class ContainerGoneError(Exception):
    """The container disappeared between two calls."""


def connect_engine(timeout: float = 60.0) -> Any:
    """The daemon named by DOCKER_HOST (default: the local socket): `UnixEngine`, or `SdkEngine` for tcp/ssh."""
    host = os.environ.get("DOCKER_HOST", "")
    if host and not host.startswith("unix://"):
        from mlu_doctor.gateways.docker_sdk import SdkEngine

        return SdkEngine(timeout)
    return UnixEngine(host[len("unix://"):] if host else DEFAULT_SOCKET, timeout)


def __getattr__(name: str) -> Any:  # `from docker_engine import SdkEngine` without importing docker eagerly
    if name == "SdkEngine":
        from mlu_doctor.gateways.docker_sdk import SdkEngine

        return SdkEngine
    raise AttributeError(name)


def explain_connect_error(exc: BaseException) -> str:
    """One line for a failed connection: daemon not running, permission denied, or the error itself."""
    text = str(exc)
    if isinstance(exc, PermissionError) or "Permission denied" in text or "PermissionError" in text:
        return _("cannot talk to the Docker daemon: permission denied on its socket "
                 "(add yourself to the 'docker' group or run with sudo)")
    if isinstance(exc, (FileNotFoundError, ConnectionRefusedError)) or any(
            s in text for s in ("FileNotFoundError", "No such file", "Connection refused")):
        return _("cannot talk to the Docker daemon: it is not running (start it, e.g. 'sudo systemctl start docker')")
    first = text.splitlines()[0] if text else type(exc).__name__
    return _("cannot talk to the Docker daemon: {error}", error=first)


def gone_message(name: str) -> str:
    return _("container {name} was removed while mlu-doctor was checking it; nothing was concluded about it",
             name=repr(name))


def unknown_container(name: str, names: list[str]) -> UsageError:
    listing = ", ".join(names[:20]) + (" ..." if len(names) > 20 else "") if names else _("none")
    return UsageError(_("no container named {name}; containers on this host: {listing}", name=repr(name),
                        listing=listing))


def still_there(engine: Any, cid: str, name: str) -> dict:
    """Inspect again at the end of a check: removed meanwhile -> CannotRun saying so."""
    try:
        return engine.inspect_id(cid)
    except EngineError as exc:
        if exc.status == 404:
            raise CannotRun(gone_message(name)) from None
        raise CannotRun(_("docker could not inspect container {name}: {error}", name=repr(name),
                           error=exc.explanation)) from None


def parse_stat(value: str) -> Optional[dict]:
    """The X-Docker-Container-Path-Stat header: base64 JSON (name, size, mode, mtime, linkTarget)."""
    try:
        return json.loads(base64.b64decode(value or ""))
    except ValueError:
        return None


class UnixEngine:
    """Engine API calls on a unix socket, one connection per call (connecting costs ~50 us)."""

    pipes = True  # exec sessions with stdin are supported

    def __init__(self, path: str, timeout: float) -> None:
        self.path, self.timeout = path, timeout

    def close(self) -> None:
        """Nothing to release: every call has its own connection."""

    def _connect(self, timeout: Optional[float] = None) -> socket.socket:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(timeout or self.timeout)
        try:
            sock.connect(self.path)
        except OSError as exc:
            sock.close()
            raise CannotRun(explain_connect_error(exc)) from None
        return sock

    def open(self, method: str, path: str, params: Optional[dict] = None, body: Any = None,
             headers: Optional[dict] = None, length: Optional[int] = None,
             timeout: Optional[float] = None) -> tuple[int, dict[str, str], BodyStream]:
        """Send one request; (status, headers, body stream owning the connection: close it)."""
        sock = self._connect(timeout)
        try:
            reader = Reader(sock)
            if isinstance(body, dict):
                body = json.dumps(body).encode()
                headers = {**(headers or {}), "Content-Type": "application/json"}
            if isinstance(body, bytes):
                length = len(body)
            sock.sendall(request_head(method, path, params, headers, length))
            try:
                _send_body(sock, body)
            except (BrokenPipeError, ConnectionResetError) as exc:
                # The daemon stopped reading (it refused the request): its answer says why, if it sent one.
                try:
                    status, resp_headers = reader.head()
                except (OSError, CannotRun):
                    raise CannotRun(_("the Docker daemon closed the connection: {error}", error=exc)) from None
                return status, resp_headers, BodyStream(reader, resp_headers, sock)
            status, resp_headers = reader.head()
            if method == "HEAD":
                resp_headers = {k: v for k, v in resp_headers.items() if k not in ("content-length", "transfer-encoding")}
                resp_headers["content-length"] = "0"
            return status, resp_headers, BodyStream(reader, resp_headers, sock)
        except BaseException:
            sock.close()
            raise

    def call(self, method: str, path: str, params: Optional[dict] = None, body: Any = None,
             headers: Optional[dict] = None, length: Optional[int] = None) -> tuple[int, bytes]:
        """One request. body: dict (sent as JSON), bytes, an iterable of bytes, or a callable writing the body
        to a `SocketOut` (send / sendfile); the last two need the exact `length`."""
        status, _headers, stream = self.open(method, path, params, body, headers, length)
        try:
            return status, stream.reader.body(_headers)
        finally:
            stream.close()

    def json(self, method: str, path: str, params: Optional[dict] = None, body: Any = None) -> Any:
        status, data = self.call(method, path, params, body)
        if status >= 300:
            raise EngineError(status, message(data))
        return json.loads(data) if data else None

    # --- containers ------------------------------------------------------------------------------

    def inspect(self, name: str) -> dict:
        """`docker inspect NAME` (name or id); unknown -> UsageError naming the containers that exist."""
        try:
            return self.inspect_id(name)
        except EngineError as exc:
            if exc.status != 404:
                raise CannotRun(_("docker could not look up container {name}: {error}", name=repr(name),
                                  error=exc.explanation)) from None
        try:
            names = sorted(n.lstrip("/") for c in self.json("GET", "/containers/json", {"all": "1"})
                           for n in (c.get("Names") or [])[:1])
        except EngineError:
            names = []
        raise unknown_container(name, names)

    def inspect_id(self, cid: str) -> dict:
        """`docker inspect` of a container; EngineError (404 when it does not exist)."""
        return self.json("GET", f"/containers/{quote(cid, safe='')}/json")

    def inspect_image(self, image: str) -> dict:
        return self.json("GET", f"/images/{quote(image, safe='')}/json")

    # --- files -----------------------------------------------------------------------------------

    def stat_path(self, cid: str, path: str, timeout: Optional[float] = None) -> Optional[dict]:
        """lstat of `path` in the container (HEAD /archive, no content): name, size, mode, linkTarget; None if absent."""
        status, headers, stream = self.open("HEAD", f"/containers/{cid}/archive", {"path": path}, timeout=timeout)
        stream.close()
        return parse_stat(headers.get(STAT_HEADER.lower(), "")) if status == 200 else None

    def get_archive(self, cid: str, path: str, timeout: Optional[float] = None) -> Optional[BodyStream]:
        """An uncompressed tar of `path` as a stream (read(n), close()); None when the path does not exist.
        ContainerGoneError when the container does not."""
        status, headers, stream = self.open("GET", f"/containers/{cid}/archive", {"path": path},
                                            headers={"Accept-Encoding": "identity"}, timeout=timeout)
        if status == 200:
            return stream
        try:
            text = stream.read(4096).decode("utf-8", "replace")
        finally:
            stream.close()
        if status == 404 and "no such container" in text.lower():
            raise ContainerGoneError(message(text.encode()))
        return None

    def put_archive(self, cid: str, params: dict, body: Any, length: Optional[int]) -> None:
        """PUT a tar to /containers/{cid}/archive; body: bytes, iterable of bytes, or a writer (see `call`)."""
        status, data = self.call("PUT", f"/containers/{cid}/archive", params, body,
                                 {"Content-Type": "application/x-tar"}, length)
        if status >= 300:
            raise EngineError(status, message(data))

    # --- exec ------------------------------------------------------------------------------------

    def exec(self, cid: str, argv: list[str], user: Optional[str] = "0",
             on_out: Optional[Callable[[bytes], None]] = None, env: Optional[dict] = None,
             cwd: Optional[str] = None, timeout: Optional[float] = None) -> tuple[int, bytes, bytes]:
        """Run argv in the container; (exit code, stdout, stderr); stdout goes to `on_out` instead when given.
        user None: the container's user. ExecTimeout when still running after `timeout` seconds."""
        pipe = self.pipe(cid, argv, user, stdin=False, on_out=on_out, env=env, cwd=cwd)
        return pipe.finish(timeout)

    def pipe(self, cid: str, argv: list[str], user: Optional[str] = "0", stdin: bool = True,
             on_out: Optional[Callable[[bytes], None]] = None, env: Optional[dict] = None,
             cwd: Optional[str] = None) -> ExecPipe:
        """Start argv in the container with its stdin on the returned pipe (output collected by a thread)."""
        eid, sock, reader = self._start(cid, argv, user, stdin, True, env, cwd)
        return ExecPipe(sock, reader, lambda: self.json("GET", f"/exec/{eid}/json").get("ExitCode"),
                        writable=stdin, on_out=on_out)

    def session(self, cid: str, argv: list[str], user: Optional[str] = None) -> ExecSession:
        """Start argv with stdin and stdout attached (stderr not) and talk to it in this thread."""
        _eid, sock, reader = self._start(cid, argv, user, True, False, None, None)
        return ExecSession(sock, reader)

    def _start(self, cid: str, argv: list[str], user: Optional[str], stdin: bool, stderr: bool,
               env: Optional[dict], cwd: Optional[str]) -> tuple[str, socket.socket, Reader]:
        """Create the exec, then POST start with `Upgrade: tcp`: the socket then carries the raw streams."""
        spec: dict[str, Any] = {"AttachStdin": stdin, "AttachStdout": True, "AttachStderr": stderr, "Tty": False,
                                "Cmd": list(argv)}
        if user is not None:
            spec["User"] = user
        if env:
            spec["Env"] = [f"{k}={v}" for k, v in env.items()]
        if cwd:
            spec["WorkingDir"] = cwd
        eid = self.json("POST", f"/containers/{cid}/exec", body=spec)["Id"]
        sock = self._connect()
        try:
            reader = Reader(sock)
            body = json.dumps({"Detach": False, "Tty": False}).encode()
            sock.sendall(request_head("POST", f"/exec/{eid}/start", None,
                                      {"Content-Type": "application/json", "Connection": "Upgrade",
                                       "Upgrade": "tcp"}, len(body)) + body)
            status, headers = reader.head()
            if status not in (101, 200):
                raise EngineError(status, message(reader.body(headers)))
        except BaseException:
            sock.close()
            raise
        return eid, sock, reader


def _send_body(sock: socket.socket, body: Any) -> None:
    if isinstance(body, bytes):
        sock.sendall(body)
    elif callable(body):
        body(SocketOut(sock))
    elif body is not None:
        for piece in body:
            sock.sendall(piece)
