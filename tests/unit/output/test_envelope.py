"""Contract tests: every command's JSON is the one envelope (schema_version, tool, kind) around the keys its
consumers read. A key removed or renamed here is a breaking change for scripts and dashboards."""

from __future__ import annotations

import dataclasses
import json

import pytest

from mlu_doctor import __version__
from mlu_doctor.facts.model import FACTS_SCHEMA, Facts
from mlu_doctor.output.envelope import Envelope
from tests.kit.hosts import healthy_root

ENVELOPE = {"schema_version", "tool", "kind"}
KEYS = {  # kind -> the command's own keys (besides the envelope's)
    "check": {"findings", "facts", "summary"},
    "report": {"findings", "facts", "summary", "environment"},
    "fix": {"mode", "journal", "exit_code", "exit_reason", "notes", "next", "recipes"},
    "undo": {"mode", "outcome", "journal", "exit_code", "exit_reason", "next", "force", "partial", "summary", "files"},
    "undo-list": {"mode", "exit_code", "root", "journals"},
    "explain": {"source", "findings", "context", "summary"},
    "fetch-coco": {"command", "dry_run", "plan"},
    "fetch-coco-result": {"command", "dry_run", "plan", "ok", "seconds", "problems", "files", "extracted", "labels",
                          "written"},
    "inject": {"exit_code", "inject"},
    "facts": {f.name for f in dataclasses.fields(Facts)} - {"schema_version"},  # the facts' fields, at the top
}


def assert_envelope(doc: dict, kind: str, keys: str | None = None, version: int = 1) -> None:
    assert set(doc) == ENVELOPE | KEYS[keys or kind], set(doc) ^ (ENVELOPE | KEYS[keys or kind])
    assert doc["schema_version"] == version and doc["kind"] == kind
    assert doc["tool"] == {"name": "mlu-doctor", "version": __version__}
    assert list(doc)[:3] == ["schema_version", "tool", "kind"]


def test_an_envelope_puts_its_keys_first_and_refuses_to_shadow_them():
    doc = json.loads(Envelope("check", {"findings": [], "ünïcode": "ok"}).to_json())
    assert list(doc) == ["schema_version", "tool", "kind", "findings", "ünïcode"]
    assert "ünïcode" in Envelope("check", {"ünïcode": 1}).to_json()  # UTF-8, not \\u escapes
    for key in ("schema_version", "tool", "kind"):
        with pytest.raises(ValueError, match=key):
            Envelope("check", {key: 1}).to_data()
    with pytest.raises(ValueError, match="unknown envelope kind"):
        Envelope("chek", {}).to_data()


def test_check_json(cli, empty_root):
    result = cli(["check", "--root", healthy_root(empty_root), "--only", "device", "--format", "json"])
    doc = json.loads(result.stdout)
    assert_envelope(doc, "check")
    assert {"id", "status", "summary", "scope"} <= set(doc["findings"][0]) and "worst" in doc["summary"]


def test_check_json_written_with_output(cli, empty_root, tmp_path):
    out = tmp_path / "r.json"
    assert cli(["check", "--root", empty_root, "--only", "device", "--format", "json", "-o", out]).exit_code == 1
    assert_envelope(json.loads(out.read_text()), "check")


def test_report_json_beside_the_markdown(cli, empty_root, tmp_path):
    assert cli(["report", "--root", empty_root, "-o", tmp_path / "bundle.md"]).exit_code == 0
    doc = json.loads((tmp_path / "bundle.json").read_text())
    assert_envelope(doc, "report")
    assert "mlu-doctor" in doc["environment"]


def test_facts_json_is_an_envelope_that_check_replays(cli, empty_root, tmp_path):
    result = cli(["facts", "--root", empty_root])
    doc = json.loads(result.stdout)
    assert_envelope(doc, "facts", version=FACTS_SCHEMA)
    path = tmp_path / "facts.json"
    path.write_text(result.stdout)
    live = json.loads(cli(["check", "--root", empty_root, "--format", "json"]).stdout)["findings"]
    replay = cli(["check", "--facts", path, "--format", "json"])
    assert [f["id"] for f in json.loads(replay.stdout)["findings"]] == [f["id"] for f in live]


