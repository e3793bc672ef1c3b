"""DOCKER_HOST=tcp://... with DOCKER_TLS_VERIFY / DOCKER_CERT_PATH: the SDK's TLS client (mutual TLS, the
CLI's cert.pem / key.pem / ca.pem layout) against the real daemon, behind a TLS terminator on 127.0.0.1 that
forwards to its unix socket (the shared test daemon keeps one plain tcp listener; its TLS flags would apply
to every tcp listener)."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import ssl
import subprocess
import threading

import pytest

from tests.kit.docker import busybox_image, python_rootfs_image

pytestmark = [pytest.mark.docker,
              pytest.mark.skipif(not shutil.which("openssl"), reason="openssl is needed to make test certificates")]
SOCKET = "/var/run/docker.sock"


def openssl(*args: str, cwd) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def certs(tmp_path_factory):
    """A CA, a server certificate for 127.0.0.1 and a client certificate, as the docker CLI lays them out."""
    d = tmp_path_factory.mktemp("tls")
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    openssl("req", "-x509", *ec, "-keyout", "ca-key.pem", "-out", "ca.pem", "-days", "2", "-subj", "/CN=test-ca", cwd=d)
    for name, ext in (("server", "subjectAltName=IP:127.0.0.1"), ("cert", "extendedKeyUsage=clientAuth")):
        key = "key.pem" if name == "cert" else f"{name}-key.pem"
        openssl("req", *ec, "-keyout", key, "-out", f"{name}.csr", "-subj", f"/CN={name}", cwd=d)
        (d / f"{name}.ext").write_text(ext + "\n")
        openssl("x509", "-req", "-in", f"{name}.csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem", "-CAcreateserial",
                "-out", f"{name}.pem", "-days", "2", "-extfile", f"{name}.ext", cwd=d)
    return d


class TlsToUnix:
    """Mutual-TLS listener on 127.0.0.1 that forwards each connection to the daemon's unix socket."""

    def __init__(self, certs) -> None:
        self.ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.ctx.load_cert_chain(certs / "server.pem", certs / "server-key.pem")
        self.ctx.load_verify_locations(certs / "ca.pem")
        self.ctx.verify_mode = ssl.CERT_REQUIRED
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _addr = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with contextlib.suppress(OSError, ssl.SSLError):
            tls = self.ctx.wrap_socket(conn, server_side=True)
            up = socket.socket(socket.AF_UNIX)
            up.connect(SOCKET)
            threading.Thread(target=self._pump, args=(tls, up, True), daemon=True).start()
            self._pump(up, tls, False)

    @staticmethod
    def _pump(src, dst, half_close: bool) -> None:
        with contextlib.suppress(OSError, ssl.SSLError):
            while True:
                data = src.recv(1 << 16)
                if not data:
                    break
                dst.sendall(data)
        with contextlib.suppress(OSError, ssl.SSLError):  # the daemon's end: close both ways, waking the reader
            dst.shutdown(socket.SHUT_WR if half_close else socket.SHUT_RDWR)

    def close(self) -> None:
        self.listener.close()


@pytest.fixture(scope="module")
def tls_env(certs):
    if not os.path.exists(SOCKET):
        pytest.skip(f"the test daemon has no {SOCKET}")
    proxy = TlsToUnix(certs)
    yield {"DOCKER_HOST": f"tcp://127.0.0.1:{proxy.port}", "DOCKER_TLS_VERIFY": "1", "DOCKER_CERT_PATH": str(certs)}
    proxy.close()


def test_check_container_over_mutual_tls_runs_the_exec_agent(cli, docker_client, container, tls_env):
    ctr = container(python_rootfs_image(docker_client))
    res = cli(["facts", "--container", ctr.name, "--format", "json"], env=tls_env)
    assert res.exit_code == 0, res.stderr
    c = json.loads(res.stdout)["container"]
    assert c["exec_status"] == "ok" and c["python_version"].startswith("3.")


def test_inject_over_mutual_tls_by_the_archive_api_and_exec_is_refused(cli, docker_client, container, tls_env,
                                                                       tmp_path):
    ctr = container(busybox_image(docker_client, "mlu-doctor-test/fix-busybox"))
    (tmp_path / "d").mkdir()
    (tmp_path / "d/big.bin").write_bytes(os.urandom(2_000_000))  # sendfile falls back to send over TLS
    res = cli(["inject", "--container", ctr.name, "--verify", "sha256", "--format", "json", str(tmp_path), "/ds"],
              env=tls_env)
    assert res.exit_code == 0, res.stderr
    assert json.loads(res.stdout)["inject"]["verified"] is True
    res = cli(["inject", "--container", ctr.name, "--via", "exec", str(tmp_path), "/ds2"], env=tls_env)
    assert res.exit_code == 2 and "TLS" in res.stderr


def test_a_client_without_the_right_certificate_exits_4_naming_tls(cli, certs, tls_env, tmp_path):
    (tmp_path / "ca.pem").write_bytes((certs / "cert.pem").read_bytes())  # the wrong CA: the server is not trusted
    for name in ("cert.pem", "key.pem"):
        (tmp_path / name).write_bytes((certs / name).read_bytes())
    res = cli(["check", "--container", "x"], env={**tls_env, "DOCKER_CERT_PATH": str(tmp_path)})
    assert res.exit_code == 4 and "TLS with the Docker daemon" in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1
