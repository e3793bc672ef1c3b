"""A capture judged elsewhere says what a live check says: `mlu-doctor capture` and the probe script (run by the
oldest Python here) replayed with `check --capture`, against `check` on the same fixture host, in real processes."""

from __future__ import annotations

import json
import os
import subprocess
import tarfile
from pathlib import Path

import pytest

from tests.kit.capture import SCENARIOS, build, doctor, findings, oldest_python
from tests.kit.files import write

CLEAN = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}  # where the capture is judged: no cnmon, no Neuware


@pytest.fixture(scope="module")
def probe_py(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("script") / "probe.py"
    result = doctor(["probe-script", "-o", path], CLEAN, path.parent)
    assert result.returncode == 0 and path.is_file(), result.stderr
    return path


@pytest.fixture(scope="module", params=sorted(SCENARIOS))
def host(request, tmp_path_factory):
    """(scenario, host, project, live check) for each scenario."""
    base = tmp_path_factory.mktemp(request.param)
    host, project = build(request.param, base)
    live = doctor(["check", "--root", host.root, "--format", "json"], host.env, project)
    assert live.returncode in (0, 1) and "Traceback" not in live.stderr, live.stderr
    return request.param, host, project, live


def test_capture_tarball_replays_like_the_live_check(host, tmp_path):
    name, fixture, project, live = host
    out = tmp_path / f"{name}.tar.gz"
    made = doctor(["capture", "-o", out, "--root", fixture.root], fixture.env, project)
    assert made.returncode == 0 and f"wrote {out}" in made.stdout, made.stderr
    calls = len(fixture.cnmon_calls())
    replay = doctor(["check", "--capture", out, "--format", "json"], CLEAN, tmp_path)
    assert replay.returncode == live.returncode, replay.stderr
    assert findings(replay) == findings(live)
    assert len(fixture.cnmon_calls()) == calls, "a replay never runs the recorded commands"
    with tarfile.open(out) as tar:  # exactly what the probes read: no file of the root that nothing asked for
        names = set(tar.getnames())
        recorded = json.load(tar.extractfile("capture.json"))["systems"]["host"]
    env = json.loads(replay.stdout)["facts"]["env"]
    if env["torch_home_path"]:  # TORCH_HOME's writability and free space, as measured when it was captured
        assert recorded["writable"][env["torch_home_path"]] == [True, None, env["torch_home_free"]]
    assert "capture.json" in names and "host/files/proc/modules" in names
    assert not any("/images/" in n for n in names), "dataset images are counted, never read"


def test_probe_script_on_the_oldest_python_replays_like_the_live_check(host, probe_py, tmp_path):
    name, fixture, project, live = host
    python = oldest_python()
    ran = subprocess.run([python, str(probe_py), "--root", str(fixture.root)], env=fixture.env,
                                       cwd=project, capture_output=True, timeout=120)
    assert ran.returncode == 0 and ran.stderr == b"", ran.stderr
    facts = write(tmp_path / "facts.json", ran.stdout)
    data = json.loads(ran.stdout)
    assert data["tool"].startswith("probe.py") and "cnmon" in data["systems"]["host"]["which"]
    for option in ("--capture", "--facts"):  # --facts takes the probe script's JSON too (its usual name is facts.json)
        replay = doctor(["check", option, facts, "--format", "json"], CLEAN, tmp_path)
        assert replay.returncode == live.returncode, replay.stderr
        assert findings(replay) == findings(live), f"{name} through {python}"


def test_probe_script_on_this_machine_runs_everything_with_a_timeout(probe_py, tmp_path):
    """At `/` (no --root), with a cnmon that hangs: the script kills it at --timeout and the doctor says so."""
    bindir = tmp_path / "bin"
    cnmon = write(bindir / "cnmon", "#!/bin/sh\nsleep 30\n")
    cnmon.chmod(0o755)
    env = {"PATH": f"{bindir}{os.pathsep}/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": str(tmp_path)}
    ran = subprocess.run([oldest_python(), str(probe_py), "--timeout", "0.5", "-o", "facts.json"],
                                       env=env, cwd=tmp_path, capture_output=True, timeout=60)
    assert ran.returncode == 0, ran.stderr
    runs = json.loads((tmp_path / "facts.json").read_text())["systems"]["host"]["runs"]
    assert [r["timed_out"] for r in runs if r["argv"][0] == str(cnmon)] == [True, True]
    replay = doctor(["check", "--capture", tmp_path / "facts.json", "--only", "driver.", "--format", "json"], CLEAN, tmp_path)
    facts = json.loads(replay.stdout)["facts"]
    assert facts["errors"]["driver"] == "cnmon timed out after 0.5 s"
    assert facts["driver"]["cnmon"]["status"] == "timeout"


@pytest.mark.parametrize("args, words", [
    (["--timeout", "soon"], "--timeout needs a number of seconds"),
    (["--root", "/no/such/dir"], "--root /no/such/dir: no such directory"),
    (["--colour"], "unknown option --colour"),
    (["-o", "/dev/null"], "-o /dev/null is not a regular file"),
])
def test_probe_script_bad_options_are_one_line_and_exit_2(probe_py, args, words):
    ran = subprocess.run([oldest_python(), str(probe_py), *args], capture_output=True, text=True, timeout=60)
    assert ran.returncode == 2 and ran.stderr.startswith(f"probe.py: {words}\n") and "Traceback" not in ran.stderr
