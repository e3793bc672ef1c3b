"""The docker seam: every Docker call of mlu-doctor goes through `Docker`, on the docker SDK.

- `connect()` imports the SDK (only when a container is involved) and builds its client the way the docker
  CLI finds the daemon: DOCKER_HOST (unix, tcp, ssh), DOCKER_TLS_VERIFY / DOCKER_CERT_PATH, else the
  current `docker context`; the API version is negotiated (as `version="auto"` does). ssh:// needs the `ssh`
  extra (paramiko): docker 7's ssh transport imports paramiko even to shell out to `ssh`.
- Small calls go through the SDK's `APIClient` (a requests session) with our timeouts.
- Two fast paths run on a connection of the SDK's own pool (`_pooled`, the one private step:
  `pool._get_conn()`): the archive upload of `inject` (tar headers and small files written by the caller,
  file bodies by `socket.sendfile`), and `exec start` upgraded to the raw stream (`docker_stream.ExecStream`:
  stdin out, 8-byte frames in: 1 stdout, 2 stderr, 3 the daemon's own error) for probes, the exec agent and
  `inject --via exec`. The answer head is parsed by http.client (its line and header limits) from an
  unbuffered reader, so no byte of the stream after it is read ahead and lost.
- Every exception of the SDK and below becomes one CannotRun line (`errors.docker_failure`) in `calls()`;
  `fate()` says what happened to a container when its exec or copy broke (removed, killed, stopped).
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import io
import json
import os
import time
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Callable, Optional
from urllib.parse import quote, urlencode, urlsplit

from mlu_doctor.errors import CannotRun, DoctorError, UsageError, docker_failure, is_docker_failure
from mlu_doctor.i18n import _
from mlu_doctor.system.docker_stream import (  # noqa: F401 - the seam's names
    STDERR,
    STDOUT,
    SYSTEMERR,
    ExecPipe,
    ExecStream,
    ExecTimeout,
    RawOut,
)

STAT_HEADER = "X-Docker-Container-Path-Stat"


class DaemonError(Exception):
    """A non-2xx answer of the daemon: HTTP status and its message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.explanation = status, message


class ContainerGone(Exception):
    """The container disappeared between two calls."""


class ContainerLost(CannotRun):
    """The container was removed, killed or stopped while mlu-doctor worked on it."""

    def __init__(self, message: str, removed: bool = False) -> None:
        super().__init__(message)
        self.removed = removed


def connect(timeout: float) -> Docker:
    """A client of the daemon of DOCKER_HOST or the current docker context; CannotRun when it cannot be
    used."""
    try:
        import docker
    except ImportError:  # pragma: no cover - docker is a dependency
        raise CannotRun(_("the docker Python package is not installed (pip install docker)")) from None
    from docker.constants import MINIMUM_DOCKER_API_VERSION

    try:
        # version="auto" would negotiate inside the constructor, before the session can be told that a daemon
        # CA (DOCKER_CERT_PATH, a context) must not be replaced by REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE from
        # the
        # environment (requests prefers those): build first, then negotiate with the same call the SDK makes.
        api = docker.from_env(version=MINIMUM_DOCKER_API_VERSION, timeout=timeout).api
        if isinstance(api.verify, str):
            api.trust_env = False
        api._version = api.version(api_version=False).get("ApiVersion")
        if not isinstance(api._version, str):
            raise docker.errors.DockerException('no "ApiVersion" in the daemon\'s answer to /version')
    except Exception as exc:
        if not is_docker_failure(exc):
            raise
        raise docker_failure(exc, _env_host(), timeout) from None
    return Docker(api, timeout)


def _env_host() -> str:
    """The daemon the environment names, for messages: DOCKER_HOST, else a docker context, else ''."""
    host = os.environ.get("DOCKER_HOST", "")
    if host:
        return host
    name = os.environ.get("DOCKER_CONTEXT") or ""
    if not name:
        with contextlib.suppress(Exception):
            from docker.context.config import get_current_context_name

            name = get_current_context_name()
    return f"docker context {name}" if name and name != "default" else ""


def message(data: bytes) -> str:
    """The daemon's error message from an answer body (JSON {"message": ...} or text)."""
    try:
        return str(json.loads(data).get("message") or data.decode("utf-8", "replace")).strip()
    except (ValueError, AttributeError):
        return data.decode("utf-8", "replace").strip()


