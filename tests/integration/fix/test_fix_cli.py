"""`mlu-doctor fix` / `undo` end to end in a fixture home: apply, apply again, undo, exit codes."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from mlu_doctor.checks import CheckSpec
from mlu_doctor.findings import fail, ok
from mlu_doctor.recipes import all_recipes
from mlu_doctor.recipes.base import WRITE, Plan, Recipe, Step


def torch_home_check(facts, config):
    """Stand-in for the env.torch-home check: set, and the directory exists."""
    if facts.env.vars.get("TORCH_HOME") and facts.env.torch_home_exists:
        return ok("TORCH_HOME is set")
    return fail("TORCH_HOME is unset or missing")


class Stubborn(Recipe):
    """Writes a file but its check keeps failing."""

    id = "test.stubborn"
    fixes = ("test.stubborn",)

    def plan(self, facts, config, ctx):
        path = os.path.join(ctx.home, "stubborn.txt")
        before = ctx.read(path)
        steps = () if before == b"x\n" else (Step(WRITE, "write it", path=path, before=before, after=b"x\n"),)
        return Plan(self.id, "stubborn", steps)


CHECKS = [
    CheckSpec("env.torch-home", "TORCH_HOME", ("env",), torch_home_check, recipe="env.torch-home"),
    CheckSpec("test.stubborn", "never fixed", ("env",), lambda f, c: fail("still broken"), recipe="test.stubborn"),
]


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setattr("mlu_doctor.diagnose.all_checks", lambda plugins=True: (list(CHECKS), []))
    monkeypatch.setattr("mlu_doctor.recipes.session.all_checks", lambda plugins=True: (list(CHECKS), []))
    recipes, _ = all_recipes(plugins=False)
    recipes["test.stubborn"] = Stubborn()
    monkeypatch.setattr("mlu_doctor.recipes.session.all_recipes", lambda: (recipes, []))
    h = tmp_path / "home"
    h.mkdir()
    (h / ".bashrc").write_bytes(b"alias ll='ls -l'")  # no final newline
    (h / ".bashrc").chmod(0o600)
    monkeypatch.chdir(tmp_path)
    return h


def env(home):
    return {"HOME": str(home), "SHELL": "/bin/bash", "TORCH_HOME": None, "XDG_CONFIG_HOME": None,
            "XDG_STATE_HOME": None, "XDG_CACHE_HOME": None, "MLU_DOCTOR_CONFIG": None}


def snapshot(root):
    out = {}
    for folder, dirs, files in os.walk(root):
        if ".local" in folder.split(os.sep):
            continue
        for name in [n for n in dirs + files if n != ".local"]:
            p = os.path.join(folder, name)
            st = os.lstat(p)
            out[p] = (stat.S_IMODE(st.st_mode), None if os.path.isdir(p) else Path(p).read_bytes())
    return out


def test_apply_apply_again_undo_is_byte_identical(cli, home):
    before = snapshot(home)
    res = cli(["fix", "env.torch-home", "--yes"], env=env(home))
    assert res.exit_code == 0, res.stdout + res.stderr
    assert "re-check env.torch-home: ok" in res.stdout
    assert (home / ".cache/torch").is_dir()
    assert 'TORCH_HOME="' in (home / ".config/mlu-doctor/env.sh").read_text()
    rc = (home / ".bashrc").read_bytes()
    assert rc.startswith(b"alias ll='ls -l'\n") and b". " in rc
    after = snapshot(home)
    again = cli(["fix", "env.torch-home", "--yes"], env=env(home))
    assert again.exit_code == 0 and "nothing to do" in again.stdout
    assert snapshot(home) == after
    undo = cli(["undo"], env=env(home))
    assert undo.exit_code == 0, undo.stderr
    assert snapshot(home) == before
    done = cli(["undo"], env=env(home))
    assert done.exit_code == 0 and "everything is already undone" in done.stdout


def test_without_a_terminal_and_without_yes_only_the_plan_is_shown(cli, home):
    before = snapshot(home)
    res = cli(["fix", "env.torch-home"], env=env(home))
    assert res.exit_code == 0 and "--yes" in res.stdout and ".bashrc" in res.stdout
    dry = cli(["fix", "env.torch-home", "--dry-run", "--yes"], env=env(home))
    assert dry.exit_code == 0 and "dry run: nothing was changed" in dry.stdout
    assert snapshot(home) == before


def test_a_fix_whose_checks_still_fail_exits_3(cli, home):
    res = cli(["fix", "test.stubborn", "--yes"], env=env(home))
    assert res.exit_code == 3
    assert "re-check test.stubborn: fail still broken" in res.stdout
    assert (home / "stubborn.txt").read_bytes() == b"x\n"


def test_without_ids_every_failing_finding_with_a_recipe_is_planned_json(cli, home):
    res = cli(["fix", "--format", "json"], env=env(home))
    doc = json.loads(res.stdout)
    assert doc["mode"] == "plan" and doc["schema_version"] == 1
    assert {r["recipe"] for r in doc["recipes"]} == {"env.torch-home", "test.stubborn"}
    torch = next(r for r in doc["recipes"] if r["recipe"] == "env.torch-home")
    assert torch["fixes"] == ["env.torch-home"]
    assert [s["kind"] for s in torch["steps"]] == ["mkdir", "write", "write"]
    assert torch["steps"][1]["creates"] is True and "+export TORCH_HOME" in torch["steps"][1]["diff"]


def test_check_id_selects_its_recipe_and_unknown_ids_are_usage_errors(cli, home):
    res = cli(["fix", "env.torch-home", "--format", "json"], env=env(home))
    assert [r["recipe"] for r in json.loads(res.stdout)["recipes"]] == ["env.torch-home"]
    bad = cli(["fix", "no.such-thing"], env=env(home))
    assert bad.exit_code == 2 and "no.such-thing" in bad.stderr


def test_undo_skips_a_file_edited_after_the_fix(cli, home):
    assert cli(["fix", "env.torch-home", "--yes"], env=env(home)).exit_code == 0
    (home / ".bashrc").write_text("edited by hand\n")
    res = cli(["undo"], env=env(home))
    assert res.exit_code == 3 and "changed since the fix" in res.stderr
    assert (home / ".bashrc").read_text() == "edited by hand\n"
