"""Journal ids: two fixes within one second never share a journal folder, and ids keep their order."""

from __future__ import annotations

import os

from mlu_doctor.recipes import journal as journal_mod
from mlu_doctor.recipes.journal import Journal, find_journal, list_journals


def test_fixes_in_the_same_second_get_their_own_journals_in_order(tmp_path, monkeypatch):
    env = {"XDG_STATE_HOME": str(tmp_path / "state")}
    monkeypatch.setattr(journal_mod.time, "strftime", lambda fmt: "20261207-020000")
    first, second, third = (Journal.open_new(env) for _ in range(3))
    pid = os.getpid()
    assert [first.id, second.id, third.id] == [f"20261207-020000-{pid}", f"20261207-020000-{pid}.002",
                                               f"20261207-020000-{pid}.003"]
    for j in (first, second, third):
        j.declare([str(tmp_path / j.id)])
    # the first one's record survives the second (it was overwritten when both used one folder)
    assert [j.id for j in list_journals(env)] == [first.id, second.id, third.id]
    found = find_journal(None, env)
    assert found is not None and found.id == third.id  # "the last fix" is the newest of the three
    assert oct(os.stat(first.dir).st_mode & 0o777) == "0o700"


def test_journals_of_one_second_list_by_pid_as_a_number(tmp_path):
    env = {"XDG_STATE_HOME": str(tmp_path / "state")}
    root = tmp_path / "state/mlu-doctor/journal"
    for ident in ("20261207-020000-1000", "20261207-020000-999.002", "20261207-020000-999", "20261207-015959-5"):
        (root / ident).mkdir(parents=True)  # what two processes (pids 999, 1000) and an earlier one left
        Journal(str(root), ident).declare(["/x"])
    assert [j.id for j in list_journals(env)] == ["20261207-015959-5", "20261207-020000-999",
                                                   "20261207-020000-999.002", "20261207-020000-1000"]
