"""A loopback HTTP peer that misbehaves on purpose: /KIND/... picks how.

silent     reads the request, never answers            trickle   headers, then one body byte a second
garbage    random bytes instead of HTTP                headers   an endless header block
slowhead   one header line a second, forever           close     a short body, then the connection closes
html       a 200 HTML quota page                       error     500 on everything
redirect   302 to itself, forever                      wrong     the right length, the wrong bytes
reset      the connection reset at once

Every connection is counted per kind (`hits`), so a test can wait until the client is inside the slow part.
"""

from __future__ import annotations

import contextlib
import random
import socket
import socketserver
import struct
import threading
import time
from collections import Counter

SIZE = 256 * 1024  # the one archive of the hostile manifest


class _Handler(socketserver.BaseRequestHandler):
    server: Peer

    def handle(self) -> None:
        sock = self.request
        sock.settimeout(60)
        try:
            head = self._read_head(sock)
        except OSError:
            return
        line = head.split(b"\r\n", 1)[0].decode("latin-1")
        parts = line.split()
        method, path = (parts[0], parts[1]) if len(parts) >= 2 else ("GET", "/")
        kind = path.strip("/").split("/", 1)[0]
        self.server.hits[kind] += 1
        with contextlib.suppress(OSError):
            getattr(self, "_" + kind, self._error)(sock, method, path)

    @staticmethod
    def _read_head(sock: socket.socket) -> bytes:
        data = b""
        while b"\r\n\r\n" not in data and len(data) < 65536:
            chunk = sock.recv(4096)
            if not chunk:
                break
            data += chunk
        return data

    def _wait(self, seconds: float = 120) -> None:
        self.server.stopping.wait(seconds)

    def _silent(self, sock, method, path) -> None:
        self._wait()

    def _trickle(self, sock, method, path) -> None:
        sock.sendall(self._ok(SIZE))
        if method == "HEAD":
            return
        while not self.server.stopping.is_set():
            sock.sendall(b"\0")
            self._wait(1)

    def _garbage(self, sock, method, path) -> None:
        sock.sendall(random.Random(path).randbytes(8192))

    def _headers(self, sock, method, path) -> None:
        sock.sendall(b"HTTP/1.1 200 OK\r\n")
        for _ in range(200_000):  # 3 MB of headers, as fast as the client takes them
            if self.server.stopping.is_set():
                return
            sock.sendall(b"X-Pad: " + b"a" * 8 + b"\r\n")

    def _slowhead(self, sock, method, path) -> None:
        sock.sendall(b"HTTP/1.1 200 OK\r\n")
        while not self.server.stopping.is_set():
            sock.sendall(b"X-Slow: 1\r\n")
            self._wait(1)

    def _close(self, sock, method, path) -> None:
        sock.sendall(self._ok(SIZE) + (b"" if method == "HEAD" else b"\0" * 100))

    def _html(self, sock, method, path) -> None:
        body = b"<html><body>Download quota exceeded</body></html>"
        sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n" % len(body) + body)

    def _error(self, sock, method, path) -> None:
        sock.sendall(b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")

    def _redirect(self, sock, method, path) -> None:
        sock.sendall(b"HTTP/1.1 302 Found\r\nLocation: %s\r\nContent-Length: 0\r\nConnection: close\r\n\r\n" % path.encode())

    def _wrong(self, sock, method, path) -> None:
        sock.sendall(self._ok(SIZE) + (b"" if method == "HEAD" else b"\x01" * SIZE))

    def _reset(self, sock, method, path) -> None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))

    @staticmethod
    def _ok(size: int) -> bytes:
        return (b"HTTP/1.1 200 OK\r\nContent-Type: application/zip\r\nAccept-Ranges: none\r\n"
                b"Content-Length: %d\r\nConnection: close\r\n\r\n" % size)


class Peer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.hits: Counter[str] = Counter()
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def wait_hit(self, kind: str, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while self.hits[kind] == 0:
            assert time.monotonic() < deadline, f"nobody came to /{kind}/"
            time.sleep(0.02)

    def stop(self) -> None:
        self.stopping.set()
        self.shutdown()
        self.server_close()


MANIFEST = f"""official: http://127.0.0.1:1/
years:
  '2017':
    archives:
      - {{name: val2017.zip, path: zips/val2017.zip, part: val, split: val2017, size: {SIZE}, sha256: {"5" * 64},
         images: 1, extract_to: images}}
"""
KINDS = ("silent", "trickle", "garbage", "headers", "slowhead", "close", "html", "error", "redirect", "wrong", "reset")
