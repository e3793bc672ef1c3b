"""`mlu-doctor undo --format json` and `undo --list --format json` as a CI script or an Ansible role reads
them: a real `fix env.torch-home --yes` in a fixture home, then undo. stdout holds exactly one envelope of kind
"undo" (json.loads of the whole stdout), stderr the same lines as the human output; the files are checked on
disk byte for byte. Errors raised before undo starts (no journal, unknown id, a corrupt journal, a bad
--format) print nothing on stdout, one line on stderr, as `fix --format json` does."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from datetime import datetime
from pathlib import Path

import pytest

from mlu_doctor import __version__
from mlu_doctor.i18n import set_language
from tests.kit.home import env_for

pytestmark = pytest.mark.fast  # in-process CLI runs in a tmp home

BASHRC = b"alias ll='ls -l'"  # no final newline


@pytest.fixture
def home(tmp_path, monkeypatch):
    h = tmp_path / "home"
    h.mkdir()
    (h / ".bashrc").write_bytes(BASHRC)
    (h / ".bashrc").chmod(0o640)
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    return h


def fixed(cli, home: Path) -> str:
    """Apply the torch-home fix; returns the journal id `fix --format json` names."""
    res = cli(["fix", "env.torch-home", "--yes", "--format", "json"], env=env_for(home))
    assert res.exit_code == 0, res.stdout + res.stderr
    jid = json.loads(res.stdout)["journal"]
    assert jid and (home / ".cache/torch").is_dir() and (home / ".bashrc").read_bytes() != BASHRC
    return jid


def doc_of(res) -> dict:
    """stdout is one envelope of kind undo and nothing else."""
    doc = json.loads(res.stdout)
    assert list(doc)[:3] == ["schema_version", "tool", "kind"]
    assert doc["schema_version"] == 1 and doc["kind"] == "undo"
    assert doc["tool"] == {"name": "mlu-doctor", "version": __version__}
    return doc


def by_path(doc: dict) -> dict[str, dict]:
    return {f["path"]: f for f in doc["files"]}


def one_line(res) -> str:
    lines = res.stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in res.stderr, res.stderr
    return lines[0]


def state(home: Path) -> dict[str, tuple]:
    out = {}
    for folder, dirs, files in os.walk(home):
        for name in dirs + files:
            p = Path(folder, name)
            if ".local" in p.relative_to(home).parts:
                continue
            st = p.lstat()
            out[str(p)] = (stat.S_IFMT(st.st_mode), stat.S_IMODE(st.st_mode),
                           p.read_bytes() if p.is_file() else None)
    return out


def blob(home: Path, jid: str, data: bytes) -> Path:
    return home / ".local/state/mlu-doctor/journal" / jid / "blobs" / hashlib.sha256(data).hexdigest()


def test_undo_json_restores_byte_for_byte_and_names_the_journal_and_every_change(cli, home):
    before = state(home)
    jid = fixed(cli, home)
    res = cli(["undo", "--format", "json"], env=env_for(home))
    assert res.exit_code == 0 and res.stderr == ""
    assert state(home) == before  # .bashrc's bytes and mode back, everything the fix created gone
    assert (home / ".bashrc").read_bytes() == BASHRC and stat.S_IMODE((home / ".bashrc").stat().st_mode) == 0o640
    doc = doc_of(res)
    assert doc["mode"] == "undo" and doc["outcome"] == "undone"
    assert doc["exit_code"] == 0 and doc["next"] == "" and doc["exit_reason"].startswith(f"journal {jid} undone")
    assert doc["force"] is False and doc["partial"] is False
    journal = doc["journal"]
    assert journal["id"] == jid and journal["recipes"] == ["env.torch-home"] and journal["undone"] is True
    assert journal["path"] == str(home / ".local/state/mlu-doctor/journal" / jid)
    created, undone = datetime.fromisoformat(journal["created"]), datetime.fromisoformat(journal["undone_at"])
    assert created.tzinfo is not None and created <= undone
    files = by_path(doc)
    assert files[str(home / ".bashrc")] == {"path": str(home / ".bashrc"), "link": None, "kind": "write",
                                            "recipe": "env.torch-home", "action": "restored", "reason": None,
                                            "detail": None}
    assert files[str(home / ".config/mlu-doctor/env.sh")]["action"] == "removed"  # created by the fix
    assert files[str(home / ".cache/torch")]["kind"] == "mkdir" and files[str(home / ".cache/torch")]["action"] == "removed"
    assert [f["path"] for f in doc["files"]][-1] == str(home / ".bashrc")  # the order the fix made them
    assert doc["summary"] == {"restored": 1, "removed": len(doc["files"]) - 1, "unchanged": 0, "skipped": 0,
                              "pending": 0}


def test_everything_already_undone_and_a_named_undone_journal_are_envelopes_too(cli, home):
    jid = fixed(cli, home)
    assert cli(["undo"], env=env_for(home)).exit_code == 0
    nothing = cli(["undo", "--format", "json"], env=env_for(home))
    doc = doc_of(nothing)
    assert nothing.exit_code == 0 and doc["outcome"] == "nothing" and doc["journal"] is None
    assert doc["files"] == [] and "everything is already undone (1 fix journal(s)" in doc["exit_reason"]
    again = cli(["undo", jid, "--format", "json"], env=env_for(home))
    doc = doc_of(again)
    assert again.exit_code == 0 and doc["outcome"] == "already-undone" and doc["files"] == []
    assert doc["journal"]["id"] == jid and doc["journal"]["undone"] is True
    assert doc["journal"]["recipes"] == ["env.torch-home"]
    assert doc["exit_reason"] == f"journal {jid} is already undone"


def test_list_json_holds_every_journal_oldest_first_with_its_state_and_files(cli, home):
    empty = cli(["undo", "--list", "--format", "json"], env=env_for(home))
    assert empty.exit_code == 0 and "no fix recorded yet" in one_line(empty)  # stderr as without --format json
    doc = doc_of(empty)
    assert doc["mode"] == "list" and doc["journals"] == [] and doc["exit_code"] == 0
    assert doc["root"] == str(home / ".local/state/mlu-doctor/journal")

    first = fixed(cli, home)
    listed = doc_of(cli(["undo", "--list", "--format", "json"], env=env_for(home)))
    (journal,) = listed["journals"]
    assert journal["id"] == first and journal["undone"] is False and journal["undone_at"] is None
    assert journal["recipes"] == ["env.torch-home"] and journal["error"] is None
    assert {f["path"] for f in journal["files"]} >= {str(home / ".bashrc"), str(home / ".config/mlu-doctor/env.sh")}
    assert set(journal["files"][0]) == {"path", "link", "kind", "recipe"}

    assert cli(["undo"], env=env_for(home)).exit_code == 0
    second = fixed(cli, home)  # often within the same second of the same process: its own journal all the same
    res = cli(["undo", "--list", "--format", "json"], env=env_for(home))
    assert res.exit_code == 0 and res.stderr == ""
    journals = doc_of(res)["journals"]
    assert [j["id"] for j in journals] == sorted([first, second]) and first != second
    states = {j["id"]: (j["undone"], j["undone_at"] is not None) for j in journals}
    assert states == {first: (True, True), second: (False, False)}


def test_a_file_changed_since_the_fix_is_kept_without_force_and_restored_with_it(cli, home):
    jid = fixed(cli, home)
    (home / ".bashrc").write_bytes(b"edited by hand\n")
    res = cli(["undo", "--format", "json"], env=env_for(home))
    assert res.exit_code == 3
    assert (home / ".bashrc").read_bytes() == b"edited by hand\n"
    assert res.stderr.splitlines() == [  # the same lines as the human output's stderr
        f"skipped {home}/.bashrc: changed since the fix (use --force to restore anyway)",
        f"mlu-doctor: journal {jid} is only partly undone (1 change(s) skipped, listed above)"]
    doc = doc_of(res)
    assert doc["outcome"] == "partial" and doc["exit_code"] == 3 and doc["journal"]["undone"] is False
    assert doc["exit_reason"] == f"journal {jid} is only partly undone: 1 change(s) skipped"
    assert f"mlu-doctor undo {jid} --force" in doc["next"]
    rc = by_path(doc)[str(home / ".bashrc")]
    assert (rc["action"], rc["reason"]) == ("skipped", "changed-since-fix") and "--force" in rc["detail"]
    assert doc["summary"]["skipped"] == 1 and doc["summary"]["restored"] == 0

    forced = cli(["undo", "--force", "--format", "json"], env=env_for(home))
    assert forced.exit_code == 0 and forced.stderr == ""
    assert (home / ".bashrc").read_bytes() == BASHRC
    doc = doc_of(forced)
    assert doc["outcome"] == "undone" and doc["force"] is True and doc["journal"]["id"] == jid
    assert by_path(doc)[str(home / ".bashrc")]["action"] == "restored"
    assert {f["action"] for f in doc["files"] if f["path"] != str(home / ".bashrc")} == {"unchanged"}
    assert doc["journal"]["undone"] is True


def test_a_missing_saved_copy_refuses_the_whole_undo_unless_partial(cli, home):
    jid = fixed(cli, home)
    blob(home, jid, BASHRC).unlink()
    before = state(home)
    human = cli(["undo"], env=env_for(home))
    res = cli(["undo", "--format", "json"], env=env_for(home))
    assert res.exit_code == human.exit_code == 4
    assert one_line(res) == one_line(human)  # the same one line; stdout has the envelope instead of the list
    assert "1 of 6 change(s) cannot be undone" in one_line(res)
    assert state(home) == before  # nothing was changed
    doc = doc_of(res)
    assert doc["outcome"] == "refused" and doc["exit_code"] == 4 and doc["partial"] is False
    assert doc["exit_reason"] == one_line(res).removeprefix("mlu-doctor: ")
    assert f"mlu-doctor undo {jid} --partial" in doc["next"]
    rc = by_path(doc)[str(home / ".bashrc")]
    assert (rc["action"], rc["reason"]) == ("skipped", "missing-copy") and "blobs/" in rc["detail"]
    assert {f["action"] for f in doc["files"] if f is not rc} == {"pending"}
    assert doc["summary"] == {"restored": 0, "removed": 0, "unchanged": 0, "skipped": 1, "pending": 5}

    part = cli(["undo", "--partial", "--format", "json"], env=env_for(home))
    assert part.exit_code == 3
    assert part.stderr.splitlines()[-1] == f"mlu-doctor: journal {jid} is only partly undone (1 change(s) skipped, listed above)"
    doc = doc_of(part)
    assert doc["outcome"] == "partial" and doc["partial"] is True and "from a backup" in doc["next"]
    assert by_path(doc)[str(home / ".bashrc")]["reason"] == "missing-copy"
    assert doc["summary"] == {"restored": 0, "removed": 5, "unchanged": 0, "skipped": 1, "pending": 0}
    assert not (home / ".config/mlu-doctor/env.sh").exists() and not (home / ".cache").exists()
    assert (home / ".bashrc").read_bytes() != BASHRC  # its saved copy is gone: left as the fix made it
    assert doc["journal"]["undone"] is True  # as far as it can be: a plain undo no longer refuses it again
    again = cli(["undo", "--format", "json"], env=env_for(home))
    assert again.exit_code == 0 and doc_of(again)["outcome"] == "nothing"


@pytest.mark.parametrize("args", [["undo"], ["undo", "--list"], ["undo", "some-id", "--force"]])
def test_an_unknown_format_is_a_usage_error_of_one_line(cli, home, args):
    res = cli([*args, "--format", "xml"], env=env_for(home))
    assert res.exit_code == 2 and res.stdout == ""
    assert one_line(res) == "mlu-doctor: unknown format 'xml'; choose one of: human, json"


def test_errors_before_undo_starts_print_no_envelope(cli, home):
    none = cli(["undo", "--format", "json"], env=env_for(home))
    assert none.exit_code == 2 and none.stdout == "" and "nothing to undo: no fix journal" in one_line(none)
    jid = fixed(cli, home)
    unknown = cli(["undo", "no-such-fix", "--format", "json"], env=env_for(home))
    assert unknown.exit_code == 2 and unknown.stdout == "" and "no fix journal no-such-fix" in one_line(unknown)
    both = cli(["undo", jid, "--last", "--format", "json"], env=env_for(home))
    assert both.exit_code == 2 and both.stdout == "" and "not both" in one_line(both)
    (home / ".local/state/mlu-doctor/journal" / jid / "journal.json").write_bytes(b"[1, 2]")
    corrupt = cli(["undo", "--format", "json"], env=env_for(home))
    assert corrupt.exit_code == 4 and corrupt.stdout == "" and "nothing was changed" in one_line(corrupt)
    listed = doc_of(cli(["undo", "--list", "--format", "json"], env=env_for(home)))
    (journal,) = listed["journals"]
    assert journal["id"] == jid and journal["files"] == [] and "no list of entries" in journal["error"]


@pytest.fixture
def english_afterwards():
    yield
    set_language("en")  # the in-process run chose zh for this process


def test_json_keys_and_values_stay_english_under_lang_zh(cli, home, english_afterwards):
    fixed(cli, home)
    (home / ".bashrc").write_bytes(b"edited by hand\n")
    doc = doc_of(cli(["undo", "--format", "json", "--lang", "zh"], env=env_for(home)))
    rc = by_path(doc)[str(home / ".bashrc")]
    assert (doc["outcome"], rc["action"], rc["reason"]) == ("partial", "skipped", "changed-since-fix")
    assert "只撤销了一部分" in doc["exit_reason"] and "修复之后有改动" in rc["detail"]
    assert doc["next"].startswith("下一步：")