def parse_stat(value: str) -> Optional[dict]:
    """The X-Docker-Container-Path-Stat header: base64 JSON (name, size, mode, mtime, linkTarget)."""
    try:
        return json.loads(base64.b64decode(value or ""))
    except ValueError:
        return None


class Docker:
    """One daemon, through the SDK's APIClient; `timeout` bounds every wait for the daemon."""

    def __init__(self, api: Any, timeout: float) -> None:
        self.api, self.timeout = api, timeout
        adapter = api.get_adapter(api.base_url + "/")
        if getattr(adapter, "socket_path", None):
            self.host = "unix://" + adapter.socket_path
        elif getattr(adapter, "ssh_host", None):
            self.host = "ssh://" + adapter.ssh_host
        else:
            self.host = api.base_url.replace("http://", "tcp://").replace("https://", "tcp://")
        self.local = self.host.startswith("unix://")  # bind-mount sources are this machine's files
        self.half_close = not api.base_url.startswith("https://")  # ssl cannot end stdin and keep reading

    def close(self) -> None:
        self.api.close()

    @contextlib.contextmanager
    def calls(self) -> Iterator[None]:
        """Failures of the SDK or below (requests, urllib3, paramiko, sockets) -> CannotRun, one line."""
        try:
            yield
        except (DoctorError, DaemonError, ContainerGone, ExecTimeout):
            raise
        except Exception as exc:
            if not is_docker_failure(exc):
                raise
            raise docker_failure(exc, self.host, self.timeout) from None

    def _sdk(self, fn: Callable[..., Any], *args: Any, **kw: Any) -> Any:
        from docker.errors import APIError

        with self.calls():
            try:
                return fn(*args, **kw)
            except APIError as exc:
                raise DaemonError(exc.status_code or 500, str(exc.explanation or exc)) from None

    def _url(self, path: str) -> str:
        return f"{self.api.base_url}/v{self.api.api_version}{path}"

    # --- containers ------------------------------------------------------------------------------

    def inspect(self, name: str) -> dict:
        """`docker inspect NAME` (name or id); unknown -> UsageError naming the containers that exist."""
        try:
            found = self.inspect_id(name)
        except DaemonError as exc:
            raise CannotRun(_("docker could not look up container {name}: {error}", name=repr(name),
                              error=exc.explanation)) from None
        if found is not None:
            return found
        try:
            names = sorted(n.lstrip("/") for c in self._sdk(self.api.containers, all=True)
                           for n in (c.get("Names") or [])[:1])
        except DaemonError:
            names = []
        listing = ", ".join(names[:20]) + (" ..." if len(names) > 20 else "") if names else _("none")
        raise UsageError(_("no container named {name}; containers on this host: {listing}", name=repr(name),
                           listing=listing))

    def inspect_id(self, cid: str) -> Optional[dict]:
        """`docker inspect` of a container; None when it does not exist."""
        try:
            return self._sdk(self.api.inspect_container, cid)
        except DaemonError as exc:
            if exc.status == 404:
                return None
            raise

    def inspect_image(self, image: str) -> dict:
        return self._sdk(self.api.inspect_image, image)

    def fate(self, cid: str, name: str, doing: str, was_running: bool = True,
             settle: float = 0.0) -> Optional[ContainerLost]:
        """What happened to a container while `doing`: removed, or (when it was running) killed or stopped;
        None when nothing did. `settle`: seconds to wait for the daemon to record a kill it is still doing
        (an exec can die of it before the container's state says so)."""
        until = time.monotonic() + settle
        while True:
            try:
                data = self.inspect_id(cid)
            except (CannotRun, DaemonError):
                return None  # the daemon itself is the problem: the caller's error says so
            state = (data or {}).get("State") or {}
            if data is None or state.get("Status") in ("removing", "dead"):
                return ContainerLost(_("container {name} was removed while mlu-doctor was {doing}", name=name,
                                       doing=doing), removed=True)
            if not was_running or (state.get("Running") and not state.get("Paused")):
                if time.monotonic() < until:
                    time.sleep(0.05)
                    continue
                return None
            break
        code, status = state.get("ExitCode"), state.get("Status") or "unknown"
        if state.get("OOMKilled") or (isinstance(code, int) and code >= 128):
            return ContainerLost(_("container {name} was killed while mlu-doctor was {doing} (status: "
                                   "{status}, "
                                   "exit code {code})", name=name, doing=doing, status=status, code=code))
        return ContainerLost(_("container {name} stopped while mlu-doctor was {doing} (status: {status}, "
                               "exit code {code})", name=name, doing=doing, status=status, code=code))

    # --- files -----------------------------------------------------------------------------------

    def stat_path(self, cid: str, path: str, timeout: Optional[float] = None) -> Optional[dict]:
        """lstat of `path` in the container (HEAD of the archive, no content); None if absent."""
        with self.calls():
            res = self.api.head(self._url(f"/containers/{quote(cid, safe='')}/archive"),
                                params={"path": path}, timeout=timeout or self.timeout)
        return parse_stat(res.headers.get(STAT_HEADER, "")) if res.status_code == 200 else None

    def get_archive(self, cid: str, path: str, timeout: Optional[float] = None) -> Optional[ArchiveStream]:
        """An uncompressed tar of `path` (read(n), close()); None when the path does not exist.
        ContainerGone when the container does not."""
        with self.calls():
            res = self.api.get(self._url(f"/containers/{quote(cid, safe='')}/archive"), params={"path": path},
                               stream=True, timeout=timeout or self.timeout,
                               headers={"Accept-Encoding": "identity"})  # else the daemon gzips (7x slower)
            if res.status_code == 200:
                return ArchiveStream(res, self)
            text = res.raw.read(4096)
            res.close()
        if res.status_code == 404 and b"no such container" in text.lower():
            raise ContainerGone(message(text))
        return None

    def put_archive(self, cid: str, path: str, write: Callable[[RawOut], None], length: int,
                    timeout: Optional[float] = None) -> None:
        """PUT the tar that `write` sends (exactly `length` bytes) into `path`, with noOverwriteDirNonDir (the
        SDK's put_archive never sends it); a refusal -> DaemonError."""
        params = {"path": path, "noOverwriteDirNonDir": "true"}
        with self._pooled("PUT", f"/containers/{quote(cid, safe='')}/archive", params,
                          {"Content-Type": "application/x-tar"}, length, write, timeout) as (_sock, resp), \
                self.calls():
            body = resp.read()
        if resp.status >= 300:
            raise DaemonError(resp.status, message(body))

    # --- exec ------------------------------------------------------------------------------------

    def exec_start(self, cid: str, argv: Sequence[str], user: Optional[str] = "0", stdin: bool = False,
                   stderr: bool = True, env: Optional[Mapping[str, str]] = None, cwd: Optional[str] = None,
                   timeout: Optional[float] = None) -> ExecStream:
        """Create and start an exec; its raw stream (the caller closes it). user None: the container's
        user."""
        made = self._sdk(self.api.exec_create, cid, list(argv), stdout=True, stderr=stderr, stdin=stdin,
                         tty=False,
                         environment=dict(env) if env else None, workdir=cwd or None, user=user or "")
        body = b'{"Detach": false, "Tty": false}'
        headers = {"Content-Type": "application/json", "Connection": "Upgrade", "Upgrade": "tcp"}
        with self._pooled("POST", f"/exec/{made['Id']}/start", None, headers, len(body),
                          lambda out: out.send(body), timeout, keep=True) as (sock, resp):
            if resp.status not in (101, 200):
                with self.calls():
                    text = resp.read()
                sock.close()
                raise DaemonError(resp.status, message(text))
        return ExecStream(self, made["Id"], sock, timeout or self.timeout)

    def exec_code(self, eid: str) -> Optional[int]:
        """The exit code of an ended exec (None when the exec or its container is gone)."""
        info: dict = {}
        for _attempt in range(50):  # the stream can end a moment before the daemon records the exit
            try:
                info = self._sdk(self.api.exec_inspect, eid)
            except DaemonError:
                return None
            if not info.get("Running"):
                break
            time.sleep(0.02)
        code = info.get("ExitCode")
        return code if isinstance(code, int) else None

    def exec_run(self, cid: str, argv: Sequence[str], user: Optional[str] = "0",
                 timeout: Optional[float] = None,
                 env: Optional[Mapping[str, str]] = None, cwd: Optional[str] = None,
                 on_out: Optional[Callable[[bytes], None]] = None) -> tuple[Optional[int], bytes, bytes]:
        """Run argv; (exit code or None, stdout, stderr). stdout goes to `on_out` instead when given.
        ExecTimeout when still running after `timeout` s; without one, `self.timeout` s of silence is a
        failure."""
        stream = self.exec_start(cid, argv, user, env=env, cwd=cwd)
        out, err = bytearray(), bytearray()
        deadline = None if timeout is None else time.monotonic() + timeout
        try:
            for kind, data in stream.frames(deadline):
                if kind == STDOUT:
                    (on_out or out.extend)(data)
                else:
                    err.extend(data)
        finally:
            stream.close()
        return self.exec_code(stream.eid), bytes(out), bytes(err)

    # --- the SDK's connection ---------------------------------------------------------------------

    @contextlib.contextmanager
    def _pooled(self, method: str, path: str, params: Optional[dict], headers: dict, length: int,
                write: Callable[[RawOut], None], timeout: Optional[float],
                keep: bool = False) -> Iterator[tuple[Any, http.client.HTTPResponse]]:
        """One request on a connection of the SDK's pool; the body is written by `write` on the socket.
        Yields (socket, answer with its head read); the connection is closed after, unless `keep`."""
        import requests

        url = self._url(path) + ("?" + urlencode(params) if params else "")
        timeout = timeout or self.timeout
        with self.calls():
            adapter = self.api.get_adapter(url)
            prepared = requests.Request(method, url).prepare()
            if hasattr(adapter, "get_connection_with_tls_context"):  # requests >= 2.32
                pool = adapter.get_connection_with_tls_context(prepared, self.api.verify, None, self.api.cert)
            else:  # pragma: no cover - older requests
                pool = adapter.get_connection(url)
            adapter.cert_verify(pool, url, self.api.verify, self.api.cert)
            # the private step: a connection of the SDK's pool (its TLS / ssh set-up;
            conn = pool._get_conn(None)
            # the ssh pool's _get_conn takes the timeout positionally, without a default)
            pool._put_conn(None)  # its slot goes back now: this connection is never returned to the pool
        sock = None
        try:
            with self.calls():
                conn.timeout = timeout
                split = urlsplit(url)
                conn.putrequest(method, split.path + ("?" + split.query if split.query else ""),
                                skip_accept_encoding=True)
                for key, value in {"User-Agent": self.api.headers.get("User-Agent", "mlu-doctor"), **headers,
                                   "Content-Length": str(length)}.items():
                    conn.putheader(key, value)
                conn.endheaders()
                sock = conn.sock
                sock.settimeout(timeout)
                resp = _send_then_answer(sock, method, write)
            yield sock, resp
        except BaseException:
            conn.close()
            raise
        if not keep:
            conn.close()


