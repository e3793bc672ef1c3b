"""What `--help` shows, as a user reads it: whole summaries, real placeholders, listed choices, comma lists."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from mlu_doctor.cli import COMMANDS

FORMAT_CHOICES = {
    "check": "human, json, junit, github, prometheus, markdown",
    "facts": "json",
    "list": "human, json",
    "explain": "human, json",
    "fix": "human, json",
    "inject": "human, json",
    "fetch-coco": "human, json",
}


def run(args, columns=80, **env):
    full = {**os.environ, "LC_ALL": "", "LC_MESSAGES": "", "LANG": "C.UTF-8", "COLUMNS": str(columns), **env}
    return subprocess.run([sys.executable, "-m", "mlu_doctor", *args], capture_output=True, text=True, env=full,
                          timeout=60)


def commands_section(text: str) -> dict[str, str]:
    """Command name -> its summary in the help's command list (wrapped lines joined)."""
    lines = text.split("\n\n")[-1].splitlines()[1:]
    rows: dict[str, str] = {}
    name = ""
    for line in lines:
        m = re.match(r"^  (\S+)\s+(.*)$", line)
        if m and m.group(1) in COMMANDS:
            name = m.group(1)
            rows[name] = m.group(2).strip()
        elif name and line.strip():
            rows[name] += " " + line.strip()
    return rows


def first_paragraph(command: str, lang: str) -> str:
    """The first paragraph of the command's own --help text."""
    text = run([command, "--help", "--lang", lang]).stdout
    return " ".join(text.split("\n\n")[1].split())


@pytest.mark.slow  # a real process per width and language (about 1 s each)
@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("columns", [80, 60])
def test_the_command_list_shows_each_summary_whole(lang, columns):
    result = run(["--help", "--lang", lang], columns=columns)
    assert result.returncode == 0
    rows = commands_section(result.stdout)
    assert sorted(rows) == sorted(COMMANDS)
    listing = result.stdout.split("\n\n")[-1]
    assert "..." not in listing and "…" not in listing
    if columns == 80 and lang == "en":  # short enough to fit one line each at 80 columns
        assert all(len(line) <= 80 for line in result.stdout.splitlines())
        assert len(result.stdout.split("\n\n")[-1].splitlines()) == len(COMMANDS) + 1
    for name in ("check", "report", "inject", "fetch-coco"):
        assert rows[name] == first_paragraph(name, lang), name


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_help_placeholders_are_words_not_types_or_templates(command, lang):
    text = run([command, "--help", "--lang", lang]).stdout
    assert text.startswith(("Usage: mlu-doctor " + command, "用法: mlu-doctor " + command))
    assert not re.search(r"<(str|int|float|text|integer|int range|path)>", text, re.I), text
    assert not re.search(r"\{\w+\}", text), text
    assert "TEXT" not in text and "INTEGER" not in text and "FLOAT" not in text


@pytest.mark.slow  # every command's --help in a real process (about 1 s)
def test_arguments_and_options_name_what_they_take():
    inject = run(["inject", "--help"]).stdout
    assert "Usage: mlu-doctor inject [OPTIONS] SRC DEST" in inject
    assert "--container NAME" in inject and "--owner UID:GID" in inject and "--verify listing|sha256|none" in inject
    assert "--via archive|exec" in inject and "--batch-size SIZE" in inject
    fetch = run(["fetch-coco", "--help"]).stdout
    for text in ("--year 2014|2017", "--dest DIR", "--parts PART", "--layout yolov3|yolov5", "--mirror URL",
                 "--connections N", "--from-local DIR", "--manifest FILE", "--timeout SECONDS"):
        assert text in fetch
    assert "Usage: mlu-doctor fix [OPTIONS] [ID]..." in run(["fix", "--help"]).stdout
    assert "Usage: mlu-doctor undo [OPTIONS] [ID]" in run(["undo", "--help"]).stdout
    npd = run(["npd", "--help"]).stdout
    assert "--only ID" in npd and "--fail-on warn|fail" in npd and "--max-length N" in npd
    assert "--section SECTION" in run(["facts", "--help"]).stdout
    assert "--signatures FILE" in run(["explain", "--help"]).stdout


@pytest.mark.parametrize("command", sorted(FORMAT_CHOICES))
def test_format_lists_its_choices_and_refuses_others(cli, command):
    choices = FORMAT_CHOICES[command]
    helped = " ".join(cli([command, "--help"]).stdout.split())
    assert choices in helped or choices.replace(", ", "|") in helped or choices.replace(", ", " or ") in helped
    required = {"inject": ["--container", "c1", "src", "/dest"], "fetch-coco": ["--year", "2017", "--dest", "coco"]}
    result = cli([command, "--format", "xml", *required.get(command, [])])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "'xml'" in lines[0]
    assert choices in lines[0] or choices.replace(", ", " or ") in lines[0]


def test_list_refuses_an_unknown_format_in_chinese_too(cli):
    result = cli(["list", "--format", "xml", "--lang", "zh"])
    assert result.exit_code == 2 and result.stderr == "mlu-doctor：未知格式 'xml'；可选：human, json\n"


def test_facts_sections_take_comma_lists_and_repeats(cli, empty_root):
    for args in (["--section", "device,env"], ["--section", "device", "--section", "env"], ["--section", " device, env "]):
        result = cli(["facts", "--root", empty_root, *args])
        assert result.exit_code == 0, result.stderr
        data = json.loads(result.stdout)
        assert data["device"] is not None and data["env"] is not None
        assert data["toolkit"] is None and data["driver"] is None
    bad = cli(["facts", "--root", empty_root, "--section", "device,bogus"])
    assert bad.exit_code == 2 and "unknown section 'bogus'" in bad.stderr


def test_check_only_and_skip_take_comma_lists_and_repeats(cli, empty_root):
    ids = lambda r: [f["id"] for f in json.loads(r.stdout)["findings"]]  # noqa: E731
    both = cli(["check", "--root", empty_root, "--format", "json", "--only", "device.present,driver.loaded"])
    repeated = cli(["check", "--root", empty_root, "--format", "json", "--only", "device.present", "--only",
                    "driver.loaded"])
    assert ids(both) == ids(repeated) == ["device.present", "driver.loaded"]
    skipped = cli(["check", "--root", empty_root, "--format", "json", "--only", "device.", "--skip",
                   "device.nodes,device.present"])
    assert ids(skipped) == []


def test_fix_ids_take_comma_lists(cli, empty_root):
    result = cli(["fix", "--root", empty_root, "--dry-run", "env.torch-home,no.such-id"])
    assert result.exit_code == 2
    assert "unknown recipe or check id(s): no.such-id" in result.stderr


def test_fetch_coco_parts_take_repeats_and_comma_lists(cli, tmp_path):
    base = ["fetch-coco", "--year", "2017", "--dest", tmp_path / "coco", "--dry-run", "--format", "json"]
    repeated = json.loads(cli([*base, "--parts", "val", "--parts", "annotations"]).stdout)
    listed = json.loads(cli([*base, "--parts", "val,annotations"]).stdout)
    assert repeated == listed
    assert "val2017.zip" in json.dumps(listed) and "train2017.zip" not in json.dumps(listed)
