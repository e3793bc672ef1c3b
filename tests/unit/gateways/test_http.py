"""The HTTP seam's one place for transport errors: real requests/urllib3 exceptions become short reasons."""

from __future__ import annotations

import socket
import threading
import time

import pytest
import requests
import urllib3

from mlu_doctor.gateways.http import RequestsHttp, describe


def raised(exc: BaseException, cause: BaseException) -> BaseException:
    try:
        try:
            raise cause
        except BaseException as inner:
            raise exc from inner
    except BaseException as outer:
        return outer


@pytest.mark.parametrize("exc, reason, stalled", [
    (requests.ConnectionError(urllib3.exceptions.MaxRetryError(None, "/x", urllib3.exceptions.NewConnectionError(
        None, "Failed to establish a new connection: [Errno 111] Connection refused"))), "cannot connect", False),
    (requests.ReadTimeout("HTTPConnectionPool(host='h', port=80): Read timed out. (read timeout=2)"),
     "stalled: no data before the read timeout", True),
    (requests.ConnectTimeout("connect timeout"), "connection timed out", False),
    (requests.exceptions.ProxyError(raised(OSError(111, "Connection refused"), OSError(111, "Connection refused"))),
     "proxy error: Connection refused", False),
    (requests.exceptions.SSLError("certificate verify failed"), "TLS error: certificate verify failed", False),
    (requests.TooManyRedirects("Exceeded 5 redirects."), "more than 5 redirects", False),
    (urllib3.exceptions.ProtocolError("Connection broken: IncompleteRead(10 bytes read, 90 more expected)",
                                      ConnectionResetError(104, "Connection reset by peer")),
     "connection broken: Connection reset by peer", False),
])
def test_describe_gives_one_short_reason(exc, reason, stalled):
    err = describe(exc)
    assert err.reason.startswith(reason) and err.stalled is stalled
    assert "\n" not in err.reason and len(err.reason) < 200 and "object at 0x" not in err.reason


@pytest.mark.slow  # waits out a real trickling server (2-3 s)
def test_the_watchdog_ends_a_trickle_and_a_stop_ends_a_blocked_read():
    """A server sending headers then 1 byte a second: the read is ended for being too slow, then by stop."""
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    quit_ = threading.Event()

    def serve() -> None:
        while not quit_.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                return
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")
            for _ in range(20):
                if quit_.wait(0.5):
                    break
                try:
                    conn.sendall(b"x")
                except OSError:
                    break
            conn.close()

    threading.Thread(target=serve, daemon=True).start()
    try:
        slow = RequestsHttp(read_timeout=5, min_rate=100, window=1.0)
        reply = slow.get(f"http://127.0.0.1:{port}/a")
        started = time.monotonic()
        with pytest.raises(Exception, match="too slow"):
            while reply.readinto(memoryview(bytearray(4096))):
                pass
        assert time.monotonic() - started < 3
        reply.close()
        stop = threading.Event()
        patient = RequestsHttp(read_timeout=30, stop=stop)
        reply = patient.get(f"http://127.0.0.1:{port}/b")
        dog = patient._watchdog
        threading.Timer(0.3, stop.set).start()
        started = time.monotonic()
        with pytest.raises(Exception, match="interrupted"):
            while reply.readinto(memoryview(bytearray(4096))):
                pass
        assert time.monotonic() - started < 1.0
        assert dog is not None
        dog.join(1.0)  # a stopped watchdog ends (its stop.wait returned at once forever: a core spun)
        assert not dog.is_alive()
    finally:
        quit_.set()
        server.close()
