"""The fix workflow as a user meets it (issue 19): every human output that finds a problem ends with what to
do next and says why the exit code is what it is; the diff is coloured on a terminal; unknown acknowledge
ids are named; undo's messages and its "everything is already undone"."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.kit.home import UNSET, env_for
from tests.kit.terminal import run_in_pty

pytestmark = pytest.mark.fast  # in-process CLI and one short pty run


@pytest.fixture
def home(tmp_path, monkeypatch):
    h = tmp_path / "home"
    h.mkdir()
    (h / ".bashrc").write_bytes(b"alias ll='ls -l'")
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    return h


def last(stdout: str) -> str:
    return stdout.rstrip().splitlines()[-1]


def test_every_human_output_that_finds_a_problem_ends_with_the_next_step(cli, home):
    env = env_for(home)
    plan = cli(["fix", "env.torch-home"], env=env)
    assert plan.exit_code == 0 and last(plan.stdout) == "Next: run again with --yes to apply."
    assert "exit 0: only the plan was shown (no terminal to ask)" in plan.stdout
    dry = cli(["fix", "env.torch-home", "--dry-run"], env=env)
    assert last(dry.stdout) == "Next: run again without --dry-run, with --yes, to apply."
    assert "\\ No newline at end of file" in dry.stdout  # the .bashrc has no final newline
    done = cli(["fix", "env.torch-home", "--yes"], env=env)
    assert done.exit_code == 0 and last(done.stdout).startswith("Next: open a new shell (or run: . ")
    again = cli(["fix", "env.torch-home", "--yes"], env=env)  # this shell still lacks TORCH_HOME
    assert again.exit_code == 0 and "nothing to do: already in place" in again.stdout
    assert last(again.stdout).startswith("Next: open a new shell")


def test_unknown_acknowledge_ids_are_named_on_stderr(cli, home, tmp_path):
    cfg = tmp_path / "cfg.yaml"
    cfg.write_text("acknowledge:\n  - id: device.presnt\n    reason: typo\n  - id: env.torch-home\n    reason: known\n")
    for args in (["check", "--only", "env.torch-home"], ["fix", "env.torch-home", "--dry-run"]):
        res = cli([*args, "--config", cfg], env=env_for(home))
        assert "acknowledge names unknown check id(s): device.presnt;" in res.stderr, res.stderr
        assert "env.torch-home" not in res.stderr.split("unknown check id(s):")[1]
    cfg.write_text("acknowledge:\n  - id: env.torch-home\n    reason: known\n")
    assert "acknowledge" not in cli(["check", "--only", "env.torch-home", "--config", cfg], env=env_for(home)).stderr


def test_undo_says_removed_for_created_folders_and_everything_already_undone(cli, home):
    env = env_for(home)
    assert cli(["undo"], env=env).exit_code == 2  # no journal at all: nothing to undo
    assert cli(["fix", "env.torch-home", "--yes"], env=env).exit_code == 0
    res = cli(["undo"], env=env)
    assert res.exit_code == 0 and f"removed {home}/.cache/torch" in res.stdout and f"restored {home}/.bashrc" in res.stdout
    assert f"restored {home}/.cache" not in res.stdout
    again = cli(["undo"], env=env)
    assert again.exit_code == 0 and "everything is already undone (1 fix journal(s)" in again.stdout
    jid = cli(["undo", "--list"], env=env).stdout.split()[0]
    same = cli(["undo", jid], env=env)
    assert same.exit_code == 0 and f"journal {jid} is already undone" in same.stdout


def test_the_diff_is_coloured_on_a_terminal_and_plain_with_no_color(home):
    env = {**env_for(home), **{k: None for k in UNSET}}
    code, out = run_in_pty(["fix", "env.torch-home", "--dry-run"], env, Path.cwd())
    assert code == 0 and "\x1b[32m" in out and "+export TORCH_HOME=" in out, out  # added lines in green
    code, out = run_in_pty(["fix", "env.torch-home", "--dry-run"], {**env, "NO_COLOR": "1"}, Path.cwd())
    assert code == 0 and "\x1b[" not in out and "+export TORCH_HOME=" in out, out
