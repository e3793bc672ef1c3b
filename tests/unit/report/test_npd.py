"""node-problem-detector verdicts: 0 healthy, 1 problem, 2 unknown, one line within the limit."""

from __future__ import annotations

import pytest

from mlu_doctor.findings import Finding, Report, Status
from mlu_doctor.i18n import set_language
from mlu_doctor.report.npd import verdict
from tests.kit.reports import nasty_report


@pytest.fixture(autouse=True)
def english():
    set_language("en")
    yield
    set_language("en")


SKIPPED = Finding("driver.loaded", Status.SKIP, "unknown whether the driver is loaded: no /proc/modules, cnmon timeout")


def test_skipped_checks_are_unknown_never_healthy():
    code, line = verdict(Report(findings=(SKIPPED, Finding("driver.version", Status.SKIP, "driver version unknown"))))
    assert code == 2 and line.startswith("driver.loaded (+1 more) could not be checked: unknown whether")
    assert "healthy" not in line and len(line) <= 80


def test_one_skip_among_oks_is_still_unknown():
    code, line = verdict(Report(findings=(Finding("device.present", Status.OK, "1 card"), SKIPPED)), limit=200)
    assert code == 2 and line == f"driver.loaded could not be checked: {SKIPPED.summary}"


def test_a_problem_beside_a_skip_is_a_problem():
    fail = Finding("device.present", Status.FAIL, "no Cambricon device found")
    assert verdict(Report(findings=(SKIPPED, fail))) == (1, "device.present: no Cambricon device found")


def test_nothing_ran_is_unknown():
    code, line = verdict(Report(findings=()))
    assert code == 2 and "no checks ran" in line


def test_healthy_only_when_every_check_was_judged():
    code, line = verdict(Report(findings=(Finding("device.present", Status.OK, "1 card"),)))
    assert (code, line) == (0, "MLU node healthy: 1 checks, none failing")


def test_unknown_in_chinese():
    set_language("zh")
    code, line = verdict(Report(findings=(SKIPPED,)), limit=200)
    assert code == 2 and line.startswith("driver.loaded无法判断：")


def test_npd_verdicts():
    code, line = verdict(nasty_report())
    assert code == 1 and line.startswith("framework.arch-match (+1 more): path") and len(line) <= 80
    assert "\n" not in line and "\r" not in line
    ok = Report(findings=(Finding("device.present", Status.OK, "fine"), Finding("env.x", Status.WARN, "w")))
    assert verdict(ok)[0] == 0 and verdict(ok, Status.WARN)[0] == 1
    crashed = Report(findings=(Finding("device.present", Status.OK, "fine"), Finding("driver.x", Status.ERROR, "boom")))
    assert verdict(crashed)[0] == 2
    assert len(verdict(nasty_report(), limit=20)[1]) == 20
