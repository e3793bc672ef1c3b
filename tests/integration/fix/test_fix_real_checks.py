"""`mlu-doctor fix` with the real checks and probes: TORCH_HOME, LD_LIBRARY_PATH, PYTHONPATH; the re-check
sees the variables as a new shell gets them from the managed env file; exit 3 when a fix does not hold;
the confirmation prompt in a real pseudo-terminal; `check --fail-on warn` with a real warning."""

from __future__ import annotations

import json
import os
import select
import stat
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.kit import hosts, pyenvs
from tests.kit.home import env_for


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A fixture home with a ~/.bashrc (no final newline, mode 0600); the cwd is an empty work folder."""
    h = tmp_path / "home"
    h.mkdir()
    (h / ".bashrc").write_bytes(b"alias ll='ls -l'")
    (h / ".bashrc").chmod(0o600)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return h


def snapshot(root: Path) -> dict:
    out = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d != ".local"]  # the fix journal lives there
        for name in dirs + files:
            p = os.path.join(folder, name)
            out[p] = (stat.S_IMODE(os.lstat(p).st_mode), None if os.path.isdir(p) else Path(p).read_bytes())
    return out


def finding(cli, args, env) -> dict:
    res = cli(["check", "--format", "json", *args], env=env)
    return json.loads(res.stdout)["findings"][0]


def sourced(home: Path, var: str) -> str:
    """What a new shell gets for `var` from the managed env file."""
    env_sh = home / ".config/mlu-doctor/env.sh"
    return subprocess.run(["sh", "-c", f'. "$1"; printf %s "${var}"', "sh", env_sh], capture_output=True,
                          text=True, env={"PATH": os.environ["PATH"]}).stdout


def test_torch_home_unset_fix_recheck_apply_again_undo(cli, home):
    env = env_for(home)
    assert finding(cli, ["--only", "env.torch-home"], env)["status"] == "warn"
    before = snapshot(home)
    res = cli(["fix", "env.torch-home", "--yes"], env=env)
    assert res.exit_code == 0, res.stdout + res.stderr
    assert f"re-check env.torch-home: ok TORCH_HOME={home}/.cache/torch" in res.stdout
    assert "as a new shell will have them; open a new shell or run: . " in res.stdout
    assert sourced(home, "TORCH_HOME") == f"{home}/.cache/torch" and (home / ".cache/torch").is_dir()
    # this process was not changed: the same check still warns here, and passes with what env.sh exports
    assert finding(cli, ["--only", "env.torch-home"], env)["status"] == "warn"
    assert finding(cli, ["--only", "env.torch-home"], {**env, "TORCH_HOME": sourced(home, "TORCH_HOME")})["status"] == "ok"
    after = snapshot(home)
    again = cli(["fix", "env.torch-home", "--yes"], env=env)
    assert again.exit_code == 0 and "nothing to do: already in place" in again.stdout
    assert snapshot(home) == after
    assert cli(["undo"], env=env).exit_code == 0
    assert snapshot(home) == before  # byte-identical .bashrc, same mode, created files and folders gone


def test_ld_path_plan_on_a_fixture_host(cli, home, tmp_path):
    host = hosts.mlu220_m2_host(tmp_path)
    env = env_for(home, PATH=host.env["PATH"], NEUWARE_HOME=host.env["NEUWARE_HOME"])
    f = finding(cli, ["--root", host.root, "--only", "toolkit.neuware"], env)
    assert f["status"] == "warn" and f["recipe"] == "toolkit.ld-path" and "not on LD_LIBRARY_PATH" in f["summary"]
    res = cli(["fix", "toolkit.neuware", "--root", host.root], env=env)
    assert res.exit_code == 0 and "exit 0: dry run: nothing was changed" in res.stdout
    assert 'export LD_LIBRARY_PATH="${LD_LIBRARY_PATH:+$LD_LIBRARY_PATH:}/usr/local/neuware/lib64"' in res.stdout
    assert not (home / ".config").exists()


def test_ld_path_fix_makes_the_neuware_check_pass(cli, home, tmp_path):
    nw = hosts.add_neuware(tmp_path, home="/neuware", version="1.7.602", libs=hosts.CNML_LIBS)
    env = env_for(home, NEUWARE_HOME=str(nw))
    assert finding(cli, ["--only", "toolkit.neuware"], env)["status"] == "warn"
    res = cli(["fix", "toolkit.neuware", "--yes"], env=env)
    assert res.exit_code == 0, res.stdout + res.stderr
    assert "re-check toolkit.neuware: ok Neuware 1.7.602" in res.stdout
    assert sourced(home, "LD_LIBRARY_PATH") == f"{nw}/lib64"
    assert cli(["fix", "toolkit.ld-path", "--yes"], env=env).stdout.count("nothing to do") == 1


def test_two_recipes_editing_the_env_file_in_one_run_both_apply_and_undo_together(cli, home, tmp_path):
    # toolkit.ld-path and env.torch-home both write ~/.config/mlu-doctor/env.sh and the source block: the second
    # plan starts from what the first writes (it was refused, "changed since the plan was made", exit 3)
    nw = hosts.add_neuware(tmp_path, home="/neuware", version="1.7.602", libs=hosts.CNML_LIBS)
    env = env_for(home, NEUWARE_HOME=str(nw))
    before = snapshot(home)
    check = cli(["check", "--only", "toolkit.neuware,env.torch-home"], env=env)
    assert "Next: 2 findings have recipes: run `mlu-doctor fix toolkit.ld-path env.torch-home`" in check.stdout
    # that command plans both (a recipe id whose check gets its recipe from its finding was dropped)
    plan = cli(["fix", "toolkit.ld-path", "env.torch-home", "--dry-run"], env=env)
    assert "toolkit.ld-path  Make the Neuware" in plan.stdout and "env.torch-home  Set TORCH_HOME" in plan.stdout
    assert plan.exit_code == 0 and plan.stdout.count(f"~ create {home}/.config/mlu-doctor/env.sh") == 1
    assert plan.stdout.count(f"~ write {home}/.config/mlu-doctor/env.sh: ") == 1  # the other plan edits it
    res = cli(["fix", "toolkit.neuware", "env.torch-home", "--yes"], env=env)
    assert res.exit_code == 0, res.stdout + res.stderr
    assert "toolkit.ld-path: applied" in res.stdout and "env.torch-home: applied" in res.stdout
    assert sourced(home, "LD_LIBRARY_PATH") == f"{nw}/lib64" and sourced(home, "TORCH_HOME") == f"{home}/.cache/torch"
    assert (home / ".bashrc").read_bytes().count(b">>> mlu-doctor >>>") == 1
    assert cli(["undo"], env=env).exit_code == 0
    assert snapshot(home) == before


def make_venv(path: Path) -> Path:
    """A real virtual environment (no pip: fast); returns its python."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(path)], check=True, timeout=120)
    return path / "bin/python"


