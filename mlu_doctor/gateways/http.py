"""The HTTP seam: ranged GETs whose bodies are read into the caller's buffer. Built on http.client (the
standard library, imported lazily, never on the check path): no extra copies of the body and no import of
a large HTTP stack before the first byte moves.

One keep-alive connection per thread and origin; redirects are followed; proxies come from the usual
environment variables (HTTP_PROXY, HTTPS_PROXY, NO_PROXY, lower case too), HTTPS through a CONNECT tunnel.
"""

from __future__ import annotations

import base64
import os
import threading
from collections.abc import Iterator, Mapping
from typing import Any, Optional, Protocol
from urllib.parse import unquote, urljoin, urlsplit

from mlu_doctor.i18n import _

USER_AGENT = "mlu-doctor-fetch-coco"
MAX_REDIRECTS = 5
_REDIRECTS = (301, 302, 303, 307, 308)


class HttpError(Exception):
    """A request failed before or while reading the body (connection refused, reset, timed out)."""

    def __init__(self, reason: str, stalled: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.stalled = stalled


class HttpReply(Protocol):
    status: int
    headers: Mapping[str, str]

    def chunks(self, size: int) -> Iterator[bytes]: ...

    def readinto(self, buf: memoryview) -> int: ...

    def close(self) -> None: ...


class HttpClient(Protocol):
    def get(self, url: str, start: Optional[int] = None, end: Optional[int] = None) -> HttpReply: ...


class _Reply:
    """One response; `abandon` closes its connection when the body was not read to the end."""

    def __init__(self, response: Any, abandon: Any) -> None:
        self.status: int = response.status
        self.headers: Mapping[str, str] = response.headers
        self._response, self._abandon = response, abandon

    def chunks(self, size: int) -> Iterator[bytes]:
        """Body chunks of up to `size` bytes; transport failures become HttpError."""
        buf = memoryview(bytearray(size))
        while True:
            got = self.readinto(buf)
            if not got:
                return
            yield bytes(buf[:got])

    def readinto(self, buf: memoryview) -> int:
        """Fill `buf` from the body (fewer only at its end); 0 at the end. Transport failures become HttpError."""
        import http.client

        try:
            return self._response.readinto(buf)
        except (OSError, http.client.HTTPException) as exc:
            raise _as_http_error(exc) from None

    def close(self) -> None:
        if not self._response.isclosed():
            self._abandon()  # unread body bytes would be taken for the next response
        self._response.close()


def _as_http_error(exc: BaseException) -> HttpError:
    text = str(exc)
    stalled = "timed out" in text.lower() or "timeout" in type(exc).__name__.lower()
    if stalled:
        return HttpError(_("stalled: no data before the read timeout"), stalled=True)
    short = text.split(": ")[-1][:160] if text else type(exc).__name__
    return HttpError(f"{type(exc).__name__}: {short}")


def proxy_for(scheme: str, host: str, environ: Mapping[str, str]) -> Optional[str]:
    """The proxy URL for `scheme://host` from the environment, None when NO_PROXY covers the host."""
    def env(name: str) -> str:
        return environ.get(name) or environ.get(name.upper()) or ""

    for entry in env("no_proxy").replace(" ", "").split(","):
        entry = entry.split(":")[0].lstrip(".").lower()
        if entry == "*" or (entry and (host == entry or host.endswith("." + entry))):
            return None
    return env(f"{scheme}_proxy") or None


class StdlibHttp:
    """http.client-backed client: ranged GETs, identity encoding, connect and read timeouts."""

    def __init__(self, connect_timeout: float = 10.0, read_timeout: float = 30.0,
                 environ: Optional[Mapping[str, str]] = None) -> None:
        self.connect_timeout, self.read_timeout = connect_timeout, read_timeout
        self.environ = os.environ if environ is None else environ
        self._local = threading.local()

    def get(self, url: str, start: Optional[int] = None, end: Optional[int] = None) -> HttpReply:
        """GET `url`, bytes start..end inclusive when start is given; the body is read by the caller."""
        headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity"}
        if start is not None:
            headers["Range"] = f"bytes={start}-{'' if end is None else end}"
        for _hop in range(MAX_REDIRECTS + 1):
            reply = self._exchange(url, headers)
            location = reply.headers.get("Location")
            if reply.status not in _REDIRECTS or not location:
                return reply
            reply.close()
            url = urljoin(url, location)
        raise HttpError(f"more than {MAX_REDIRECTS} redirects")

    def _exchange(self, url: str, headers: dict[str, str]) -> _Reply:
        import http.client

        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise HttpError(f"unsupported URL {url!r}")
        proxy = proxy_for(parts.scheme, parts.hostname.lower(), self.environ)
        key = (parts.scheme, parts.hostname, parts.port, proxy)
        target = url.split("#")[0] if proxy and parts.scheme == "http" else \
            (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        for attempt in range(2):
            conn, reused = self._connection(key, parts, proxy)
            try:
                conn.request("GET", target, headers={**headers, **_proxy_auth(proxy, parts.scheme)})
                return _Reply(conn.getresponse(), lambda: self._forget(key))
            except (OSError, http.client.HTTPException) as exc:
                self._forget(key)
                if not (reused and attempt == 0):  # a kept-alive connection the server closed: once more
                    raise _as_http_error(exc) from None
        raise AssertionError("unreachable")

    def _connection(self, key: tuple, parts: Any, proxy: Optional[str]) -> tuple[Any, bool]:
        pool = self._local.__dict__.setdefault("conns", {})
        conn = pool.get(key)
        if conn is None:
            conn = pool[key] = _new_connection(parts, proxy, self.connect_timeout)
        if conn.sock is not None:
            return conn, True
        try:
            conn.connect()
        except OSError as exc:
            self._forget(key)
            raise _as_http_error(exc) from None
        conn.sock.settimeout(self.read_timeout)
        return conn, False

    def _forget(self, key: tuple) -> None:
        conn = self._local.__dict__.get("conns", {}).pop(key, None)
        if conn is not None:
            conn.close()


def _new_connection(parts: Any, proxy: Optional[str], timeout: float) -> Any:
    import http.client

    port = parts.port or (443 if parts.scheme == "https" else 80)
    if proxy is None:
        if parts.scheme == "https":
            return http.client.HTTPSConnection(parts.hostname, port, timeout=timeout, context=_tls())
        return http.client.HTTPConnection(parts.hostname, port, timeout=timeout)
    via = urlsplit(proxy if "://" in proxy else "http://" + proxy)
    if parts.scheme == "http":
        return http.client.HTTPConnection(via.hostname, via.port or 80, timeout=timeout)
    conn = http.client.HTTPSConnection(via.hostname, via.port or 80, timeout=timeout, context=_tls())
    conn.set_tunnel(parts.hostname, port, headers=_proxy_auth(proxy, "http"))
    return conn


def _proxy_auth(proxy: Optional[str], scheme: str) -> dict[str, str]:
    """Proxy-Authorization for user:password@ in the proxy URL (sent on requests to plain-HTTP targets
    and on the CONNECT of HTTPS ones)."""
    if not proxy or scheme != "http":
        return {}
    via = urlsplit(proxy if "://" in proxy else "http://" + proxy)
    if via.username is None:
        return {}
    token = f"{unquote(via.username)}:{unquote(via.password or '')}".encode()
    return {"Proxy-Authorization": "Basic " + base64.b64encode(token).decode("ascii")}


def _tls() -> Any:
    import ssl

    return ssl.create_default_context()
