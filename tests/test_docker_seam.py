"""The docker seam (`gateways/docker_engine.py`, SDK fallback in `docker_sdk.py`): exec with a timeout, the
agent's two-way exec session, archive reads, and the errors a user sees when the daemon is not there.

Real dockerd for the container calls (both engines); fake unix servers for daemons that misbehave."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import struct
import subprocess
import sys
import tarfile
import threading
import time
import uuid

import pytest

from mlu_doctor.errors import CannotRun
from mlu_doctor.gateways.docker_engine import ContainerGoneError, UnixEngine
from tests import dockerkit

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))






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
def test_exec_demultiplexes_output_and_passes_env_and_workdir(engine, box):
    from mlu_doctor.gateways.docker_exec import exec_run

    code, out, err = engine.exec(box.id, ["sh", "-c", "echo out; echo err >&2; exit 3"], user=None, timeout=10)
    assert (code, out, err) == (3, b"out\n", b"err\n")
    res = exec_run(engine, box.id, ["sh", "-c", 'echo "$SEAM_X $(pwd)"'], timeout=10, env={"SEAM_X": "x1"}, cwd="/etc")
    assert res.ok and res.stdout == "x1 /etc\n"
    missing = exec_run(engine, box.id, ["/no/such/tool"], timeout=10)
    assert not missing.ok and missing.error


@pytest.mark.docker
def test_exec_timeout_abandons_the_command_and_says_timed_out(engine, box):
    from mlu_doctor.gateways.docker_exec import exec_run

    start = time.monotonic()
    res = exec_run(engine, box.id, ["sleep", "30"], timeout=0.5)
    assert res.timed_out and not res.ok and time.monotonic() - start < 5


@pytest.mark.docker
def test_archive_stat_and_get_and_missing_paths(engine, box):
    st = engine.stat_path(box.id, "/etc/seam.txt")
    assert st["name"] == "seam.txt" and st["size"] == len("hello seam\n")
    assert engine.stat_path(box.id, "/etc/nope") is None
    stream = engine.get_archive(box.id, "/etc/seam.txt")
    try:
        with tarfile.open(fileobj=stream, mode="r|") as tar:
            member = tar.next()
            assert member.name == "seam.txt" and tar.extractfile(member).read() == b"hello seam\n"
    finally:
        stream.close()
    assert engine.get_archive(box.id, "/etc/nope") is None
    with pytest.raises(ContainerGoneError):
        engine.get_archive("mlu-doctor-test-seam-no-such-container", "/etc")


@pytest.mark.docker
def test_agent_session_round_trip(engine, docker_client):
    """The agent keeps one exec open and talks a line protocol over the hijacked stdin/stdout socket."""
    from mlu_doctor.facts.container_agent import AgentError, ExecAgent

    ctr = dockerkit.run_container(docker_client, dockerkit.python_rootfs_image(docker_client),
                                  name=f"mlu-doctor-test-seam-{uuid.uuid4().hex[:8]}", network_mode="none")
    try:
        agent = ExecAgent(engine, ctr.id, "python3", timeout=10)
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
            ExecAgent(engine, ctr.id, "/no/python", timeout=10)
    finally:
        ctr.remove(force=True)


def test_exec_session_skips_stderr_frames_and_reassembles_split_frames():
    from mlu_doctor.gateways.docker_wire import ExecSession, Reader

    a, b = socket.socketpair()
    session = ExecSession(a, Reader(a))
    data = struct.pack(">BxxxL", 2, 4) + b"warn" + struct.pack(">BxxxL", 1, 6) + b"hello\n"
    for i in range(0, len(data), 5):
        b.sendall(data[i:i + 5])
    assert session.recv() == b"hello\n"
    session.send(b"ping\n")
    assert b.recv(10) == b"ping\n"
    b.close()
    assert session.recv() == b""
    session.close()


def test_no_daemon_on_the_socket_is_cannot_run_saying_it_is_not_running():
    with pytest.raises(CannotRun, match="it is not running"):
        UnixEngine("/nonexistent", 5).inspect("x")


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
            ok = subprocess.run([python, "-c", "import mlu_doctor.gateways.docker_engine"], env={"PYTHONPATH": REPO},
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
    code = ("from mlu_doctor.errors import CannotRun\nfrom mlu_doctor.gateways.docker_engine import UnixEngine\n"
            f"try:\n    UnixEngine({path!r}, 5).inspect('x')\nexcept CannotRun as exc:\n    print(exc)\n")
    try:
        out = subprocess.run([python, "-c", code], env={"PYTHONPATH": REPO}, user=65534, group=65534,
                             extra_groups=[], capture_output=True, text=True, timeout=30)
    finally:
        server.close()
        os.unlink(path)
    assert "permission denied on its socket" in out.stdout and "'docker' group" in out.stdout, out.stderr


DUMP = """
import json, sys
from mlu_doctor.cli import main
sys.argv = ["mlu-doctor", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
sys.stderr.write("MODULES=" + json.dumps(sorted(sys.modules)) + "\\n")
"""


@pytest.mark.docker
def test_check_container_on_the_local_socket_imports_no_docker_sdk_or_requests(box):
    env = {k: v for k, v in os.environ.items() if k != "DOCKER_HOST"}
    proc = subprocess.run([sys.executable, "-c", DUMP, "check", "--container", box.name, "--format", "json"],
                          capture_output=True, text=True, timeout=60, env=env, cwd=REPO)
    assert f'"container": "{box.name}"' in proc.stdout, proc.stderr
    line = next(x for x in proc.stderr.splitlines() if x.startswith("MODULES="))
    modules = {m.split(".")[0] for m in json.loads(line[len("MODULES="):])}
    assert not modules & {"docker", "requests", "urllib3"}
