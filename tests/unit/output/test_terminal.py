"""Colour, layout and progress as rich's Console decides them: NO_COLOR, TERM=dumb, FORCE_COLOR, a pipe, a tty."""

from __future__ import annotations

import io
import itertools

import pytest
from rich.console import Console

from mlu_doctor.findings import Finding, Report, Status
from mlu_doctor.output.terminal import may_be_terminal, progress_allowed, write_lines
from mlu_doctor.report.human import render

RICH_VARIABLES = ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "COLUMNS", "COLORTERM")


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture(autouse=True)
def plain_environment(monkeypatch):
    for name in RICH_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")


def report() -> Report:
    return Report(findings=(Finding("driver.loaded", Status.FAIL, "cambricon_drv is not loaded", remedy="modprobe it"),
                            Finding("env.torch-home", Status.OK, "TORCH_HOME=/data/torch")))


def human(stream: io.StringIO) -> str:
    return render(report(), stream=stream) + stream.getvalue()


@pytest.mark.parametrize("isatty, force, compatible", list(itertools.product(
    (True, False), (None, "", "1"), (None, "0", "1"))))
def test_the_shortcut_never_hides_a_terminal_rich_would_see(isatty, force, compatible):
    env = {k: v for k, v in (("FORCE_COLOR", force), ("TTY_COMPATIBLE", compatible)) if v is not None}
    stream = Tty() if isatty else io.StringIO()
    if Console(file=stream, _environ=env).is_terminal:
        assert may_be_terminal(stream, env)


@pytest.mark.parametrize("env, stream, table, colour", [
    ({}, io.StringIO, False, False),  # a pipe or a file: plain lines, rich not even asked
    ({}, Tty, True, True),
    ({"NO_COLOR": "1"}, Tty, True, False),  # NO_COLOR: the same table, no escape at all
    ({"NO_COLOR": ""}, Tty, True, True),  # empty means unset (no-color.org)
    ({"TERM": "dumb"}, Tty, True, False),
    ({"FORCE_COLOR": "1"}, io.StringIO, True, True),  # force-color.org: the table in colour, into a pipe
    ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, io.StringIO, True, False),
    ({"TTY_COMPATIBLE": "0"}, Tty, False, False),
])
def test_the_check_table_and_its_colour(monkeypatch, env, stream, table, colour):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    text = human(stream())
    assert ("\x1b[" in text) == colour, text
    assert ("status" in text and "──" in text) == table, text
    if not table:
        assert "FAIL   driver.loaded   cambricon_drv is not loaded\n" + " " * 23 + "fix: modprobe it\n" in text


def test_the_table_takes_the_width_rich_gives(monkeypatch):
    monkeypatch.setenv("COLUMNS", "50")
    monkeypatch.setenv("NO_COLOR", "1")
    text = human(Tty())
    assert max(len(line) for line in text.splitlines()) <= 50 and "modprobe" in text


def test_markup_in_what_the_table_shows_is_text(monkeypatch):
    bad = Report(findings=(Finding("x.y", Status.WARN, "a [bold]path[/] and [/]", remedy="[red]x"),),
                 meta={"tool_version": "[/]"})
    screen = Tty()
    render(bad, stream=screen)
    assert "a [bold]path[/] and [/]" in screen.getvalue() and "[red]x" in screen.getvalue()


@pytest.mark.parametrize("env, stream, colour", [
    ({}, io.StringIO, False), ({}, Tty, True), ({"NO_COLOR": "1"}, Tty, False), ({"TERM": "dumb"}, Tty, False),
    ({"FORCE_COLOR": "1"}, io.StringIO, True),
])
def test_styled_lines_follow_the_same_decision(monkeypatch, env, stream, colour):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    out = stream()
    write_lines([("green", "+added"), ("", "same")], out)
    assert ("\x1b[32m" in out.getvalue()) == colour and "+added" in out.getvalue()
    if not colour:
        assert out.getvalue() == "+added\nsame\n"


@pytest.mark.parametrize("env, stream, shown", [
    ({}, Tty, True), ({}, io.StringIO, False), ({"NO_COLOR": "1"}, Tty, False), ({"TERM": "dumb"}, Tty, False),
    ({"TTY_INTERACTIVE": "0"}, Tty, False),
])
def test_progress_bars_only_where_rich_would_redraw(monkeypatch, env, stream, shown):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert progress_allowed(stream()) == shown
