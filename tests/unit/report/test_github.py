"""GitHub workflow commands: the command grammar, escaping that round-trips, optional notices."""

from __future__ import annotations

import re

from mlu_doctor.report import render
from mlu_doctor.report.github import escape_data, escape_property
from tests.kit.reports import NASTY, nasty_report

# --- GitHub ---------------------------------------------------------------------------------

# ::command key=value,key=value::message ; values and message carry no raw CR/LF, values no raw : or ,
COMMAND = re.compile(r"^::(error|warning|notice)(?: ((?:[a-z]+=[^,:\r\n]*)(?:,[a-z]+=[^,:\r\n]*)*))?::([^\r\n]*)$")


def unescape(text: str) -> str:
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")


def test_github_lines_follow_the_workflow_command_grammar():
    lines = render(nasty_report(), "github").splitlines()
    commands = [COMMAND.match(line) for line in lines[:-1]]
    assert all(commands), lines
    assert lines[-1].startswith("mlu-doctor: ") and not lines[-1].startswith("::")
    by_title = {dict(p.split("=", 1) for p in m.group(2).split(","))["title"]: m for m in commands}
    assert by_title["env.torch-home"].group(1) == "warning"
    assert by_title["framework.arch-match"].group(1) == "error"
    assert by_title["driver.cnmon"].group(1) == "error"
    assert by_title["toolkit.version"].group(1) == "notice"
    assert "dataset.coco" not in by_title and "device.present" not in by_title
    message = unescape(by_title["framework.arch-match"].group(3))
    assert message.startswith(NASTY) and message.endswith("fix: regenerate, then: rerun")


def test_github_escaping_round_trips():
    for text in (NASTY, "%0A literal", "a%25b", "\r\n\n"):
        assert unescape(escape_data(text)) == text and "\n" not in escape_data(text)
        prop = escape_property(text)
        assert ":" not in prop and "," not in prop and unescape(prop) == text


def test_github_notices_for_ok_are_optional():
    assert "::notice title=device.present::" in render(nasty_report(), "github", notices=True)
