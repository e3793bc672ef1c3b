"""`mlu-doctor capture`: --redact masks what a support tarball must not carry and the replay still works; -o is
written atomically and never to a device; problems are one line with the documented exit code."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys

from tests.kit import hosts, pyenvs
from tests.kit.capture import doctor, findings
from tests.kit.files import write

CLEAN = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
TOKEN = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2"
SERIAL = "FCA0123456789"


def personal_host(tmp_path):
    """The seed host, its project in alice's home, a token in the environment, a board serial in /proc."""
    host = hosts.mlu220_m2_host(tmp_path)
    pyenvs.cnml_env(host.root)
    project = pyenvs.yolov5_tree(host.root / "home/alice/yolov5")
    text = hosts.information_text("MLU220-M2", "4.6.9", 0, "0002:21:00.0", serial=SERIAL)
    hosts.add_proc_card(host.root, "0002:21:00.0", "MLU220-M2", "4.6.9", text=text)
    host.env.update(HOME="/home/alice", USER="alice", GITHUB_TOKEN=TOKEN, PYTHONPATH="/home/alice/yolov5",
                    LANG="C.UTF-8")
    return host, project


def test_redacted_capture_keeps_no_personal_value_and_still_replays(tmp_path):
    host, project = personal_host(tmp_path)
    plain, masked = tmp_path / "plain.tar.gz", tmp_path / "masked.tar.gz"
    assert doctor(["capture", "-o", plain, "--root", host.root], host.env, project).returncode == 0
    made = doctor(["capture", "-o", masked, "--root", host.root, "--redact"], host.env, project)
    assert made.returncode == 0 and "(redacted)" in made.stdout, made.stderr
    raw = gzip.decompress(masked.read_bytes())
    for value in (b"alice", TOKEN.encode(), SERIAL.encode()):
        assert value in gzip.decompress(plain.read_bytes()) and value not in raw
    assert b"/home/<user-1>/yolov5" in raw
    a = doctor(["check", "--capture", plain, "--format", "json"], CLEAN, tmp_path)
    b = doctor(["check", "--capture", masked, "--format", "json"], CLEAN, tmp_path)
    assert [f[:2] for f in findings(a)] == [f[:2] for f in findings(b)]  # same checks, same verdicts
    assert ("framework.arch-match", "fail") in [f[:2] for f in findings(b)]
    assert ("env.pythonpath", "ok") in [f[:2] for f in findings(b)], "redacted paths still resolve in the replay"


def test_output_errors(cli, tmp_path, empty_root):
    result = cli(["capture", "-o", tmp_path, "--root", empty_root])
    assert result.exit_code == 2 and "is not a regular file" in result.stderr
    result = cli(["capture", "-o", tmp_path / "no/such/dir/c.tar.gz", "--root", empty_root])
    assert result.exit_code == 4 and "cannot write" in result.stderr
    result = cli(["capture", "-o", "-", "--root", empty_root])
    assert result.exit_code == 2 and "-o needs a file name" in result.stderr
    result = cli(["capture", "--root", empty_root])
    assert result.exit_code == 2 and "--output" in result.stderr
    result = cli(["capture", "-o", tmp_path / "c.tar.gz", "--root", tmp_path / "none"])
    assert result.exit_code == 2 and "--root" in result.stderr and "no such directory" in result.stderr
    assert "Traceback" not in result.stderr and sorted(os.listdir(tmp_path)) == ["root"], "no temp file left behind"


def test_capture_replaces_its_output_atomically(cli, tmp_path, empty_root):
    out = write(tmp_path / "c.tar.gz", "old")
    result = cli(["capture", "-o", out, "--root", empty_root])
    assert result.exit_code == 0 and out.read_bytes()[:2] == b"\x1f\x8b"
    assert sorted(os.listdir(tmp_path)) == ["c.tar.gz", "root"]


def test_file_names_that_are_not_utf8_survive_a_capture(tmp_path):
    root = tmp_path / "root"
    project = root / "work/proj"
    project.mkdir(parents=True)
    (project / "数据.py").write_text("ct.set_core_version('MLU270')\n")
    with open(os.fsencode(project) + b"/caf\xe9.py", "w") as fh:
        fh.write("ct.set_core_number(16)\n")
    out = tmp_path / "c.tar.gz"
    made = doctor(["capture", "-o", out, "--root", root], CLEAN, project)
    assert made.returncode == 0, made.stderr

    def workload(*args: object, cwd: object) -> list:
        ran = subprocess.run([sys.executable, "-m", "mlu_doctor", "check", *map(str, args), "--only", "framework.",
                              "--format", "json"], env=CLEAN, cwd=cwd, capture_output=True, timeout=120)
        return json.loads(ran.stdout.decode("utf-8", "surrogateescape"))["facts"]["project"]["workload"]

    live, replay = workload("--root", root, cwd=project), workload("--capture", out, cwd=tmp_path)
    assert live == replay and len(live) == 2


def test_a_capture_the_loader_would_refuse_is_not_written(cli, tmp_path, empty_root, monkeypatch):
    from mlu_doctor.capture import archive

    monkeypatch.setattr(archive, "FILE_LIMIT", 100)  # any real tarball is larger
    out = tmp_path / "c.tar.gz"
    result = cli(["capture", "-o", out, "--root", empty_root])
    assert result.exit_code == 4 and not out.exists()
    assert result.stderr == ("mlu-doctor: the capture would be 1 MiB, more than the 0 MiB mlu-doctor reads; "
                             "nothing was written\n")