GEN_WTS = "import sys\nfrom utils.google_utils import *\nprint('imported', sys.modules['utils'].__file__)\n"


def test_pythonpath_project_scripts_run_by_path_from_another_folder_are_fine(cli, home, tmp_path):
    """`python ../yolov5/train.py` from another folder works (the script's folder is sys.path[0]): no failure."""
    top = pyenvs.yolov5_tree(tmp_path / "yolov5")
    res = subprocess.run([sys.executable, str(top / "train.py")], capture_output=True, text=True, cwd=Path.cwd())
    assert res.returncode == 0, res.stderr  # what Python really does
    f = finding(cli, ["--only", "env.pythonpath", "--project", top], env_for(home))
    assert f["status"] == "ok" and "for its scripts, run from any folder" in f["summary"]


def test_pythonpath_fix_is_a_pth_file_in_the_venv_and_the_script_then_runs(cli, home, tmp_path):
    top = pyenvs.yolov5_tree(tmp_path / "yolov5")
    python = make_venv(tmp_path / "venv")
    (Path.cwd() / "gen_wts.py").write_text(GEN_WTS)
    env = env_for(home)
    args = ["--project", top, "--python", python]
    assert subprocess.run([python, "gen_wts.py"], capture_output=True).returncode == 1  # ModuleNotFoundError
    f = finding(cli, ["--only", "env.pythonpath", *args], env)
    assert f["status"] == "fail" and "gen_wts.py (outside the project)" in f["summary"], f
    assert "No module named 'utils'" in f["summary"] and ".pth" in f["remedy"]
    home_before, venv_before = snapshot(home), snapshot(tmp_path / "venv")
    res = cli(["fix", "env.pythonpath", *args, "--yes"], env=env)
    assert res.exit_code == 0, res.stdout + res.stderr
    assert "re-check env.pythonpath: ok" in res.stdout and f"Scoped to {tmp_path}/venv" in res.stdout
    assert snapshot(home) == home_before  # no start-up file, no PYTHONPATH for every project
    (pth,) = [p for p in (tmp_path / "venv").rglob("mlu-doctor-*.pth")]
    assert pth.read_text() == f"{top}\n"
    ran = subprocess.run([python, "gen_wts.py"], capture_output=True, text=True)
    assert ran.returncode == 0 and f"imported {top}/utils/__init__.py" in ran.stdout, ran.stderr
    assert cli(["undo"], env=env).exit_code == 0
    assert snapshot(tmp_path / "venv") == venv_before


