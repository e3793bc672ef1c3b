"""When Docker fails under mlu-doctor: a daemon that accepts and never answers, a dead socket, a container
killed or removed while `inject` copies into it (archive API or `--via exec`) or while `check` looks at it.
Each ends with exit 4 within its timeout and one line that names the container and what happened."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest

from tests.kit.docker import busybox_image, run_container

IMAGE = "mlu-doctor-test/fix-busybox"


class SilentDaemon:
    """A unix socket that accepts connections and never answers (a hung daemon)."""

    def __init__(self, path: str) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.bind(path)
        self.sock.listen(16)
        self.held: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _addr = self.sock.accept()
            except OSError:
                return
            self.held.append(conn)

    def close(self) -> None:
        self.sock.close()
        for conn in self.held:
            conn.close()


def one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in text, text
    return lines[0]


def test_a_daemon_that_never_answers_ends_check_and_inject_with_exit_4_in_time(cli, tmp_path):
    daemon = SilentDaemon(str(tmp_path / "hung.sock"))
    env = {"DOCKER_HOST": f"unix://{tmp_path}/hung.sock"}
    config = tmp_path / "cfg.yaml"
    config.write_text("timeouts: {docker: 3}\n")
    try:
        start = time.monotonic()
        res = cli(["check", "--container", "x", "--config", str(config)], env=env)
        check_seconds = time.monotonic() - start
        start = time.monotonic()
        inj = cli(["inject", "--container", "x", "--timeout", "2", str(tmp_path), "/d"], env=env)
        inject_seconds = time.monotonic() - start
    finally:
        daemon.close()
    assert res.exit_code == 4 and "did not answer within 3 s" in one_line(res.stderr)  # timeouts.docker
    assert 2.5 < check_seconds < 7
    assert inj.exit_code == 4 and "did not answer within 2 s" in one_line(inj.stderr)
    assert 1.5 < inject_seconds < 6


def test_a_dead_socket_ends_check_and_inject_with_exit_4(cli, tmp_path):
    path = tmp_path / "dead.sock"
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.bind(str(path))  # a socket file nobody listens on: what a stopped daemon leaves behind
    env = {"DOCKER_HOST": f"unix://{path}"}
    for args in (["check", "--container", "x"], ["inject", "--container", "x", str(tmp_path), "/d"]):
        res = cli(args, env=env)
        assert res.exit_code == 4 and "it is not running" in one_line(res.stderr), res.stderr


@pytest.fixture(scope="module")
def image(docker_client):
    return busybox_image(docker_client, IMAGE)


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    """300 MB in 3,000 files: long enough to act on the container while it is copied."""
    root = tmp_path_factory.mktemp("failures") / "src"
    block = os.urandom(1 << 20)
    for i in range(3000):
        folder = root / f"d{i // 100:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"f{i:04d}.bin").write_bytes(block[i * 97 % 900_000:][:100_000] + i.to_bytes(4, "little"))
    return root


def landed(upper: Path) -> int:
    try:
        return sum(len(files) for _d, _s, files in os.walk(upper))
    except OSError:
        return 0


@pytest.mark.docker
@pytest.mark.parametrize("action", ["kill", "rm"])
@pytest.mark.parametrize("via", ["archive", "exec"])
def test_container_killed_or_removed_mid_copy_exits_4_saying_so(docker_client, image, dataset, via, action):
    name = f"mlu-doctor-test-fail-{uuid.uuid4().hex[:8]}"
    ctr = run_container(docker_client, image, name=name)
    try:
        upper = Path(ctr.attrs["GraphDriver"]["Data"]["UpperDir"]) / "ds"
        proc = subprocess.Popen([sys.executable, "-m", "mlu_doctor", "inject", "--container", name, "--via", via,
                                 "--batch-size", "64M", "--timeout", "20", str(dataset), "/ds"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and landed(upper) < 100 and proc.poll() is None:
            time.sleep(0.005)
        acted = time.monotonic()
        act = threading.Thread(target=ctr.kill if action == "kill" else lambda: ctr.remove(force=True))
        act.start()
        _out, err = proc.communicate(timeout=90)
        seconds = time.monotonic() - acted
        act.join()
    finally:
        with contextlib.suppress(Exception):
            ctr.remove(force=True)
    line = one_line(err)
    assert proc.returncode == 4, err
    assert name in line and ("was killed" if action == "kill" else "was removed") in line
    assert "copying into /ds" in line and "lacks" not in line  # names DEST
    assert seconds < 30


@pytest.mark.docker
@pytest.mark.parametrize("action", ["kill", "rm"])
def test_container_killed_or_removed_while_inject_lists_it_exits_4(cli, docker_client, image, tmp_path,
                                                                   monkeypatch, action):
    """Mid-exec: the container goes away while inject's survey exec would run in it."""
    from mlu_doctor.inject import remote

    ctr = run_container(docker_client, image, name=f"mlu-doctor-test-fail-{uuid.uuid4().hex[:8]}")
    real = remote.Container.survey

    def act_then_survey(box, dest):
        ctr.kill() if action == "kill" else ctr.remove(force=True)
        return real(box, dest)

    monkeypatch.setattr(remote.Container, "survey", act_then_survey)
    (tmp_path / "f.txt").write_text("x\n")
    try:
        res = cli(["inject", "--container", ctr.name, str(tmp_path), "/d"])
    finally:
        with contextlib.suppress(Exception):
            ctr.remove(force=True)
    line = one_line(res.stderr)
    assert res.exit_code == 4 and ctr.name in line
    assert ("was killed" if action == "kill" else "was removed") in line and "lacks" not in line


