"""The HTTP seam: ranged GETs streamed in chunks. `requests` is imported lazily (never on the check path).

Proxies come from the usual environment variables (HTTP_PROXY, HTTPS_PROXY, NO_PROXY): requests honours them.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Optional, Protocol

from mlu_doctor.i18n import _

USER_AGENT = "mlu-doctor-fetch-coco"


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

    def close(self) -> None: ...


class HttpClient(Protocol):
    def get(self, url: str, start: Optional[int] = None, end: Optional[int] = None) -> HttpReply: ...


@dataclass
class _Reply:
    status: int
    headers: Mapping[str, str]
    _response: Any

    def chunks(self, size: int) -> Iterator[bytes]:
        """Body chunks; transport failures become HttpError."""
        import requests

        try:
            yield from self._response.iter_content(chunk_size=size)
        except (requests.exceptions.RequestException, OSError) as exc:
            raise _as_http_error(exc) from None

    def close(self) -> None:
        self._response.close()


def _as_http_error(exc: BaseException) -> HttpError:
    text = str(exc)
    stalled = "timed out" in text.lower() or "timeout" in type(exc).__name__.lower()
    if stalled:
        return HttpError(_("stalled: no data before the read timeout"), stalled=True)
    short = _tail(text) if text else type(exc).__name__
    return HttpError(f"{type(exc).__name__}: {short}")


def _tail(text: str) -> str:
    """The last part of a requests/urllib3 error, without the '")))' its nested reprs leave behind."""
    short = text.split(": ")[-1]
    while short.endswith(")") and short.count(")") > short.count("("):
        short = short[:-1].rstrip("'\"")
    return short[:160]


class RequestsHttp:
    """requests-backed client: one Session per thread (keep-alive), identity encoding, ranged GETs."""

    def __init__(self, connect_timeout: float = 10.0, read_timeout: float = 30.0) -> None:
        self.timeout = (connect_timeout, read_timeout)
        self._local = threading.local()

    def _session(self) -> Any:
        session = getattr(self._local, "session", None)
        if session is None:
            import requests

            session = requests.Session()
            session.headers.update({"User-Agent": USER_AGENT, "Accept-Encoding": "identity"})
            self._local.session = session
        return session

    def get(self, url: str, start: Optional[int] = None, end: Optional[int] = None) -> HttpReply:
        """GET `url`, bytes start..end inclusive when start is given; the body is streamed."""
        import requests

        headers = {}
        if start is not None:
            headers["Range"] = f"bytes={start}-{'' if end is None else end}"
        try:
            resp = self._session().get(url, headers=headers, stream=True, timeout=self.timeout,
                                       allow_redirects=True)
        except (requests.exceptions.RequestException, OSError) as exc:
            raise _as_http_error(exc) from None
        return _Reply(status=resp.status_code, headers=resp.headers, _response=resp)