def _send_then_answer(sock: Any, method: str, write: Callable[[RawOut], None]) -> http.client.HTTPResponse:
    """Write the body, then read the answer's head; a daemon that stopped reading may have answered why."""
    try:
        write(RawOut(sock))
    except OSError:
        resp = http.client.HTTPResponse(_Unbuffered(sock), method=method)  # type: ignore[arg-type]
        try:
            resp.begin()
        except Exception:
            pass
        else:
            return resp
        raise
    resp = http.client.HTTPResponse(_Unbuffered(sock), method=method)  # type: ignore[arg-type]
    resp.begin()
    return resp


class _Unbuffered:
    """What http.client reads an answer from: the socket itself, one byte at a time for the head (no
    read-ahead)."""

    def __init__(self, sock: Any) -> None:
        self.sock = sock

    def makefile(self, mode: str = "rb", *args: Any, **kw: Any) -> io.RawIOBase:
        return _SockReader(self.sock)


class _SockReader(io.RawIOBase):
    def __init__(self, sock: Any) -> None:
        self.sock = sock

    def readable(self) -> bool:
        return True

    def readinto(self, buf: Any) -> int:
        if not len(buf):  # an ssh channel's recv(0) would wait for data instead of returning at once
            return 0
        data = self.sock.recv(len(buf))
        buf[:len(data)] = data
        return len(data)


class ArchiveStream:
    """read(n) / close() over a streamed archive answer; transport failures are CannotRun."""

    def __init__(self, res: Any, docker: Docker) -> None:
        self.res, self.docker = res, docker

    def read(self, n: int = -1) -> bytes:
        with self.docker.calls():
            return self.res.raw.read(n if n and n > 0 else 1 << 20)

    def close(self) -> None:
        self.res.close()