@pytest.mark.docker
@pytest.mark.parametrize("action", ["kill", "rm"])
def test_container_killed_or_removed_while_check_runs_in_it_exits_4(cli, docker_client, tmp_path, monkeypatch,
                                                                    action):
    """Mid-exec: the exec agent (Python image) loses its container while the probes run."""
    from mlu_doctor.system import container_probe
    from tests.kit.docker import python_rootfs_image

    ctr = run_container(docker_client, python_rootfs_image(docker_client),
                        name=f"mlu-doctor-test-fail-{uuid.uuid4().hex[:8]}")
    real = container_probe._run_probes

    def act_then_probe(c, ctx):
        ctr.kill() if action == "kill" else ctr.remove(force=True)
        return real(c, ctx)

    monkeypatch.setattr(container_probe, "_run_probes", act_then_probe)
    try:
        start = time.monotonic()
        res = cli(["check", "--container", ctr.name])
        seconds = time.monotonic() - start
    finally:
        with contextlib.suppress(Exception):
            ctr.remove(force=True)
    line = one_line(res.stderr)
    assert res.exit_code == 4 and ctr.name in line and "checking it" in line
    assert ("was killed" if action == "kill" else "was removed") in line
    assert "no Python and no ls" not in line and seconds < 15


@pytest.mark.docker
@pytest.mark.parametrize("via", ["archive", "exec"])
def test_ctrl_c_mid_copy_ends_inject_within_a_second_with_130(docker_client, image, dataset, via):
    import signal

    name = f"mlu-doctor-test-fail-{uuid.uuid4().hex[:8]}"
    ctr = run_container(docker_client, image, name=name)
    try:
        upper = Path(ctr.attrs["GraphDriver"]["Data"]["UpperDir"]) / "ds"
        proc = subprocess.Popen([sys.executable, "-m", "mlu_doctor", "inject", "--container", name, "--via", via,
                                 str(dataset), "/ds"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and landed(upper) < 100 and proc.poll() is None:
            time.sleep(0.005)
        sent = time.monotonic()
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=30)
        seconds = time.monotonic() - sent
    finally:
        ctr.remove(force=True)
    assert proc.returncode == 130 and "interrupted" in one_line(err)
    assert seconds < 1.0
