"""The docker seam through the docker SDK, for a DOCKER_HOST that is not a local unix socket (tcp, ssh).

Same interface as `docker_engine.UnixEngine` (except stdin pipes); the only module that imports `docker`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from typing import Any, Callable, Optional

from mlu_doctor.errors import CannotRun
from mlu_doctor.gateways.docker_engine import (
    STAT_HEADER,
    ContainerGoneError,
    EngineError,
    ExecSession,
    ExecTimeout,
    Reader,
    explain_connect_error,
    parse_stat,
    unknown_container,
)
from mlu_doctor.i18n import _


def connect(timeout: float = 60.0) -> Any:
    """A docker SDK client for the daemon in the environment; daemon down or no permission -> CannotRun."""
    try:
        import docker
        from docker.errors import DockerException
    except ImportError:  # pragma: no cover - docker is a dependency
        raise CannotRun(_("the docker Python package is not installed (pip install docker)")) from None
    try:
        client = docker.from_env(timeout=timeout)
        client.ping()
    except DockerException as exc:
        raise CannotRun(explain_connect_error(exc)) from None
    return client


def _engine_error(exc: Exception) -> EngineError:
    return EngineError(getattr(exc, "status_code", None) or 500, str(getattr(exc, "explanation", None) or exc))


class SdkEngine:
    """The seam's calls through the docker SDK (no stdin pipes: `inject --via exec` needs the local socket)."""

    pipes = False

    def __init__(self, timeout: float) -> None:
        self.client = connect(timeout=timeout)
        self.api = self.client.api

    def close(self) -> None:
        self.client.close()

    def inspect(self, name: str) -> dict:
        """`docker inspect NAME` (name or id); unknown -> UsageError naming the containers that exist."""
        from docker.errors import APIError, NotFound

        try:
            return self.api.inspect_container(name)
        except NotFound:
            try:
                names = sorted(c.name for c in self.client.containers.list(all=True))
            except APIError:
                names = []
            raise unknown_container(name, names) from None
        except APIError as exc:
            raise CannotRun(_("docker could not look up container {name}: {error}", name=repr(name),
                              error=exc.explanation or exc)) from None

    def inspect_id(self, cid: str) -> dict:
        from docker.errors import APIError

        try:
            return self.api.inspect_container(cid)
        except APIError as exc:
            raise _engine_error(exc) from None

    def inspect_image(self, image: str) -> dict:
        from docker.errors import APIError

        try:
            return self.api.inspect_image(image)
        except APIError as exc:
            raise _engine_error(exc) from None

    def stat_path(self, cid: str, path: str, timeout: Optional[float] = None) -> Optional[dict]:
        res = self.api.head(self.api._url("/containers/{0}/archive", cid), params={"path": path}, timeout=timeout)
        return parse_stat(res.headers.get(STAT_HEADER, "")) if res.status_code == 200 else None

    def get_archive(self, cid: str, path: str, timeout: Optional[float] = None) -> Optional[_RawStream]:
        # identity: requests would otherwise ask for gzip, and the daemon would compress (7x slower, measured)
        res = self.api.get(self.api._url("/containers/{0}/archive", cid), params={"path": path}, stream=True,
                           timeout=timeout, headers={"Accept-Encoding": "identity"})
        if res.status_code == 200:
            return _RawStream(res)
        text = res.text[:4096]
        res.close()
        if res.status_code == 404 and "no such container" in text.lower():
            raise ContainerGoneError(text)
        return None

    def put_archive(self, cid: str, params: dict, body: Iterable[bytes], length: Optional[int]) -> None:
        from docker.errors import APIError

        if length is not None and not isinstance(body, bytes):
            body = _Sized(body, length)
        res = self.api._put(self.api._url("/containers/{0}/archive", cid), params=params, data=body,
                            headers={"Content-Type": "application/x-tar"})
        try:
            self.api._raise_for_status(res)
        except APIError as exc:
            raise _engine_error(exc) from None
        finally:
            res.close()

    def exec(self, cid: str, argv: list[str], user: Optional[str] = "0",
             on_out: Optional[Callable[[bytes], None]] = None, env: Optional[dict] = None,
             cwd: Optional[str] = None, timeout: Optional[float] = None) -> tuple[int, bytes, bytes]:
        """As UnixEngine.exec: a command still running at `timeout` is abandoned (ExecTimeout)."""
        box: dict[str, Any] = {}
        thread = threading.Thread(target=self._exec, args=(box, cid, argv, user or "", env, cwd), daemon=True)
        thread.start()
        thread.join(timeout)
        if thread.is_alive():
            raise ExecTimeout(timeout)
        if "error" in box:
            raise box["error"]
        code, out, err = box["result"]
        if on_out is not None:
            on_out(out)
            out = b""
        return code, out, err

    def _exec(self, box: dict, cid: str, argv: list[str], user: str, env: Optional[dict], cwd: Optional[str]) -> None:
        try:
            made = self.api.exec_create(cid, list(argv), user=user, environment=dict(env) if env else None,
                                        workdir=cwd)
            out, err = self.api.exec_start(made["Id"], demux=True)
            code = self.api.exec_inspect(made["Id"]).get("ExitCode")
            box["result"] = (-1 if code is None else int(code)), out or b"", err or b""
        except Exception as exc:  # APIError, a broken connection
            box["error"] = _engine_error(exc)

    def session(self, cid: str, argv: list[str], user: Optional[str] = None) -> ExecSession:
        from docker.errors import APIError

        try:
            made = self.api.exec_create(cid, list(argv), stdin=True, stdout=True, stderr=False, user=user or "")
            wrapper = self.api.exec_start(made["Id"], socket=True)
        except APIError as exc:
            raise _engine_error(exc) from None
        sock = getattr(wrapper, "_sock", wrapper)
        return ExecSession(sock, Reader(sock), closers=(wrapper,))


class _RawStream:
    """read(n) / close() over a streamed requests answer."""

    def __init__(self, res: Any) -> None:
        self.res = res

    def read(self, n: int = -1) -> bytes:
        return self.res.raw.read(n if n and n > 0 else 1 << 20, decode_content=True)

    def close(self) -> None:
        self.res.close()


class _Sized:
    """An iterable body with a known length: requests then sends Content-Length instead of chunks."""

    def __init__(self, pieces: Iterable[bytes], length: int) -> None:
        self.pieces, self.length = pieces, length

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.pieces)

    def __len__(self) -> int:
        return self.length

