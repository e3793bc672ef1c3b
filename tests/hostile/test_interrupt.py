"""Ctrl-C ends every long command within 1 s with exit 130 and one line: SIGINT is sent to the real CLI while it
waits on a sleeping cnmon or interpreter, a silent or trickling mirror, a silent Docker daemon, or a pipe.
(npd answers 2, "unknown", as node-problem-detector's protocol has no other code.)"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.hostile import files, peers
from tests.hostile.cases import empty_root
from tests.hostile.harness import box_env, clean_line, kill_leftovers, make_box

pytestmark = pytest.mark.slow
GRACE = 1.0  # seconds from SIGINT to the exit

SLEEPER = "echo $$ > {box}/pids/{name}\nexec sleep 300\n"


def started_tool(name: str) -> Callable[[Path, peers.Peer], bool]:
    return lambda box, peer: (box / "pids" / name).exists() and (box / "pids" / name).read_text().strip() != ""


def hit(kind: str) -> Callable[[Path, peers.Peer], bool]:
    return lambda box, peer: peer.hits[kind] > 0


def after(seconds: float) -> Callable[[Path, peers.Peer], bool]:
    start = time.monotonic()
    return lambda box, peer: time.monotonic() - start > seconds


ROOT = "{box}/root"
FETCH = ["fetch-coco", "--year", "2017", "--parts", "val", "--dest", "{box}/out/coco", "--manifest", "{box}/in/m.yaml",
         "--timeout", "30", "--min-speed", "0", "--connections", "1", "--mirror"]
# id -> (argv, tool to fake, ready(box, peer), env, exit code)
CASES = {
    "check/cnmon": (["check", "--root", ROOT, "--timeout", "60"], "cnmon", started_tool("cnmon"), {}, 130),
    "facts/cnmon": (["facts", "--root", ROOT, "--timeout", "60"], "cnmon", started_tool("cnmon"), {}, 130),
    "report/cnmon": (["report", "--root", ROOT, "--timeout", "60", "-o", "{box}/out/r.md"], "cnmon",
                     started_tool("cnmon"), {}, 130),
    "fix/cnmon": (["fix", "--root", ROOT, "--timeout", "60", "--dry-run"], "cnmon", started_tool("cnmon"), {}, 130),
    "npd/cnmon": (["npd", "--root", ROOT, "--timeout", "60"], "cnmon", started_tool("cnmon"), {}, 2),
    "check/python": (["check", "--root", ROOT, "--only", "framework.", "--python", "{box}/bin/python3", "--timeout",
                      "60"], "python3", started_tool("python3"), {}, 130),
    "check/runtime": (["check", "--only", "runtime.", "--runtime", "--python", "{box}/bin/python3"], "python3",
                      started_tool("python3"), {}, 130),
    "fetch-coco/silent-probe": ([*FETCH, "{peer}/silent/"], None, hit("silent"), {}, 130),
    "fetch-coco/trickle-body": ([*FETCH, "{peer}/trickle/"], None, hit("trickle"), {}, 130),
    "fetch-coco/slow-head": ([*FETCH, "{peer}/slowhead/"], None, hit("slowhead"), {}, 130),
    "check/docker-silent": (["check", "--root", ROOT, "--only", "container.", "--container", "yolo"], None,
                            hit("silent"), {"DOCKER_HOST": "tcp://{peerhost}/silent"}, 130),
    "inject/docker-silent": (["inject", "--container", "yolo", "{box}/in", "/data"], None, hit("silent"),
                             {"DOCKER_HOST": "tcp://{peerhost}/silent"}, 130),
    "explain/fifo-without-writer": (["explain", "{box}/in/fifo"], None, after(1.0), {}, 130),
    "explain/stdin-open": (["explain", "-"], None, after(1.0), {}, 130),
}


@pytest.fixture(scope="module")
def peer():
    made = peers.Peer()
    yield made
    made.stop()


@pytest.mark.parametrize("name", list(CASES))
def test_ctrl_c_ends_the_command_within_a_second(name, tmp_path, peer):
    argv, tool, ready, env, code = CASES[name]
    box = make_box(tmp_path / "box")
    empty_root(box)
    files.text(peers.MANIFEST)(box, "in/m.yaml")
    files.fifo(box, "in/fifo")
    files.text("timeouts:\n  docker: 60\n  runtime: 60\n")(box, "work/.mlu-doctor.yaml")
    if tool:
        files.fake_tool(box, tool, SLEEPER)
    hostport = peer.url.split("//")[-1]
    fill = [a.replace("{box}", str(box)).replace("{peer}", peer.url) for a in argv]
    before = dict(peer.hits)
    full_env = box_env(box, {k: v.replace("{peerhost}", hostport) for k, v in env.items()})
    stdin = subprocess.PIPE if name == "explain/stdin-open" else None
    proc = subprocess.Popen([*_python(), *fill], stdin=stdin or subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=full_env, cwd=box / "work", start_new_session=True)
    try:
        peer.hits.subtract({k: v for k, v in before.items()})  # count this run's connections only
        deadline = time.monotonic() + 30
        while not ready(box, peer):
            assert proc.poll() is None, (proc.returncode, proc.communicate())
            assert time.monotonic() < deadline, f"{name}: never reached the slow part"
            time.sleep(0.02)
        time.sleep(0.3)  # well inside the wait
        sent = time.monotonic()
        proc.send_signal(signal.SIGINT)
        try:
            out, err = proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            out, err = proc.communicate()
            pytest.fail(f"{name}: still running 10 s after Ctrl-C")
        took = time.monotonic() - sent
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        kill_leftovers(box)
    text = err.decode("utf-8", "replace")
    assert proc.returncode == code, (proc.returncode, text, out[-500:])
    assert took <= GRACE, f"{name}: exit {took:.2f} s after Ctrl-C"
    line = clean_line(text)
    assert "interrupted" in line or code == 2, line
    if tool:  # the command being waited on is gone too
        pid = int((box / "pids" / tool).read_text())
        time.sleep(0.2)
        assert not _alive(pid), f"{tool} ({pid}) outlived the interrupted run"


def _python() -> list[str]:
    import sys

    return [sys.executable, "-m", "mlu_doctor"]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as fh:  # a zombie waiting for its parent is not running
        return fh.read().split(")")[-1].split()[0] != "Z"