def test_fix_json(cli, empty_root, tmp_path):
    env = {"HOME": str(tmp_path / "home"), "XDG_STATE_HOME": str(tmp_path / "state"), "TORCH_HOME": None}
    (tmp_path / "home").mkdir()
    result = cli(["fix", "--root", empty_root, "--dry-run", "--format", "json"], env=env)
    doc = json.loads(result.stdout)
    assert_envelope(doc, "fix")
    assert doc["mode"] == "dry-run" and doc["exit_code"] == result.exit_code


def test_undo_json_of_an_undo_and_of_the_list(tmp_path):
    from mlu_doctor.recipes.journal import Entry, Journal
    from mlu_doctor.recipes.render import journals_envelope, undo_envelope
    from mlu_doctor.recipes.undo import ACTIONS, Change, UndoResult, judge

    journal = Journal(str(tmp_path), "20260101-120000-42")
    entry = Entry("write", "/home/u/.bashrc", "env.torch-home", time=1767268800.5)
    result = UndoResult(journal.id, (Change(entry, "restored"),))
    doc = json.loads(undo_envelope(judge(result), journal, [entry], result).to_json())
    assert_envelope(doc, "undo")
    assert doc["mode"] == "undo" and doc["outcome"] == "undone" and doc["exit_code"] == 0
    assert set(doc["journal"]) == {"id", "path", "created", "recipes", "undone", "undone_at"}
    assert set(doc["files"][0]) == {"path", "link", "kind", "recipe", "action", "reason", "detail"}
    assert set(doc["summary"]) == set(ACTIONS)
    listed = json.loads(journals_envelope(str(tmp_path), [(journal, [entry], None)]).to_json())
    assert_envelope(listed, "undo", "undo-list")
    assert listed["mode"] == "list"
    assert set(listed["journals"][0]) == {"id", "path", "created", "recipes", "undone", "undone_at", "files", "error"}
    assert set(listed["journals"][0]["files"][0]) == {"path", "link", "kind", "recipe"}


def test_explain_json(cli, tmp_path):
    log = tmp_path / "train.log"
    log.write_text("ModuleNotFoundError: No module named 'utils'\n")
    doc = json.loads(cli(["explain", log, "--format", "json"]).stdout)
    assert_envelope(doc, "explain")
    assert doc["summary"]["recognised"] == 1


def test_fetch_coco_json_of_a_plan_and_of_a_result(cli, tmp_path):
    doc = json.loads(cli(["fetch-coco", "--year", "2017", "--dest", tmp_path / "coco", "--dry-run",
                          "--format", "json"]).stdout)
    assert_envelope(doc, "fetch-coco")
    assert doc["dry_run"] is True and doc["command"] == "fetch-coco"

    from mlu_doctor.download import FetchRequest, plan_fetch
    from mlu_doctor.download.fetch import FetchResult
    from mlu_doctor.download.render import to_json

    plan = plan_fetch(FetchRequest(year="2017", dest=str(tmp_path / "coco")))
    done = json.loads(to_json(plan, FetchResult(plan, (), (), (), (), (), 1.5)))
    assert_envelope(done, "fetch-coco", "fetch-coco-result")
    assert done["dry_run"] is False and done["seconds"] == 1.5


def test_inject_json():
    from mlu_doctor.inject.render import envelope
    from mlu_doctor.inject.run import InjectResult

    doc = json.loads(envelope(InjectResult("c1", "/src", "/data"), 3).to_json())
    assert_envelope(doc, "inject")
    assert doc["exit_code"] == 3 and set(doc["inject"]) == {f.name for f in dataclasses.fields(InjectResult)}


def test_every_kind_is_named_where_the_envelope_is_documented():
    import re

    from mlu_doctor.output import envelope
    from mlu_doctor.output.envelope import KINDS
    from tests.kit.files import REPO

    named = ", ".join(f"`{k}`" for k in KINDS)
    assert named in " ".join((REPO / "README.md").read_text(encoding="utf-8").split())
    assert named in (REPO / "docs/ci.md").read_text(encoding="utf-8")
    assert "the command that made it: " + ", ".join(KINDS) in re.sub(r"\s+", " ", envelope.__doc__ or "")
