"""The daemons a user can point mlu-doctor at: tcp (DOCKER_HOST=tcp://127.0.0.1:PORT, the listener
scripts/start-dockerd.sh opens), a `docker context`, and ssh (configured, reached only on loopback)."""

from __future__ import annotations

import json
import os
import socket
import subprocess

import pytest

from tests.kit.docker import busybox_image, python_rootfs_image

TCP_PORT = int(os.environ.get("MLU_DOCKER_TCP_PORT", os.environ.get("MLU_DOCTOR_DOCKER_TCP_PORT", "23750")))
TCP_HOST = f"tcp://127.0.0.1:{TCP_PORT}"
IMAGE = "mlu-doctor-test/fix-busybox"


def tcp_listening() -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", TCP_PORT)) == 0


needs_tcp = pytest.mark.skipif(not tcp_listening(), reason=f"the test dockerd has no tcp listener on 127.0.0.1:"
                               f"{TCP_PORT} (it was started before scripts/start-dockerd.sh added one)")


@pytest.mark.docker
@needs_tcp
def test_check_container_over_tcp_runs_the_exec_agent(cli, docker_client, container):
    ctr = container(python_rootfs_image(docker_client))
    res = cli(["facts", "--container", ctr.name, "--format", "json"], env={"DOCKER_HOST": TCP_HOST})
    assert res.exit_code == 0, res.stderr
    c = json.loads(res.stdout)["container"]
    assert c["exec_status"] == "ok" and c["python_version"].startswith("3.") and c["running"]


@pytest.mark.docker
@needs_tcp
@pytest.mark.parametrize("via", ["archive", "exec"])
def test_inject_over_tcp(cli, docker_client, container, tmp_path, via):
    ctr = container(busybox_image(docker_client, IMAGE))
    (tmp_path / "a").mkdir()
    (tmp_path / "a/f.bin").write_bytes(os.urandom(300_000))
    res = cli(["inject", "--container", ctr.name, "--via", via, "--verify", "sha256", "--format", "json",
               str(tmp_path), "/ds"], env={"DOCKER_HOST": TCP_HOST})
    assert res.exit_code == 0, res.stderr
    doc = json.loads(res.stdout)["inject"]
    assert (doc["files_sent"], doc["verified"], doc["via"]) == (1, True, via)


def make_context(config_dir, name: str, host: str) -> None:
    subprocess.run(["docker", "--config", str(config_dir), "context", "create", name, "--docker", f"host={host}"],
                   check=True, capture_output=True)


@pytest.mark.docker
def test_the_current_docker_context_is_used_when_docker_host_is_unset(cli, docker_client, container, tmp_path):
    ctr = container(busybox_image(docker_client, IMAGE))
    config = tmp_path / "docker-config"
    make_context(config, "mlu-good", "unix:///var/run/docker.sock")
    make_context(config, "mlu-dead", f"unix://{tmp_path}/dead.sock")
    env = {"DOCKER_HOST": None, "DOCKER_CONFIG": str(config)}
    (config / "config.json").write_text(json.dumps({"currentContext": "mlu-good"}))
    res = cli(["facts", "--container", ctr.name, "--format", "json"], env=env)
    assert res.exit_code == 0 and json.loads(res.stdout)["container"]["name"] == ctr.name, res.stderr
    res = cli(["check", "--container", ctr.name], env={**env, "DOCKER_CONTEXT": "mlu-dead"})
    assert res.exit_code == 4 and "docker context mlu-dead" in res.stderr and "not running" in res.stderr


def test_an_ssh_docker_host_is_configured_and_reached_on_loopback_only(cli):
    """Port 1 of 127.0.0.1 is closed: the SDK's ssh transport must try it and fail cleanly (or ask for paramiko)."""
    res = cli(["check", "--container", "x"], env={"DOCKER_HOST": "ssh://nobody@127.0.0.1:1"})
    assert res.exit_code == 4 and len(res.stderr.strip().splitlines()) == 1, res.stderr
    try:
        import paramiko  # noqa: F401
    except ImportError:
        assert "pip install 'mlu-doctor[ssh]'" in res.stderr and "ssh://nobody@127.0.0.1:1" in res.stderr
    else:
        assert "over ssh (ssh://nobody@127.0.0.1:1)" in res.stderr or "not running" in res.stderr
