"""DOCKER_HOST=ssh://user@127.0.0.1:PORT end to end, on loopback only: a paramiko SSH server in the test runs
`docker system dial-stdio` the way sshd would (it forwards the session to the daemon's unix socket), and the
doctor reaches the real daemon through the SDK's ssh transport. Needs the `ssh` extra (paramiko); without it
the test skips (tests/integration/docker/test_docker_hosts.py checks the message that names the extra)."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import threading

import pytest

from tests.kit.docker import busybox_image, python_rootfs_image

paramiko = pytest.importorskip("paramiko", reason="the ssh extra (paramiko) is not installed")
pytestmark = pytest.mark.docker
SOCKET = "/var/run/docker.sock"


class DialStdio(paramiko.ServerInterface):
    """Public-key login for one key; `exec docker system dial-stdio` only."""

    def __init__(self, key) -> None:
        self.key = key

    def check_channel_request(self, kind, chanid):
        return paramiko.OPEN_SUCCEEDED if kind == "session" else paramiko.OPEN_FAILED_ADMINISTRATIVELY_PROHIBITED

    def get_allowed_auths(self, username):
        return "publickey"

    def check_auth_publickey(self, username, key):
        return paramiko.AUTH_SUCCESSFUL if key == self.key else paramiko.AUTH_FAILED

    def check_channel_exec_request(self, channel, command):
        if command != b"docker system dial-stdio":
            return False
        threading.Thread(target=self.forward, args=(channel,), daemon=True).start()
        return True

    @staticmethod
    def forward(channel) -> None:
        up = socket.socket(socket.AF_UNIX)
        up.connect(SOCKET)

        def client_to_daemon() -> None:
            with contextlib.suppress(OSError, EOFError, paramiko.SSHException):
                while data := channel.recv(1 << 16):
                    up.sendall(data)
            with contextlib.suppress(OSError):
                up.shutdown(socket.SHUT_WR)

        threading.Thread(target=client_to_daemon, daemon=True).start()
        with contextlib.suppress(OSError, EOFError, paramiko.SSHException):
            while data := up.recv(1 << 16):
                channel.sendall(data)
        with contextlib.suppress(OSError, EOFError, paramiko.SSHException):  # the client may be gone already
            channel.close()
        up.close()


class SshServer:
    def __init__(self, client_key) -> None:
        self.host_key = paramiko.ECDSAKey.generate()
        self.client_key = client_key
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.transports: list = []
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self) -> None:
        while True:
            try:
                conn, _addr = self.listener.accept()
            except OSError:
                return
            transport = paramiko.Transport(conn)
            transport.add_server_key(self.host_key)
            transport.start_server(server=DialStdio(self.client_key))
            self.transports.append(transport)
            threading.Thread(target=self.channels, args=(transport,), daemon=True).start()

    def channels(self, transport) -> None:
        held = []  # a channel nobody references is closed by paramiko: the exec handler serves them
        while transport.is_active():
            channel = transport.accept(1)
            if channel is not None:
                held.append(channel)

    def close(self) -> None:
        self.listener.close()
        for t in self.transports:
            t.close()


@pytest.fixture(scope="module")
def ssh_env(tmp_path_factory):
    if not os.path.exists(SOCKET):
        pytest.skip(f"the test daemon has no {SOCKET}")
    home = tmp_path_factory.mktemp("sshhome")
    (home / ".ssh").mkdir(mode=0o700)
    key = paramiko.ECDSAKey.generate()
    key.write_private_key_file(str(home / ".ssh/id_ecdsa"))
    server = SshServer(paramiko.ECDSAKey(data=key.asbytes()))
    host_key = server.host_key
    (home / ".ssh/known_hosts").write_text(f"[127.0.0.1]:{server.port} {host_key.get_name()} {host_key.get_base64()}\n")
    yield {"HOME": str(home), "DOCKER_HOST": f"ssh://tester@127.0.0.1:{server.port}", "SSH_AUTH_SOCK": None}
    server.close()


def test_check_container_over_ssh_runs_the_exec_agent(cli, docker_client, container, ssh_env):
    ctr = container(python_rootfs_image(docker_client))
    res = cli(["facts", "--container", ctr.name, "--format", "json"], env=ssh_env)
    assert res.exit_code == 0, res.stderr
    c = json.loads(res.stdout)["container"]
    assert c["exec_status"] == "ok" and c["python_version"].startswith("3.")


@pytest.mark.parametrize("via", ["archive", "exec"])
def test_inject_over_ssh(cli, docker_client, container, ssh_env, tmp_path, via):
    ctr = container(busybox_image(docker_client, "mlu-doctor-test/fix-busybox"))
    (tmp_path / "d").mkdir()
    (tmp_path / "d/f.bin").write_bytes(os.urandom(1_500_000))
    res = cli(["inject", "--container", ctr.name, "--via", via, "--verify", "sha256", "--format", "json",
               str(tmp_path), "/ds"], env=ssh_env)
    assert res.exit_code == 0, res.stderr
    doc = json.loads(res.stdout)["inject"]
    assert (doc["files_sent"], doc["verified"], doc["via"]) == (1, True, via)
