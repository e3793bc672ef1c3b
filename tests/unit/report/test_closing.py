"""The closing block of `check`: the exit code it states is the one returned, and the next step is the recipe
command (with the options that make fix look at the same system) or the one manual step."""

from __future__ import annotations

import pytest

from mlu_doctor.checks.runner import exit_status
from mlu_doctor.findings import Finding, Report, Status
from mlu_doctor.i18n import set_language
from mlu_doctor.report.closing import closing_lines, exit_line, next_lines
from mlu_doctor.report.human import render

OK = Finding("device.present", Status.OK, "1 card(s)")
ARCH = Finding("framework.arch-match", Status.FAIL, "CNML torch on MLU220", remedy="Regenerate with genoff.py.")
HOME = Finding("env.torch-home", Status.WARN, "TORCH_HOME is not set", remedy="export TORCH_HOME=...",
               recipe="env.torch-home")
COCO = Finding("dataset.coco", Status.FAIL, "val2017 is missing", remedy="fetch it", recipe="dataset.coco")
TOOLKIT = Finding("toolkit.neuware", Status.WARN, "no Neuware", remedy="Install CNToolkit.")
CRASH = Finding("env.pythonpath", Status.ERROR, "the check crashed: KeyError: 'x'")


def report(*findings: Finding, **meta: object) -> Report:
    return Report(findings=findings, facts=None, meta=dict(meta))


def texts(rep: Report, **kw) -> list[str]:
    return [text for _style, text in closing_lines(rep, **kw)]


@pytest.mark.parametrize("findings, fail_on", [
    ((OK, ARCH, HOME), None), ((OK, HOME), None), ((OK, HOME), Status.WARN), ((CRASH, OK), None),
    ((Finding("framework.arch-match", Status.FAIL, "x", acknowledged="known"),), None),
])
def test_the_exit_line_states_the_code_check_returns(findings, fail_on):
    rep = report(*findings)
    assert exit_line(rep, fail_on).startswith(f"exit {exit_status(rep, fail_on=fail_on)}: ")


def test_failures_are_named_and_warnings_alone_say_how_to_fail_on_them():
    assert exit_line(report(OK, ARCH, HOME)) == "exit 1: 1 check failed (framework.arch-match)"
    assert exit_line(report(ARCH, COCO)) == "exit 1: 2 checks failed (framework.arch-match, dataset.coco)"
    assert exit_line(report(HOME)) == "exit 0: warnings only (use --strict to fail on them)"
    assert exit_line(report(HOME, TOOLKIT), Status.WARN) == (
        "exit 1: 2 checks warned (env.torch-home, toolkit.neuware) and warnings count (--strict or --fail-on warn)")
    assert exit_line(report(CRASH)) == "exit 1: 1 check crashed (env.pythonpath)"


def test_recipes_come_first_worst_first_then_what_no_recipe_covers():
    assert next_lines(report(HOME, ARCH, COCO, TOOLKIT)) == [
        "Next: 2 findings have recipes: run `mlu-doctor fix dataset.coco env.torch-home`",
        "Then by hand (no recipe): framework.arch-match, toolkit.neuware: follow their fix: lines above",
    ]


def test_the_one_manual_step_is_spelled_out():
    assert next_lines(report(OK, ARCH)) == ["Next (framework.arch-match): Regenerate with genoff.py."]
    assert next_lines(report(CRASH)) == [
        "Next: env.pythonpath crashed (a bug in the check): run again with -v and report the traceback"]


def test_the_fix_command_looks_at_what_check_looked_at():
    args = ("--root", "/mnt/host", "--container", "yolo train")
    assert next_lines(report(HOME), args) == [
        "Next: 1 finding has a recipe: run `mlu-doctor fix --root /mnt/host --container 'yolo train' env.torch-home`"]


def test_a_replayed_capture_sends_fix_to_the_system_it_came_from():
    assert next_lines(report(HOME, container="yolo-train"), None) == [
        "Next: 1 finding has a recipe: on the system this report came from, run "
        "`mlu-doctor fix --container yolo-train env.torch-home`"]


def test_nothing_to_say_when_nothing_warns_and_acknowledged_findings_are_not_asked_for():
    assert closing_lines(report(OK, Finding("env.pythonpath", Status.SKIP, "unknown"))) == []
    acked = Finding("env.torch-home", Status.WARN, "unset", recipe="env.torch-home", acknowledged="launcher sets it")
    assert texts(report(OK, acked)) == [
        "exit 0: only acknowledged findings (env.torch-home), which never fail the run"]


def test_plain_output_ends_with_the_block_and_chinese_has_it_too():
    rep = report(OK, ARCH, HOME)
    lines = render(rep).splitlines()
    assert lines[-3:] == ["exit 1: 1 check failed (framework.arch-match)",
                          "Next: 1 finding has a recipe: run `mlu-doctor fix env.torch-home`",
                          "Then by hand (no recipe): framework.arch-match: follow its fix: line above"]
    set_language("zh")
    try:
        zh = render(rep).splitlines()
    finally:
        set_language("en")
    assert zh[-3].startswith("退出码 1：1 项检查失败") and zh[-2].startswith("下一步：") and zh[-1].startswith("然后手动处理")
