"""`--root` is a chroot for reading: hostile trees (links out of the root, loops, FIFOs, an unreadable /dev)
never make mlu-doctor read this machine's files, hang, or crash. Real CLI, real files, in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.kit import hosts
from tests.kit.files import REPO, write

pytestmark = pytest.mark.fast  # in-process CLI on hostile trees (about 1 s in all)

SENTINEL = "SENTINEL-9f3c"
BUS = "0002:21:00.0"  # the MLU220-M2 card of hosts.mlu220_m2_host
INFO = f"proc/driver/cambricon/mlus/{BUS}/information"


def doctor(args: list[str], env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess:
    """The real CLI in its own process; a hang fails the test after `timeout` seconds."""
    return subprocess.run([sys.executable, "-m", "mlu_doctor", *args], capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **env, "PYTHONPATH": str(REPO), "NO_COLOR": "1",
                                                "LANG": "C.UTF-8"})


def outside_files(tmp_path: Path) -> Path:
    """Files next to (not under) the root that a confined reader never sees, each holding SENTINEL."""
    out = tmp_path / "outside"
    write(out / "information", hosts.information_text(f"MLU370-{SENTINEL}", f"9.9.9-{SENTINEL}", 0, BUS))
    write(out / "ld.conf", f"/{SENTINEL}/lib64\n")
    write(out / "status", f"Package: cntoolkit\nStatus: install ok installed\nVersion: {SENTINEL}\n")
    write(out / "dev" / "cambricon_dev7", "")
    write(out / "dev" / "cambricon_ctl", "")
    return out


def relink(path: Path, target: str) -> None:
    if path.exists() or path.is_symlink():
        if path.is_dir() and not path.is_symlink():
            import shutil

            shutil.rmtree(path)
        else:
            path.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(target, path)


def facts_json(host: hosts.HostFixture) -> tuple[dict, str]:
    res = doctor(["facts", "--root", str(host.root), "--format", "json", "--timeout", "5"], host.env)
    assert res.returncode == 0 and "Traceback" not in res.stderr, res.stderr
    return json.loads(res.stdout), res.stdout


def test_links_out_of_the_root_resolve_inside_it(tmp_path):
    host = hosts.mlu220_m2_host(tmp_path)
    out = outside_files(tmp_path)
    relink(host.root / INFO, str(out / "information"))  # absolute: exists on this machine, outside the root
    relink(host.root / "etc/ld.so.conf.d/evil.conf", "../" * 30 + str(out / "ld.conf").lstrip("/"))  # climbs
    relink(host.root / "var/lib/dpkg/status", str(out / "status"))
    relink(host.root / "dev", str(out / "dev"))
    facts, text = facts_json(host)
    assert SENTINEL not in text and "cambricon_dev7" not in text
    assert f"/{INFO} could not be read" in facts["device"]["problems"]
    assert facts["device"]["nodes"] == [] and facts["device"]["dev_listed"] is False
    assert facts["toolkit"]["version"] != SENTINEL


def test_the_same_links_resolve_when_their_targets_exist_inside_the_root(tmp_path):
    host = hosts.mlu220_m2_host(tmp_path)
    out = outside_files(tmp_path)
    inside = host.root / str(out).lstrip("/")  # the absolute target, as a path of the inspected system
    write(inside / "information", hosts.information_text("MLU220-M2", "4.6.9", 0, BUS))
    relink(host.root / INFO, str(out / "information"))
    facts, text = facts_json(host)
    assert SENTINEL not in text
    assert facts["device"]["proc"][0]["driver_version"] == "4.6.9" and facts["device"]["problems"] == []


@pytest.mark.parametrize("hostile", ["loop", "fifo", "dev-loop", "dev-fifo"])
def test_hostile_files_neither_hang_nor_crash_and_say_what_was_not_judged(tmp_path, hostile):
    host = hosts.mlu220_m2_host(tmp_path)
    info = host.root / INFO
    if hostile == "loop":
        relink(info, "information2")
        relink(info.parent / "information2", "information")
    elif hostile == "fifo":
        info.unlink()
        os.mkfifo(info)
    elif hostile == "dev-loop":
        relink(host.root / "dev", "/dev")  # under the root: a link to itself
    else:
        relink(host.root / "dev", "/x")
        os.mkfifo(host.root / "x")
    res = doctor(["check", "--root", str(host.root), "--only", "device.,driver.", "--timeout", "5",
                  "--format", "json"], host.env)
    assert "Traceback" not in res.stderr and res.returncode in (0, 1), res.stderr
    findings = {f["id"]: f for f in json.loads(res.stdout)["findings"]}
    if hostile.startswith("dev"):
        nodes = findings["device.nodes"]
        assert nodes["status"] == "skip" and "/dev could not be listed" in nodes["summary"], nodes
    else:
        problems = json.loads(doctor(["facts", "--root", str(host.root), "--section", "device"],
                                     host.env).stdout)["device"]["problems"]
        assert problems == [f"/{INFO} could not be read"]
        assert findings["device.present"]["status"] == "ok"  # the card is still seen through PCI and cnmon


def test_a_facts_file_that_is_a_fifo_or_a_device_or_too_deep_is_one_line_exit_2(tmp_path):
    fifo = tmp_path / "facts.json"
    os.mkfifo(fifo)
    deep = write(tmp_path / "deep.json", "[" * 100_000 + "]" * 100_000)
    cases = {str(fifo): "is a FIFO (named pipe), not a facts file", "/dev/zero": "is a device, not a facts file",
             str(deep): "nests JSON deeper than 64 levels", str(tmp_path): "is a directory, not a facts file"}
    for path, words in cases.items():
        res = doctor(["check", "--facts", path], {}, timeout=30)
        assert res.returncode == 2 and res.stdout == "", (path, res.stderr)
        assert len(res.stderr.splitlines()) == 1 and words in res.stderr, res.stderr


def test_a_facts_file_over_the_size_cap_is_refused_without_reading_it_all(tmp_path):
    big = tmp_path / "big.json"
    with open(big, "wb") as fh:
        fh.truncate(65 * 1024 * 1024)  # sparse: 65 MiB of NULs on no disk space
    res = doctor(["check", "--facts", str(big)], {}, timeout=30)
    assert res.returncode == 2 and res.stderr.strip() == f"mlu-doctor: {big} is larger than 64 MiB: not a facts file"
