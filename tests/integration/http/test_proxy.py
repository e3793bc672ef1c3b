"""The HTTP seam honours proxies from the environment: a real forwarding proxy on 127.0.0.1 (plain and TLS),
CONNECT tunnels to an HTTPS mirror, and NO_PROXY with a CIDR range."""

from __future__ import annotations

import json
import os
import select
import shutil
import socket
import ssl
import subprocess
import threading
from http.client import HTTPConnection
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.kit.coco import FaultServer, Nginx, build_dataset

pytestmark = pytest.mark.skipif(not os.path.exists("/usr/sbin/nginx"), reason="nginx not installed")


class ProxyHandler(BaseHTTPRequestHandler):
    """GET http://host/path (forwarded) and CONNECT host:port (a byte tunnel); every request is logged."""

    protocol_version = "HTTP/1.1"
    log: list

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        self.log.append(("GET", self.path))
        target = urlsplit(self.path)
        upstream = HTTPConnection(target.hostname, target.port or 80, timeout=10)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("proxy-connection", "connection")}
        upstream.request("GET", target.path, headers=headers)
        reply = upstream.getresponse()
        self.send_response(reply.status)
        for key, value in reply.getheaders():
            if key.lower() not in ("connection", "transfer-encoding"):
                self.send_header(key, value)
        self.end_headers()
        while chunk := reply.read(64 * 1024):
            self.wfile.write(chunk)
        upstream.close()

    def do_CONNECT(self) -> None:
        self.log.append(("CONNECT", self.path))
        host, port = self.path.rsplit(":", 1)
        upstream = socket.create_connection((host, int(port)), timeout=10)
        self.send_response(200, "Connection established")
        self.end_headers()
        self.wfile.flush()
        pipe([self.connection, upstream])
        upstream.close()
        self.close_connection = True


def pipe(socks: list) -> None:
    """Copy bytes both ways until either side closes."""
    while True:
        ready, _, _ = select.select(socks, [], [], 10)
        if not ready:
            return
        for s in ready:
            data = s.recv(256 * 1024)
            if not data:
                return
            (socks[1] if s is socks[0] else socks[0]).sendall(data)


class Proxy:
    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self.log: list = []
        handler = type("Handler", (ProxyHandler,), {"log": self.log})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        if tls is not None:
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        scheme = "https" if tls else "http"
        self.url = f"{scheme}://127.0.0.1:{self.server.server_address[1]}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def mirror(tmp_path_factory):
    root = tmp_path_factory.mktemp("coco-proxy")
    build_dataset(root, base_url="")
    server = Nginx(tmp_path_factory.mktemp("nginx-proxy"), root / "www")
    yield server, root
    server.stop()


@pytest.fixture(scope="module")
def cert(tmp_path_factory) -> Path:
    """A self-signed certificate for 127.0.0.1 (key and certificate in one PEM file)."""
    if not shutil.which("openssl"):
        pytest.skip("openssl not installed")
    folder = tmp_path_factory.mktemp("tls")
    pem = folder / "localhost.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(folder / "key.pem"),
                    "-out", str(folder / "cert.pem")], check=True, capture_output=True)
    pem.write_text((folder / "key.pem").read_text() + (folder / "cert.pem").read_text())
    return pem


def tls_context(pem: Path) -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(str(pem))
    return ctx


def fetch_val(cli, root: Path, dest: Path, mirror_url: str, env: dict):
    args = ["fetch-coco", "--year", "2017", "--dest", dest, "--manifest", root / "manifest.yaml", "--parts", "val",
            "--mirror", mirror_url, "--format", "json"]
    base = {"MLU_DOCTOR_COCO_MIRROR": "", "HTTP_PROXY": "", "HTTPS_PROXY": "", "NO_PROXY": "", "http_proxy": None,
            "https_proxy": None, "no_proxy": None, "ALL_PROXY": None, "all_proxy": None}
    result = cli(args, env={**base, **env})
    assert result.exit_code == 0, result.stdout + result.stderr
    return json.loads(result.stdout)


def test_http_proxy_carries_every_request(cli, mirror, tmp_path):
    server, root = mirror
    proxy = Proxy()
    try:
        data = fetch_val(cli, root, tmp_path / "c", server.url, {"HTTP_PROXY": proxy.url})
    finally:
        proxy.stop()
    assert data["files"][0]["status"] == "downloaded"
    gets = [path for verb, path in proxy.log if verb == "GET"]
    assert gets and all(p == server.url + "zips/val2017.zip" for p in gets)


def test_cidr_no_proxy_goes_direct(cli, mirror, tmp_path):
    server, root = mirror
    proxy = Proxy()
    try:
        data = fetch_val(cli, root, tmp_path / "c", server.url, {"HTTP_PROXY": proxy.url, "NO_PROXY": "10.0.0.0/8,127.0.0.0/8"})
    finally:
        proxy.stop()
    assert data["files"][0]["status"] == "downloaded" and proxy.log == []


def test_https_mirror_through_a_tls_proxy(cli, mirror, cert, tmp_path):
    """HTTPS_PROXY=https://...: TLS to the proxy, CONNECT, then TLS to the mirror inside the tunnel."""
    _server, root = mirror
    https_mirror = FaultServer(root / "www")
    https_mirror.server.socket = tls_context(cert).wrap_socket(https_mirror.server.socket, server_side=True)
    proxy = Proxy(tls=tls_context(cert))
    url = https_mirror.url("ok").replace("http://", "https://")
    try:
        data = fetch_val(cli, root, tmp_path / "c", url, {"HTTPS_PROXY": proxy.url, "REQUESTS_CA_BUNDLE": str(cert)})
    finally:
        proxy.stop()
        https_mirror.stop()
    assert data["files"][0]["status"] == "downloaded"
    port = url.split(":")[2].split("/")[0]
    assert proxy.log and all(entry == ("CONNECT", f"127.0.0.1:{port}") for entry in proxy.log)


@pytest.mark.parametrize("env, words", [
    ({"HTTP_PROXY": "http://127.0.0.1:9"}, "proxy error"),
    ({}, "cannot connect: Connection refused"),
])
def test_transport_failures_are_one_line_exit_4(cli, mirror, tmp_path, env, words):
    _server, root = mirror
    args = ["fetch-coco", "--year", "2017", "--dest", tmp_path / "c", "--manifest", root / "manifest.yaml",
            "--parts", "val", "--mirror", "http://127.0.0.1:9/"]
    result = cli(args, env={"MLU_DOCTOR_COCO_MIRROR": "", "NO_PROXY": "", "no_proxy": None, **env})
    assert result.exit_code == 4
    [line] = result.stderr.strip().splitlines()
    assert words in line and "every mirror failed" in line and "Traceback" not in result.stderr


def test_an_untrusted_https_mirror_is_one_tls_line(cli, mirror, cert, tmp_path):
    _server, root = mirror
    https_mirror = FaultServer(root / "www")
    https_mirror.server.socket = tls_context(cert).wrap_socket(https_mirror.server.socket, server_side=True)
    url = https_mirror.url("ok").replace("http://", "https://")
    try:
        result = cli(["fetch-coco", "--year", "2017", "--dest", tmp_path / "c", "--manifest", root / "manifest.yaml",
                      "--parts", "val", "--mirror", url], env={"MLU_DOCTOR_COCO_MIRROR": "", "HTTPS_PROXY": "",
                                                             "REQUESTS_CA_BUNDLE": None, "CURL_CA_BUNDLE": None})
    finally:
        https_mirror.stop()
    assert result.exit_code == 4
    [line] = result.stderr.strip().splitlines()
    assert "TLS error" in line and "certificate verify failed" in line
