"""undo at the file level: what it did with each journaled change (a stable action and reason, in the
journal's order), the human lists derived from it (newest first, as before), and the verdict (outcome, exit
code, why, next) that `undo --format json` carries."""

from __future__ import annotations

import os
import time
from datetime import datetime
from pathlib import Path

import pytest

from mlu_doctor.recipes.apply import make_dirs, write_file
from mlu_doctor.recipes.base import MKDIR, WRITE, Step
from mlu_doctor.recipes.journal import Journal, iso_time
from mlu_doctor.recipes.undo import (
    CHANGED,
    FOLDER_GONE,
    MISSING_COPY,
    NOT_EMPTY,
    PENDING,
    REFUSED,
    REMOVED,
    RESTORED,
    SKIPPED,
    UNCHANGED,
    already_undone,
    judge,
    missing_blobs,
    nothing_left,
    refusal,
    refused,
    undo,
)


@pytest.fixture
def journal(tmp_path):
    return Journal.open_new({"XDG_STATE_HOME": str(tmp_path / "state")})


def fixed(tmp_path, journal):
    """A fix that created folder d/, wrote d/new (created) and edited old (existed): 3 journal entries."""
    (tmp_path / "old").write_bytes(b"before\n")
    steps = [Step(MKDIR, "d", path=str(tmp_path / "d")),
             Step(WRITE, "w", path=str(tmp_path / "d/new"), before=None, after=b"new\n"),
             Step(WRITE, "w", path=str(tmp_path / "old"), before=b"before\n", after=b"after\n")]
    journal.declare([s.path for s in steps if s.path])
    make_dirs(steps[0], journal, "r.one")
    write_file(steps[1], journal, "r.one")
    write_file(steps[2], journal, "r.two")
    return journal.load()


def actions(result):
    return [(os.path.basename(c.entry.path), c.action, c.reason) for c in result.changes]


def test_every_change_is_reported_in_the_journals_order_and_the_human_lists_newest_first(tmp_path, journal):
    entries = fixed(tmp_path, journal)
    result = undo(journal, entries)
    assert actions(result) == [("d", REMOVED, ""), ("new", REMOVED, ""), ("old", RESTORED, "")]
    assert result.removed == (str(tmp_path / "d/new"), str(tmp_path / "d"))  # undo ran newest first
    assert result.restored == (str(tmp_path / "old"),) and result.ok and journal.undone
    assert (tmp_path / "old").read_bytes() == b"before\n" and not (tmp_path / "d").exists()
    verdict = judge(result)
    assert (verdict.outcome, verdict.code, verdict.next) == ("undone", 0, "")
    assert verdict.why == f"journal {journal.id} undone: 1 restored, 2 removed, 0 already as before the fix"
    again = undo(journal, entries)
    assert {c.action for c in again.changes} == {UNCHANGED} and again.unchanged[0] == str(tmp_path / "old")


def test_a_changed_file_is_skipped_unless_forced_and_the_verdict_says_force(tmp_path, journal):
    entries = fixed(tmp_path, journal)
    (tmp_path / "old").write_bytes(b"edited\n")
    result = undo(journal, entries)
    assert actions(result)[2] == ("old", SKIPPED, CHANGED) and not result.ok and not journal.undone
    assert result.skipped == (f"{tmp_path}/old: changed since the fix (use --force to restore anyway)",)
    verdict = judge(result)
    assert (verdict.outcome, verdict.code) == ("partial", 3)
    assert f"`mlu-doctor undo {journal.id} --force`" in verdict.next
    forced = undo(journal, entries, force=True)
    assert actions(forced)[2] == ("old", RESTORED, "") and (tmp_path / "old").read_bytes() == b"before\n"


