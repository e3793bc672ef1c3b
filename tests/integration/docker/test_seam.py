"""The docker seam (`system/docker.py` on the docker SDK): exec with a timeout, the agent's two-way exec
stream, archive reads, and the errors a user sees when the daemon is not there.

Real dockerd for the container calls; fake unix servers for daemons that misbehave."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tarfile
import threading
import time
import uuid

import pytest

from mlu_doctor.system.docker import ContainerGone
from tests.kit import docker as dockerkit
from tests.kit.files import REPO


@pytest.fixture(scope="module")
def box(docker_client):
    """One running busybox container (no network) with a known file, removed at the end."""
    tag = f"mlu-doctor-test/seam-{uuid.uuid4().hex[:6]}"
    image = dockerkit.busybox_image(docker_client, tag, {"/etc/seam.txt": "hello seam\n"})
    ctr = dockerkit.run_container(docker_client, image, name=f"mlu-doctor-test-seam-{uuid.uuid4().hex[:8]}",
                                  network_mode="none")
    yield ctr
    ctr.remove(force=True)
    docker_client.images.remove(image, force=True)


@pytest.mark.docker
def test_exec_demultiplexes_output_and_passes_env_and_workdir(seam, box):
    from mlu_doctor.system.container import ContainerSystem

    code, out, err = seam.exec_run(box.id, ["sh", "-c", "echo out; echo err >&2; exit 3"], user=None, timeout=10)
    assert (code, out, err) == (3, b"out\n", b"err\n")
    system = ContainerSystem(seam, box.id, "t", running=True)
    res = system.run(["sh", "-c", 'echo "$SEAM_X $(pwd)"'], timeout=10, env={"SEAM_X": "x1"}, cwd="/etc")
    assert res.ok and res.stdout == "x1 /etc\n"
    missing = system.run(["/no/such/tool"], timeout=10)
    assert not missing.ok and missing.error


@pytest.mark.docker
def test_exec_timeout_abandons_the_command_and_says_timed_out(seam, box):
    from mlu_doctor.system.container import ContainerSystem

    start = time.monotonic()
    res = ContainerSystem(seam, box.id, "t", running=True).run(["sleep", "30"], timeout=0.5)
    assert res.timed_out and not res.ok and time.monotonic() - start < 5


@pytest.mark.docker
def test_archive_stat_and_get_and_missing_paths(seam, box):
    st = seam.stat_path(box.id, "/etc/seam.txt")
    assert st["name"] == "seam.txt" and st["size"] == len("hello seam\n")
    assert seam.stat_path(box.id, "/etc/nope") is None
    stream = seam.get_archive(box.id, "/etc/seam.txt")
    try:
        with tarfile.open(fileobj=stream, mode="r|") as tar:
            member = tar.next()
            assert member.name == "seam.txt" and tar.extractfile(member).read() == b"hello seam\n"
    finally:
        stream.close()
    assert seam.get_archive(box.id, "/etc/nope") is None
    with pytest.raises(ContainerGone):
        seam.get_archive("mlu-doctor-test-seam-no-such-container", "/etc")


@pytest.mark.docker
def test_agent_session_round_trip(seam, docker_client):
    """The agent keeps one exec open and talks a line protocol over the upgraded stdin/stdout stream."""
    from mlu_doctor.system.container_agent import AgentError, ExecAgent

    ctr = dockerkit.run_container(docker_client, dockerkit.python_rootfs_image(docker_client),
                                  name=f"mlu-doctor-test-seam-{uuid.uuid4().hex[:8]}", network_mode="none")
    try:
        agent = ExecAgent(seam, ctr.id, "python3", timeout=10)
        assert agent.hello["version"].startswith("3.") and "null" in agent.hello["dev"]
        assert agent.request("stat", "/etc")["t"] == "d" and "passwd" in agent.request("listdir", "/etc")
        assert agent.read("/etc/hostname", 1 << 20).strip() == ctr.id[:12].encode()
        big = agent.read("/usr/bin/python3", 3 << 20)  # answers larger than one frame / one recv
        assert big.startswith(b"\x7fELF") and len(big) > 1 << 20
        with pytest.raises(FileNotFoundError):
            agent.request("read", "/etc/nope")
        assert agent.alive
        agent.close()
        with pytest.raises(AgentError):
            agent.request("stat", "/")
        with pytest.raises(AgentError):
            ExecAgent(seam, ctr.id, "/no/python", timeout=10)
    finally:
        ctr.remove(force=True)


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
