"""The HTTP seam: ranged GETs through requests (imported lazily, never on the check path).

One `requests.Session` per thread, so each download connection keeps its own keep-alive connection;
bodies are streamed (`stream=True`) and read with `raw.readinto` into the caller's reusable buffer.
Proxies come from the environment as requests reads them (HTTP_PROXY, HTTPS_PROXY with http:// or
https:// proxies, NO_PROXY with host names, domains and CIDR ranges). Every requests/urllib3/socket
exception becomes one `HttpError` with a short reason, here and nowhere else.

A watchdog thread ends replies that deliver less than `min_rate` bytes per second over `window`
seconds (a trickling mirror never trips the read timeout), and every open reply when `stop` is set,
so Ctrl-C does not wait for a blocked read.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator, Mapping
from typing import Any, Optional, Protocol

from mlu_doctor.i18n import _

USER_AGENT = "mlu-doctor-fetch-coco"
MAX_REDIRECTS = 5
WATCH_EVERY = 0.1


class HttpError(Exception):
    """A request failed before or while reading the body (connection refused, reset, timed out, too slow)."""

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


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """The exception and what caused it (requests wraps urllib3 wraps socket errors), outermost first."""
    seen: set[int] = set()
    todo: list[BaseException] = [exc]
    while todo:
        cur = todo.pop(0)
        if id(cur) in seen:
            continue
        seen.add(id(cur))
        yield cur
        for nxt in (getattr(cur, "reason", None), cur.__cause__, cur.__context__, *cur.args):
            if isinstance(nxt, BaseException):
                todo.append(nxt)


def describe(exc: BaseException) -> HttpError:
    """The one place where a transport exception becomes a short reason."""
    chain = list(_chain(exc))
    names = {type(e).__name__ for e in chain}
    if names & {"ReadTimeout", "ReadTimeoutError", "TimeoutError", "timeout"} or \
            any(isinstance(e, socket.timeout) for e in chain):
        if names & {"ConnectTimeout", "ConnectTimeoutError"}:
            return HttpError(_("connection timed out"))
        return HttpError(_("stalled: no data before the read timeout"), stalled=True)
    if names & {"ConnectTimeout", "ConnectTimeoutError"}:
        return HttpError(_("connection timed out"))
    if names & {"ProxyError"}:
        return HttpError(_("proxy error: {error}", error=_root_text(chain)))
    if names & {"SSLError", "SSLCertVerificationError"}:
        return HttpError(_("TLS error: {error}", error=_root_text(chain)))
    if names & {"NameResolutionError", "gaierror"}:
        return HttpError(_("cannot resolve the host name"))
    if names & {"TooManyRedirects"}:
        return HttpError(_("more than {n} redirects", n=MAX_REDIRECTS))
    if names & {"NewConnectionError", "ConnectionRefusedError"}:
        return HttpError(_("cannot connect: {error}", error=_root_text(chain)))
    if names & {"InvalidURL", "InvalidSchema", "MissingSchema", "LocationParseError", "InvalidHeader"}:
        return HttpError(_("bad URL: {error}", error=_root_text(chain)))
    return HttpError(_("connection broken: {error}", error=_root_text(chain)))


def _root_text(chain: list[BaseException]) -> str:
    """The innermost readable message: an OSError's strerror, else the last exception's text, short and
    printable (a peer's bytes never reach the terminal: a garbage status line is 'not an HTTP answer')."""
    for e in reversed(chain):
        if isinstance(e, OSError) and e.strerror:
            return e.strerror
    if any(type(e).__name__ in ("BadStatusLine", "LineTooLong") for e in chain):
        return _("not an HTTP answer")
    text = str(chain[-1]) or type(chain[-1]).__name__
    if "Caused by" in text:
        text = text.split("Caused by", 1)[1]
    text = "".join(c if c.isprintable() else "?" for c in text)
    return text.strip(" ()'\"")[-160:]


# Sockets each thread connected, found through the `socket.connect` audit event: the only handle on a request
# still reading its response head (requests returns nothing before the head is complete).
_THREAD = threading.local()
_HOOKED = False


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if event == "socket.connect":
        sockets = getattr(_THREAD, "sockets", None)
        if sockets is not None and isinstance(args[0], socket.socket):
            sockets.add(args[0])


def _thread_sockets() -> Any:
    """This thread's connected sockets (a WeakSet), recording from now on."""
    global _HOOKED
    if not _HOOKED:
        import sys

        sys.addaudithook(_audit)
        _HOOKED = True
    if getattr(_THREAD, "sockets", None) is None:
        import weakref

        _THREAD.sockets = weakref.WeakSet()
    return _THREAD.sockets


class _Head:
    """A request waiting for its response head: the watchdog ends it at the deadline or on stop."""

    def __init__(self, sockets: Any, deadline: float) -> None:
        self.sockets, self.deadline = sockets, deadline
        self.why: Optional[str] = None

    def abort(self, why: str) -> None:
        self.why = why
        for sock in list(self.sockets):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


class _Reply:
    """One streamed response; reads count bytes for the watchdog, `abort` unblocks a read from another
    thread."""

    def __init__(self, response: Any, client: RequestsHttp) -> None:
        self.status: int = response.status_code
        self.headers: Mapping[str, str] = response.headers
        self._response, self._client = response, client
        self._raw = response.raw
        self.opened = time.monotonic()
        # (time, bytes so far), thinned by the watchdog
        self.marks: list[tuple[float, int]] = [(self.opened, 0)]
        self.got = 0
        self.why: Optional[str] = None
        self._read1 = getattr(self._raw, "read1", None)  # urllib3 >= 2
        self._careful = client.min_rate > 0  # read1 until the link proved fast enough: see readinto

    def chunks(self, size: int) -> Iterator[bytes]:
        """Body chunks of up to `size` bytes; transport failures become HttpError."""
        buf = memoryview(bytearray(size))
        while True:
            got = self.readinto(buf)
            if not got:
                return
            yield bytes(buf[:got])

    def readinto(self, buf: memoryview) -> int:
        """Fill `buf` from the body (fewer only at its end); 0 at the end. Failures become HttpError."""
        if self.why:
            raise HttpError(self.why, stalled=True)
        started = time.monotonic()
        try:
            if self._careful and self._read1 is not None:
                # returns what has arrived: the watchdog sees a slow link honestly
                data = self._read1(len(buf))
                got = len(data)
                buf[:got] = data
            else:
                got = self._raw.readinto(buf)  # fills the whole buffer: the fast path, no copy of ours
        except Exception as exc:  # noqa: BLE001 - every transport failure is one HttpError, see describe()
            if self.why:
                raise HttpError(self.why, stalled=True) from None
            raise describe(exc) from None
        if not got and self.why:  # the watchdog shut the socket: not the end of the body
            raise HttpError(self.why, stalled=True)
        self.got += got
        # a whole-buffer read must not outlast a quarter of the watchdog's window
        if self._client.min_rate > 0:
            rate = got / max(time.monotonic() - started, 1e-6)
            self._careful = rate * self._client.window / 4 < len(buf)
        return got

    def abort(self, why: str) -> None:
        """End the reply from another thread: a blocked read returns at once and raises HttpError(why)."""
        self.why = why
        sock = _socket_of(self._raw)
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self._client._forget(self)
        with contextlib.suppress(Exception):  # closing a broken connection may fail; nothing to save
            self._response.close()  # an unread body closes the connection instead of returning it to the pool


def _socket_of(raw: Any) -> Optional[socket.socket]:
    """The socket under a urllib3 response, to shut it down from another thread."""
    conn = getattr(raw, "_connection", None) or getattr(raw, "connection", None)
    sock = getattr(conn, "sock", None)
    if sock is None:
        fp = getattr(getattr(raw, "_fp", None), "fp", None)
        sock = getattr(getattr(fp, "raw", None), "_sock", None)
    return sock if isinstance(sock, socket.socket) else None


class RequestsHttp:
    """requests-backed client: ranged GETs, identity encoding, connect/read timeouts, minimum throughput."""

    def __init__(self, connect_timeout: float = 10.0, read_timeout: float = 30.0, min_rate: float = 0.0,
                 window: Optional[float] = None, stop: Optional[threading.Event] = None) -> None:
        self.connect_timeout, self.read_timeout = connect_timeout, read_timeout
        self.min_rate, self.window = min_rate, window if window is not None else read_timeout
        self.stop = stop or threading.Event()
        import requests  # here, with the client: its import is start-up, not the first request's latency

        self._requests = requests
        self._local = threading.local()
        self._lock = threading.Lock()
        self._open: set[_Reply] = set()
        self._heads: set[_Head] = set()
        self._watchdog: Optional[threading.Thread] = None

    def _session(self) -> Any:
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = self._requests.Session()
            session.max_redirects = MAX_REDIRECTS
            session.headers.update({"User-Agent": USER_AGENT, "Accept-Encoding": "identity"})
        return session

    def get(self, url: str, start: Optional[int] = None, end: Optional[int] = None) -> HttpReply:
        """GET `url`, bytes start..end inclusive when start is given; the body is read by the caller."""
        if self.stop.is_set():
            raise HttpError(_("interrupted"))
        headers = {} if start is None else {"Range": f"bytes={start}-{'' if end is None else end}"}
        # The head (status line and headers) has a deadline of its own: a peer sending one header line per
        # read timeout would otherwise hold the request for 100 times that.
        head = _Head(_thread_sockets(), time.monotonic() + self.connect_timeout + self.read_timeout)
        with self._lock:
            self._heads.add(head)
            self._start_watchdog()
        try:
            response = self._session().get(url, headers=headers, stream=True,
                                           timeout=(self.connect_timeout, self.read_timeout))
        except Exception as exc:  # noqa: BLE001 - every transport failure is one HttpError, see describe()
            raise (HttpError(head.why, stalled=True) if head.why else describe(exc)) from None
        finally:
            with self._lock:
                self._heads.discard(head)
        if head.why:  # aborted as the head completed: the connection is shut
            with contextlib.suppress(Exception):
                response.close()
            raise HttpError(head.why, stalled=True)
        reply = _Reply(response, self)
        with self._lock:
            self._open.add(reply)
        return reply

    def _start_watchdog(self) -> None:
        if self._watchdog is None:  # under self._lock
            self._watchdog = threading.Thread(target=self._watch, name="http-watchdog", daemon=True)
            self._watchdog.start()

    def _forget(self, reply: _Reply) -> None:
        with self._lock:
            self._open.discard(reply)

    def _watch(self) -> None:
        """Abort every reply on stop, and those slower than min_rate over the window. After stop it aborts
        what is open once and ends (stop.wait would return at once from then on: it spun a core); a request
        that registers later starts a new watchdog, which aborts it."""
        stopped = False
        while not stopped:
            stopped = self.stop.wait(WATCH_EVERY)
            with self._lock:
                replies = list(self._open)
                heads = list(self._heads)
                if stopped:
                    self._watchdog = None
            now = time.monotonic()
            for head in heads:
                if head.why is None and (stopped or now >= head.deadline):
                    head.abort(_("interrupted") if stopped else
                               _("no complete answer (status line and headers) within {seconds:.0f} s",
                                 seconds=self.connect_timeout + self.read_timeout))
            for reply in replies:
                if reply.why:
                    continue
                if stopped:
                    reply.abort(_("interrupted"))
                elif self.min_rate > 0:
                    self._check_rate(reply, now)

    def _check_rate(self, reply: _Reply, now: float) -> None:
        reply.marks.append((now, reply.got))
        while len(reply.marks) > 2 and reply.marks[1][0] <= now - self.window:
            reply.marks.pop(0)
        since, got = reply.marks[0]
        if now - since >= self.window and (reply.got - got) < self.min_rate * (now - since):
            rate = (reply.got - got) / (now - since)
            reply.abort(_("too slow: {rate:.0f} B/s over {window:.0f} s (minimum {minimum:.0f} B/s)",
                          rate=rate, window=now - since, minimum=self.min_rate))