def test_skipped_changes_name_a_stable_reason(tmp_path, journal):
    entries = fixed(tmp_path, journal)
    (tmp_path / "d/added").write_bytes(b"mine\n")  # the folder the fix created holds something else now
    os.replace(tmp_path / "old", tmp_path / "real")
    os.symlink(tmp_path / "real", tmp_path / "old")  # the file became a symlink: never written through
    result = undo(journal, entries, force=True)
    assert actions(result) == [("d", SKIPPED, NOT_EMPTY), ("new", REMOVED, ""), ("old", SKIPPED, REFUSED)]
    assert judge(result).next == f"Next: deal with what each skipped change names, then run `mlu-doctor undo {journal.id}` again."


def test_a_folder_gone_since_the_fix_is_skipped(tmp_path, journal):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub/f").write_bytes(b"a\n")
    step = Step(WRITE, "w", path=str(tmp_path / "sub/f"), before=b"a\n", after=b"b\n")
    journal.declare([step.path])
    write_file(step, journal, "r")
    (tmp_path / "sub/f").unlink()
    (tmp_path / "sub").rmdir()
    result = undo(journal, journal.load(), force=True)
    assert actions(result) == [("f", SKIPPED, FOLDER_GONE)] and "is gone" in result.changes[0].detail


def test_missing_saved_copies_refuse_or_skip_with_partial(tmp_path, journal):
    entries = fixed(tmp_path, journal)
    (Path(journal.dir) / "blobs" / entries[2].before).unlink()
    missing = missing_blobs(journal, entries)
    assert list(missing) == [2]
    plan = refusal(journal, entries, missing)
    assert [c.action for c in plan.changes] == [PENDING, PENDING, SKIPPED] and not plan.ok
    assert plan.changes[2].reason == MISSING_COPY and (tmp_path / "d/new").exists()  # nothing changed
    verdict = refused(journal.id, len(missing), len(entries))
    assert (verdict.outcome, verdict.code) == ("refused", 4) and "1 of 3 change(s) cannot be undone" in verdict.why
    result = undo(journal, entries, skip=missing)
    assert actions(result) == [("d", REMOVED, ""), ("new", REMOVED, ""), ("old", SKIPPED, MISSING_COPY)]
    assert result.skipped[0].startswith(f"{tmp_path}/old: its saved copy (blobs/")
    assert "from a backup" in judge(result).next
    assert journal.undone  # done as far as it can be: a plain undo goes on with the fix before it


def test_nothing_left_and_already_undone_exit_0():
    assert (nothing_left(2, "/s").outcome, nothing_left(2, "/s").code) == ("nothing", 0)
    assert "2 fix journal(s) under /s" in nothing_left(2, "/s").why
    assert already_undone("j1").outcome == "already-undone" and already_undone("j1").why == "journal j1 is already undone"


def test_the_journal_says_when_it_was_made_and_undone(tmp_path, journal):
    entries = fixed(tmp_path, journal)
    assert journal.created(entries) == min(e.time for e in entries)
    assert journal.created([]) == pytest.approx(journal.created(entries), abs=2)  # from the id's time
    assert Journal(str(tmp_path), "not-a-time").created([]) is None
    assert journal.undone_at() is None
    journal.mark_undone()
    stamp = datetime.fromisoformat(journal.undone_at() or "")
    assert stamp.tzinfo is not None and abs(stamp.timestamp() - time.time()) < 60
    assert datetime.fromisoformat(iso_time(1767268800.7)).timestamp() == 1767268800  # to the second
    (Path(journal.dir) / "undone").write_text("2025-11-30T10:00:00\n")  # older mlu-doctors: no offset
    assert journal.undone_at() == "2025-11-30T10:00:00"
    (Path(journal.dir) / "undone").write_text("\x00garbage")
    assert journal.undone and journal.undone_at() is None


def test_every_action_reason_and_outcome_is_documented_in_the_readme():
    from typing import get_args

    from mlu_doctor.recipes.undo import SkipReason, UndoAction, UndoOutcome
    from tests.kit.files import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    words = [w for t in (UndoAction, SkipReason, UndoOutcome) for w in get_args(t) if w]
    assert [w for w in words if f"`{w}`" not in readme] == []
