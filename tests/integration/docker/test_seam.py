"""The docker seam (`system/docker.py` on the docker SDK) on a real dockerd: exec with a timeout, the agent's
two-way exec stream, archive reads. (A daemon that is missing or misbehaves: tests/unit/system/test_docker.py.)"""

from __future__ import annotations

import tarfile
import time
import uuid

import pytest

from mlu_doctor.system.docker import ContainerGone
from tests.kit import docker as dockerkit


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
