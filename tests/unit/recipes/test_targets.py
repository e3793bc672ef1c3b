"""Where a plan's writes land (recipes/targets.py), read through a System over a fixture tree: symlinks
resolved and shown, refusals (outside HOME, not a regular file, unreadable, too big, HOME a file) with reasons."""

from __future__ import annotations

import os

import pytest

from mlu_doctor.config import Config
from mlu_doctor.facts.model import EnvFacts, Facts
from mlu_doctor.recipes.base import ADVICE, PlanContext
from mlu_doctor.recipes.env_recipes import TorchHome
from mlu_doctor.recipes.targets import dir_target, file_target, resolve
from mlu_doctor.system.files import READ_LIMIT
from mlu_doctor.system.local import LocalSystem

HOME = "/home/u"


@pytest.fixture
def tree(tmp_path):
    (tmp_path / "home/u").mkdir(parents=True)
    return tmp_path


def fs(tree):
    return LocalSystem(str(tree))


def plan_for(tree, **env):
    environ = {"HOME": HOME, "SHELL": "/bin/bash", **env}
    ctx = PlanContext(environ=environ, system=LocalSystem(str(tree), environ=environ), cwd="/")
    return TorchHome().plan(Facts(env=EnvFacts()), Config(), ctx)


def test_resolve_follows_relative_and_absolute_links_and_stops_loops(tree):
    (tree / "home/u/dotfiles").mkdir()
    os.symlink("dotfiles/bashrc", tree / "home/u/.bashrc")
    os.symlink("/home/u/dotfiles", tree / "home/u/df")
    os.symlink("loop", tree / "home/u/loop")
    assert resolve(fs(tree), "/home/u/.bashrc") == "/home/u/dotfiles/bashrc"
    assert resolve(fs(tree), "/home/u/df/x/../y") == "/home/u/dotfiles/y"
    assert resolve(fs(tree), "/home/u/missing/file") == "/home/u/missing/file"
    assert resolve(fs(tree), "/home/u/loop") is None


def test_a_symlinked_rc_file_inside_home_is_edited_at_its_target(tree):
    (tree / "home/u/dotfiles").mkdir()
    (tree / "home/u/dotfiles/bashrc").write_bytes(b"alias x=y\n")
    os.symlink("dotfiles/bashrc", tree / "home/u/.bashrc")
    plan = plan_for(tree)
    rc = plan.steps[-1]
    assert rc.path == "/home/u/dotfiles/bashrc" and rc.link == "/home/u/.bashrc" and rc.before == b"alias x=y\n"
    assert plan.refused == ()


@pytest.mark.parametrize("make, reason", [
    (lambda t: os.symlink("/etc/bash.bashrc", t / "home/u/.bashrc"), "leads outside HOME"),
    (lambda t: os.symlink("gone", t / "home/u/.bashrc"), "leads to a missing file"),
    (lambda t: (t / "home/u/.bashrc").mkdir(), "is a directory"),
    (lambda t: os.mkfifo(t / "home/u/.bashrc"), "not a regular file"),
    (lambda t: (t / "home/u/.bashrc").write_bytes(b"#" * (READ_LIMIT + 1)), "larger than 1 MiB"),
])
def test_an_rc_file_that_cannot_be_edited_safely_is_refused_with_the_reason(tree, make, reason):
    (tree / "etc").mkdir()
    (tree / "etc/bash.bashrc").write_bytes(b"system\n")
    make(tree)
    plan = plan_for(tree)
    assert plan.actions == () and len(plan.refused) == 1 and reason in plan.refused[0], plan.refused
    assert [s.kind for s in plan.steps] == [ADVICE, ADVICE]  # mkdir -p, and the export line to add by hand
    assert plan.steps[-1].argv == ("export", "TORCH_HOME=/home/u/.cache/torch")


def test_home_a_file_refuses_to_create_anything_under_it(tree):
    (tree / "home/f").write_bytes(b"not a folder")
    plan = plan_for(tree, HOME="/home/f")
    assert plan.actions == () and "/home/f is a file, not a folder" in plan.refused[0], plan.refused


def test_file_target_of_a_symlink_into_home_through_a_linked_home(tree):
    """HOME itself a link (/home/u -> /data/u): its files are inside the real HOME."""
    (tree / "data/u").mkdir(parents=True)
    (tree / "data/u/.bashrc").write_bytes(b"x\n")
    os.symlink("/data/u", tree / "home/v")
    t = file_target(fs(tree), "/home/v/.bashrc", "/home/v")
    assert t.refused is None and t.real == "/data/u/.bashrc" and t.link == "/home/v/.bashrc" and t.before == b"x\n"


def test_dir_target_refuses_a_file_on_the_way(tree):
    (tree / "home/u/.cache").write_bytes(b"")
    real, why = dir_target(fs(tree), "/home/u/.cache/torch")
    assert real == "/home/u/.cache/torch" and "/home/u/.cache is a file, not a folder" in why
    assert dir_target(fs(tree), "/home/u/new/torch") == ("/home/u/new/torch", None)


class Unreadable(LocalSystem):
    """A System where ~/.bashrc exists but cannot be read (as root, permission bits cannot make that happen)."""

    def read_bytes(self, path, limit=READ_LIMIT):
        return None if path.endswith("/.bashrc") else super().read_bytes(path, limit)


def test_an_unreadable_rc_file_is_refused_never_replaced_by_what_could_be_read(tree):
    (tree / "home/u/.bashrc").write_bytes(b"secret\n")
    environ = {"HOME": HOME, "SHELL": "/bin/bash"}
    ctx = PlanContext(environ=environ, system=Unreadable(str(tree), environ=environ), cwd="/")
    plan = TorchHome().plan(Facts(env=EnvFacts()), Config(), ctx)
    assert plan.actions == () and "cannot be read" in plan.refused[0]
