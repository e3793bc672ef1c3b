"""`fix` / `undo` never lose data and never write outside their targets: symlinked start-up files, files
that cannot be read (a directory, a FIFO), HOME or XDG_STATE_HOME a file, corrupt or tampered journals,
missing saved copies. The real CLI in a subprocess (a hang fails the test); every case checks the exit
code, a one-line stderr, and the state (type, mode, bytes, link target) of everything under the test's
folder before and after."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.kit.files import REPO


def doctor(args: list[str], env: dict[str, str], cwd: Path, timeout: float = 90) -> subprocess.CompletedProcess:
    base = {"PATH": os.environ["PATH"], "LANG": "C.UTF-8", "NO_COLOR": "1", "PYTHONPATH": str(REPO),
            "SHELL": "/bin/bash"}
    return subprocess.run([sys.executable, "-m", "mlu_doctor", *args], capture_output=True, text=True,
                          timeout=timeout, env={**base, **env}, cwd=cwd)


def state(root: Path, skip: tuple[str, ...] = ()) -> dict[str, tuple]:
    """Type, mode and content hash (or link target) of everything under `root`, minus `skip` (relative paths
    and everything below them)."""
    out: dict[str, tuple] = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            p = os.path.join(folder, name)
            rel = os.path.relpath(p, root)
            if any(rel == s or rel.startswith(s + "/") for s in skip):
                continue
            st = os.lstat(p)
            if stat.S_ISLNK(st.st_mode):
                out[rel] = ("link", os.readlink(p))
            elif stat.S_ISREG(st.st_mode):
                out[rel] = ("file", stat.S_IMODE(st.st_mode), hashlib.sha256(Path(p).read_bytes()).hexdigest())
            else:
                out[rel] = (stat.S_IFMT(st.st_mode), stat.S_IMODE(st.st_mode))
    return out


@pytest.fixture
def box(tmp_path):
    """tmp/home (HOME, with a plain .bashrc), tmp/work (the cwd), tmp/outside (files outside HOME)."""
    for d in ("home", "work", "outside"):
        (tmp_path / d).mkdir()
    (tmp_path / "outside/bashrc").write_bytes(b"# shared start-up file\n")
    return tmp_path


def env_of(box: Path, **extra: str) -> dict[str, str]:
    return {"HOME": str(box / "home"), **extra}


def one_line(stderr: str) -> str:
    lines = stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in stderr, stderr
    return lines[0]


def fix(box: Path, *args: str, **extra: str) -> subprocess.CompletedProcess:
    return doctor(["fix", "env.torch-home", *args], env_of(box, **extra), box / "work")


def test_a_symlinked_bashrc_inside_home_is_edited_at_its_target_and_undo_keeps_the_link(box):
    (box / "home/dotfiles").mkdir()
    (box / "home/dotfiles/bashrc").write_bytes(b"alias ll='ls -l'")
    os.symlink("dotfiles/bashrc", box / "home/.bashrc")
    before = state(box)
    plan = fix(box)
    assert f"{box}/home/.bashrc -> {box}/home/dotfiles/bashrc (symlink): the target is edited" in plan.stdout
    res = fix(box, "--yes")
    assert res.returncode == 0, res.stdout + res.stderr
    assert os.readlink(box / "home/.bashrc") == "dotfiles/bashrc"  # still the same link
    assert b"# >>> mlu-doctor >>>" in (box / "home/dotfiles/bashrc").read_bytes()
    targets = ("home/dotfiles/bashrc", "home/.config", "home/.cache", "home/.local")
    assert state(box, targets) == {k: v for k, v in before.items() if not k.startswith(targets)}
    undo = doctor(["undo"], env_of(box), box / "work")
    assert undo.returncode == 0, undo.stderr
    assert f"restored {box}/home/.bashrc -> {box}/home/dotfiles/bashrc (symlink kept)" in undo.stdout
    assert f"removed {box}/home/.cache" in undo.stdout
    assert state(box, ("home/.local",)) == before


@pytest.mark.parametrize("make, reason", [
    (lambda b: os.symlink(b / "outside/bashrc", b / "home/.bashrc"), "leads outside HOME"),
    (lambda b: os.symlink("missing", b / "home/.bashrc"), "leads to a missing file"),
    (lambda b: (b / "home/.bashrc").mkdir(), "is a directory"),
    (lambda b: os.mkfifo(b / "home/.bashrc"), "not a regular file"),
])
def test_an_rc_file_mlu_doctor_cannot_edit_safely_is_refused_and_nothing_changes(box, make, reason):
    make(box)
    before = state(box)
    res = fix(box, "--yes")
    assert res.returncode == 4, res.stdout + res.stderr
    assert reason in one_line(res.stderr)
    assert "refused: " in res.stdout and res.stdout.rstrip().splitlines()[-1].startswith("Next: ")
    assert state(box) == before


def test_home_a_file_is_refused_with_one_line(box):
    (box / "homefile").write_bytes(b"x")
    before = state(box)
    res = doctor(["fix", "env.torch-home", "--yes"], {"HOME": str(box / "homefile")}, box / "work")
    assert res.returncode == 4 and "homefile is a file, not a folder" in one_line(res.stderr), res.stdout
    assert state(box) == before


def test_xdg_state_home_a_file_stops_before_any_change(box):
    (box / "state").write_bytes(b"not a folder")
    before = state(box)
    res = fix(box, "--yes", XDG_STATE_HOME=str(box / "state"))
    assert res.returncode == 4, res.stdout + res.stderr
    assert "cannot keep a fix journal" in one_line(res.stderr) and "nothing was changed" in res.stderr
    assert state(box) == before


def applied(box: Path) -> tuple[Path, dict]:
    """Apply the torch-home fix; returns (journal dir, state of the box after it)."""
    (box / "home/.bashrc").write_bytes(b"alias ll='ls -l'\n")
    res = fix(box, "--yes")
    assert res.returncode == 0, res.stdout + res.stderr
    (jdir,) = (box / "home/.local/state/mlu-doctor/journal").iterdir()
    return jdir, state(box)


@pytest.mark.parametrize("damage, reason", [
    (lambda j: (j / "journal.json").write_bytes(b'{"entries": [ {"kind": "wr'), "not valid JSON"),
    (lambda j: (j / "journal.json").write_bytes(b'{"entries": []}\xff\xfe'), "not UTF-8"),
    (lambda j: (j / "journal.json").write_bytes(b'[1, 2]'), "no list of entries"),
])
def test_undo_of_a_corrupt_journal_is_one_line_and_changes_nothing(box, damage, reason):
    jdir, _after = applied(box)
    damage(jdir)
    after = state(box)
    res = doctor(["undo"], env_of(box), box / "work")
    assert res.returncode == 4 and reason in one_line(res.stderr) and "nothing was changed" in res.stderr
    assert state(box) == after
    listed = doctor(["undo", "--list"], env_of(box), box / "work")
    assert listed.returncode == 0 and reason in listed.stdout


@pytest.mark.parametrize("edit, reason", [
    (lambda d: d["entries"][-1].update(path="{outside}/bashrc"), "outside the targets the fix declared"),
    (lambda d: d.update(targets=d["targets"] + ["{outside}/bashrc"]) or d["entries"][-1].update(path="{outside}/x/../bashrc"),
     "not an absolute, normalised path"),
    (lambda d: d["entries"][-1].update(before="../../../../outside/bashrc"), "not a sha256 blob name"),
])
def test_undo_checks_every_path_from_the_journal_before_writing(box, edit, reason):
    jdir, _after = applied(box)
    doc = json.loads((jdir / "journal.json").read_text())
    edit(doc)
    (jdir / "journal.json").write_text(json.dumps(doc).replace("{outside}", str(box / "outside")))
    after = state(box)
    res = doctor(["undo"], env_of(box), box / "work")
    assert res.returncode == 4 and reason in one_line(res.stderr), res.stdout + res.stderr
    assert state(box) == after


def test_missing_saved_copies_stop_undo_unless_partial(box):
    jdir, _after = applied(box)
    doc = json.loads((jdir / "journal.json").read_text())
    rc = next(e for e in doc["entries"] if e["path"].endswith("/.bashrc"))
    (jdir / "blobs" / rc["before"]).unlink()
    after = state(box)
    res = doctor(["undo"], env_of(box), box / "work")
    assert res.returncode == 4 and "1 of 6 change(s) cannot be undone" in one_line(res.stderr), res.stdout
    assert f"cannot undo {box}/home/.bashrc: its saved copy" in res.stdout
    assert f"can undo {box}/home/.config/mlu-doctor/env.sh" in res.stdout
    assert state(box) == after
    part = doctor(["undo", "--partial"], env_of(box), box / "work")
    assert part.returncode == 3, part.stdout + part.stderr
    assert f"removed {box}/home/.config/mlu-doctor/env.sh" in part.stdout
    assert "only partly undone" in part.stderr.splitlines()[-1]
    assert b"# >>> mlu-doctor >>>" in (box / "home/.bashrc").read_bytes()  # left as the fix made it


def test_undo_skips_a_file_that_became_a_symlink_and_never_writes_through_it(box):
    _jdir, _after = applied(box)
    rc = box / "home/.bashrc"
    rc.unlink()
    os.symlink(box / "outside/bashrc", rc)
    before = state(box)
    res = doctor(["undo", "--force"], env_of(box), box / "work")
    assert res.returncode == 3 and "is a symbolic link; mlu-doctor does not write through it" in res.stderr
    assert state(box, ("home/.cache", "home/.config", "home/.local")) == {
        k: v for k, v in before.items() if not k.startswith(("home/.cache", "home/.config", "home/.local"))}
    assert (box / "outside/bashrc").read_bytes() == b"# shared start-up file\n"