def test_a_fix_the_recheck_proves_wrong_exits_3(cli, home, tmp_path):
    """utils.py next to the script comes before anything a .pth adds: the recipe says so, the re-check agrees."""
    top = pyenvs.yolov5_tree(tmp_path / "yolov5")
    python = make_venv(tmp_path / "venv")
    (Path.cwd() / "utils.py").write_text("")
    (Path.cwd() / "gen_wts.py").write_text(GEN_WTS)
    env = env_for(home)
    args = ["env.pythonpath", "--project", top, "--python", python]
    plan = cli(["fix", *args], env=env)
    assert "this change cannot override it" in plan.stdout
    res = cli(["fix", *args, "--yes"], env=env)
    assert res.exit_code == 3, res.stdout + res.stderr
    assert "re-check env.pythonpath: fail when" in res.stdout and "resolves to" in res.stdout
    assert res.stdout.rstrip().splitlines()[-1].startswith("Next: Rename or remove")
    assert res.stderr.count("\n") == 1 and "still reports fail" in res.stderr


def run_in_pty(args: list[str], env: dict, answer: bytes, cwd: Path) -> tuple[int, str]:
    """Run mlu-doctor with a pseudo-terminal as stdin/stdout/stderr; answer the prompt; return (code, output)."""
    master, slave = os.openpty()
    full = {k: v for k, v in {**os.environ, **env, "NO_COLOR": "1", "LANG": "C.UTF-8"}.items() if v is not None}
    proc = subprocess.Popen([sys.executable, "-m", "mlu_doctor", *args], stdin=slave, stdout=slave, stderr=slave,
                            env=full, cwd=cwd, start_new_session=True)
    os.close(slave)
    out, answered, deadline = b"", False, time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            out += chunk
        if not answered and b"Apply these changes? [y/N]" in out:
            os.write(master, answer + b"\n")
            answered = True
        if proc.poll() is not None and not ready:
            break
    os.close(master)
    return proc.wait(timeout=30), out.decode("utf-8", "replace")


def test_the_prompt_in_a_real_terminal_defaults_to_no(home):
    env = env_for(home)
    before = snapshot(home)
    code, out = run_in_pty(["fix", "env.torch-home"], env, b"n", Path.cwd())
    assert "Apply these changes? [y/N]" in out and "you declined; nothing was changed" in out, out
    assert code == 1 and snapshot(home) == before
    code, out = run_in_pty(["fix", "env.torch-home"], env, b"", Path.cwd())  # Enter takes the default: no
    assert code == 1 and snapshot(home) == before
    code, out = run_in_pty(["fix", "env.torch-home"], env, b"y", Path.cwd())
    assert code == 0 and "env.torch-home: applied" in out and "re-check env.torch-home: ok" in out, out
    assert sourced(home, "TORCH_HOME") == f"{home}/.cache/torch"


def test_fail_on_warn_with_a_real_warning_and_the_renderers_agree(cli, home, tmp_path):
    env = env_for(home)
    args = ["check", "--only", "env.torch-home"]
    assert cli(args, env=env).exit_code == 0
    assert cli([*args, "--fail-on", "warn"], env=env).exit_code == 1
    assert cli([*args, "--strict"], env=env).exit_code == 1
    assert cli([*args, "--fail-on", "fail"], env=env).exit_code == 0
    for threshold, code, kind, failures in ((None, 0, "warning", "0"), ("warn", 1, "error", "1")):
        extra = ["--fail-on", threshold] if threshold else []
        gh = cli([*args, "--format", "github", *extra], env=env)
        assert gh.exit_code == code and gh.stdout.startswith(f"::{kind} title=env.torch-home")
        junit = cli([*args, "--format", "junit", *extra], env=env)
        assert junit.exit_code == code
        suite = ET.fromstring(junit.stdout).find(".//testsuite")
        assert suite.get("failures") == failures and suite.get("tests") == "1"


def test_a_successful_fix_exits_0_and_says_what_remains_without_a_recipe(cli, home):
    """The exit code of fix is about the recipes it ran; an unrelated failure is listed, not counted."""
    env = env_for(home, MLU_VISIBLE_DEVICES="")
    res = cli(["fix", "--yes"], env=env)
    assert res.exit_code == 0, res.stdout + res.stderr
    assert "env.torch-home: applied" in res.stdout and "re-check env.torch-home: ok" in res.stdout
    assert "no recipe for env.visible-devices (fail)" in res.stdout
    tail = res.stdout.rstrip().splitlines()
    assert tail[-2] == "exit 0: every fix applied and the checks it claims to fix pass"
    remedies = [line.split("): ", 1)[1] for line in tail if line.startswith("  no recipe for ")]
    assert tail[-1].startswith("Next: ") and tail[-1][len("Next: "):] == remedies[0]
    asked = cli(["fix", "env.visible-devices"], env=env)  # asked for by id: it counts
    assert asked.exit_code == 1 and "steps remain for you: env.visible-devices" in asked.stdout
