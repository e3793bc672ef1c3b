"""`mlu-doctor report -o FILE`: FILE is the Markdown report, the same name with .json its JSON twin, as the
help and the README say (rep.md -> rep.md + rep.json)."""

from __future__ import annotations

import json

import pytest


@pytest.fixture
def out(tmp_path, monkeypatch):
    """An empty working folder for the report files."""
    folder = tmp_path / "out"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


@pytest.mark.parametrize("name, twin", [("rep.md", "rep.json"), ("rep", "rep.json"), ("notes.v2.txt", "notes.v2.json")])
def test_report_writes_the_markdown_file_and_its_json_twin(cli, out, empty_root, name, twin):
    result = cli(["report", "--root", empty_root, "-o", name])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"wrote {name} and {twin}\n"
    assert (out / name).read_text(encoding="utf-8").startswith("# mlu-doctor report\n")
    doc = json.loads((out / twin).read_text(encoding="utf-8"))
    assert doc["schema_version"] == 1 and "environment" in doc and doc["findings"]
    assert sorted(p.name for p in out.iterdir()) == sorted({name, twin})  # no rep.md.json, no temp files


def test_report_in_chinese_says_the_same(cli, out, empty_root):
    result = cli(["report", "--root", empty_root, "-o", "rep.md", "--lang", "zh"])
    assert result.exit_code == 0 and result.stdout == "已写入 rep.md 和 rep.json\n"
    assert (out / "rep.md").read_text(encoding="utf-8").startswith("# mlu-doctor 报告\n")


def test_report_refuses_a_json_name_and_says_what_to_give(cli, out, empty_root):
    result = cli(["report", "--root", empty_root, "-o", "rep.json"])
    assert result.exit_code == 2 and list(out.iterdir()) == []
    assert result.stderr == ("mlu-doctor: -o rep.json: name the Markdown file (e.g. rep.md); the JSON report is "
                             "written beside it as rep.json\n")


def test_a_twin_that_is_a_folder_is_refused_before_anything_is_written(cli, out, empty_root):
    (out / "rep.json").mkdir()
    result = cli(["report", "--root", empty_root, "-o", "rep.md"])
    assert result.exit_code == 2 and not (out / "rep.md").exists()
    assert result.stderr == "mlu-doctor: cannot write rep.json: it is not a regular file but a directory\n"


def test_help_names_the_twin(cli):
    text = " ".join(cli(["report", "--help"]).stdout.split())
    assert "(rep.md -> rep.json)" in text and "FILE.json" not in text
