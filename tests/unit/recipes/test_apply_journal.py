"""apply and the journal at the file level: writes only to declared targets, never through a symlink, and
refused when the file or its link changed since the plan; journal entries checked on load."""

from __future__ import annotations

import json
import os

import pytest

from mlu_doctor.recipes.apply import Gateways, StepFailed, apply_steps, make_dirs, write_file
from mlu_doctor.recipes.base import MKDIR, WRITE, Step
from mlu_doctor.recipes.journal import Journal, JournalCorrupt, parse_journal, sha
from mlu_doctor.recipes.safefs import Refused, folder, read_at


@pytest.fixture
def journal(tmp_path):
    j = Journal.open_new({"XDG_STATE_HOME": str(tmp_path / "state")})
    return j


def test_write_through_a_link_lands_on_the_target_and_keeps_the_link(tmp_path, journal):
    (tmp_path / "dot").write_bytes(b"a\n")
    os.symlink("dot", tmp_path / "rc")
    step = Step(WRITE, "w", path=str(tmp_path / "dot"), link=str(tmp_path / "rc"), before=b"a\n", after=b"b\n")
    journal.declare([step.path])
    write_file(step, journal, "r")
    assert os.readlink(tmp_path / "rc") == "dot" and (tmp_path / "dot").read_bytes() == b"b\n"
    (entry,) = journal.load()
    assert entry.link == str(tmp_path / "rc") and entry.before == sha(b"a\n")


def test_a_link_repointed_since_the_plan_is_refused(tmp_path, journal):
    (tmp_path / "dot").write_bytes(b"a\n")
    (tmp_path / "other").write_bytes(b"a\n")
    os.symlink("other", tmp_path / "rc")
    step = Step(WRITE, "w", path=str(tmp_path / "dot"), link=str(tmp_path / "rc"), before=b"a\n", after=b"b\n")
    journal.declare([step.path])
    with pytest.raises(StepFailed, match="no longer leads to"):
        write_file(step, journal, "r")
    assert (tmp_path / "dot").read_bytes() == b"a\n" and journal.load() == []


def test_a_symlink_where_the_plan_saw_a_file_or_folder_is_never_followed(tmp_path, journal):
    (tmp_path / "victim").mkdir()
    os.symlink(tmp_path / "victim", tmp_path / "home")  # a folder on the way became a link
    step = Step(WRITE, "w", path=str(tmp_path / "home/f"), before=None, after=b"x")
    journal.declare([step.path])
    result = apply_steps("r", [step], Gateways(journal))
    assert not result.ok and "is a symbolic link" in (result.error or "")
    assert list((tmp_path / "victim").iterdir()) == []
    (tmp_path / "real").write_bytes(b"x")
    os.symlink(tmp_path / "real", tmp_path / "f")  # the file itself became a link
    with pytest.raises(Refused), folder(str(tmp_path)) as fd:
        read_at(fd, "f", str(tmp_path / "f"))


def test_the_journal_refuses_changes_outside_the_declared_targets(tmp_path, journal):
    journal.declare([str(tmp_path / "a/b/file")])
    make_dirs(Step(MKDIR, "d", path=str(tmp_path / "a/b")), journal, "r")  # folders above a target: fine
    with pytest.raises(Refused, match="outside the targets"):
        journal.record("write", str(tmp_path / "elsewhere"), "r", after=b"x")
    with pytest.raises(Refused, match="normalised"):
        journal.record("write", str(tmp_path / "a/b/../b/file"), "r", after=b"x")
    assert [e.kind for e in journal.load()] == ["mkdir", "mkdir"]


def test_a_changed_file_is_refused(tmp_path, journal):
    (tmp_path / "f").write_bytes(b"edited\n")
    step = Step(WRITE, "w", path=str(tmp_path / "f"), before=b"planned\n", after=b"new\n")
    journal.declare([step.path])
    with pytest.raises(StepFailed, match="changed since the plan"):
        write_file(step, journal, "r")


def test_parse_journal_checks_every_entry_and_reads_format_1():
    old = {"id": "x", "entries": [{"kind": "write", "path": "/h/.bashrc", "before": None, "after": "a" * 64}]}
    targets, entries = parse_journal(json.dumps(old).encode())
    assert targets is None and entries[0].path == "/h/.bashrc"  # format 1: no declared targets
    for bad in ({"kind": "rm", "path": "/x"}, {"kind": "write", "path": "rel"}, {"kind": "write", "path": "/x\0y"},
                {"kind": "write", "path": "/x", "mode_before": "0644"}, {"kind": "mkdir", "path": "/x/./y"}):
        with pytest.raises(ValueError):
            parse_journal(json.dumps({"entries": [bad]}).encode())


def test_a_journal_file_that_is_a_fifo_reads_as_corrupt_without_blocking(tmp_path):
    j = Journal(str(tmp_path), "j")
    (tmp_path / "j").mkdir()
    os.mkfifo(tmp_path / "j/journal.json")
    with pytest.raises(JournalCorrupt, match="not a regular file"):
        j.load()


def test_a_journal_without_changes_is_discarded(tmp_path, journal):
    journal.declare([str(tmp_path / "f")])
    assert journal.discard_if_empty() and not os.path.exists(journal.dir)
    kept = Journal.open_new({"XDG_STATE_HOME": str(tmp_path / "state2")})
    kept.declare([str(tmp_path / "d")])
    make_dirs(Step(MKDIR, "d", path=str(tmp_path / "d")), kept, "r")
    assert not kept.discard_if_empty() and os.path.isdir(kept.dir)
