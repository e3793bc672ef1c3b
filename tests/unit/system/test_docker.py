"""connect() and the CLI when the daemon is not there or is not a daemon: no socket, a fake unix
server that answers garbage, a root-only socket. One line, exit 4, no Docker needed."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
import uuid

import pytest

from tests.kit.files import REPO


def test_no_daemon_on_the_socket_exits_4_saying_it_is_not_running(cli, tmp_path):
    result = cli(["check", "--container", "x"], env={"DOCKER_HOST": f"unix://{tmp_path}/none.sock"})
    assert result.exit_code == 4 and "it is not running" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


class FakeDaemon:
    """A unix socket server that answers every request with `answer` (b"" closes at once)."""

    def __init__(self, path: str, answer: bytes) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.bind(path)
        self.sock.listen(8)
        self.answer = answer
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self) -> None:
        while True:
            try:
                conn, _addr = self.sock.accept()
            except OSError:
                return
            with conn, contextlib.suppress(OSError):
                conn.recv(65536)
                conn.sendall(self.answer)


@pytest.mark.parametrize("answer, expected", [
    (b"", "closed the connection"),
    (b'HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\nContent-Length: 34\r\n\r\n'
     b'{"message":"authorization denied"}', "authorization denied"),
    (b"SSH-2.0-OpenSSH\r\n", "not an HTTP answer"),
    (b"HTTP/1.1 200 OK\r\n" + b"X-Junk: y\r\n" * 500 + b"\r\n", "not an HTTP answer"),  # headers are limited
    (b"HTTP/1.1 200 OK\r\nX-Long: " + b"y" * 200_000 + b"\r\n\r\n", "not an HTTP answer"),
])
def test_a_socket_that_is_not_a_working_daemon_exits_4_with_one_line(cli, tmp_path, answer, expected):
    path = str(tmp_path / "d.sock")
    daemon = FakeDaemon(path, answer)
    try:
        result = cli(["check", "--container", "x"], env={"DOCKER_HOST": f"unix://{path}"})
    finally:
        daemon.sock.close()
    assert result.exit_code == 4, result.stderr
    assert expected in result.stderr and len(result.stderr.strip().splitlines()) == 1


def _python_for_nobody() -> str | None:
    for python in (sys.executable, "/usr/bin/python3"):
        try:
            ok = subprocess.run([python, "-c", "import docker, mlu_doctor.system.docker"], env={"PYTHONPATH": str(REPO)},
                                user=65534, group=65534, extra_groups=[], capture_output=True, timeout=30)
        except (OSError, subprocess.SubprocessError):
            continue
        if ok.returncode == 0:
            return python
    return None


def test_permission_denied_on_the_socket_names_the_docker_group(tmp_path):
    """A real EACCES: a root-only socket, connected to by uid 65534 (root ignores permissions)."""
    if os.geteuid() != 0:
        pytest.skip("needs root to run a command as another user")
    python = _python_for_nobody()
    if python is None:
        pytest.skip("no Python interpreter and checkout readable by uid 65534")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    path = f"/tmp/mlu-doctor-test-seam-{uuid.uuid4().hex[:8]}.sock"
    server.bind(path)
    os.chmod(path, 0o600)
    server.listen(1)
    code = ("from mlu_doctor.errors import CannotRun\nfrom mlu_doctor.system.docker import connect\n"
            "try:\n    connect(5)\nexcept CannotRun as exc:\n    print(exc)\n")
    try:
        out = subprocess.run([python, "-c", code], env={"PYTHONPATH": str(REPO), "DOCKER_HOST": f"unix://{path}"},
                             user=65534, group=65534,
                             extra_groups=[], capture_output=True, text=True, timeout=30)
    finally:
        server.close()
        os.unlink(path)
    assert "permission denied on its socket" in out.stdout and "'docker' group" in out.stdout, out.stderr
