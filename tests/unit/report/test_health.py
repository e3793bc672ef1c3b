"""The fleet verdict: a problem wins, then anything that could not be judged; unknown is never healthy."""

from __future__ import annotations

from mlu_doctor.findings import Finding, Report, Status
from mlu_doctor.report.health import HEALTHY, PROBLEM, UNKNOWN, finding_state, judge


def report(*statuses: Status, acknowledged: str | None = None) -> Report:
    return Report(findings=tuple(Finding(f"c.{i}", s, f"s{i}", acknowledged=acknowledged if s >= Status.WARN else None)
                                 for i, s in enumerate(statuses)))


def test_all_judged_and_fine_is_healthy():
    assert judge(report(Status.OK, Status.OK)).state == HEALTHY
    assert judge(report(Status.OK, Status.WARN)).state == HEALTHY  # warnings are allowed at --fail-on fail


def test_a_skip_or_a_crash_makes_the_run_unknown():
    verdict = judge(report(Status.OK, Status.SKIP, Status.ERROR))
    assert verdict.state == UNKNOWN and [f.id for f in verdict.unjudged] == ["c.1", "c.2"]
    assert judge(report(Status.SKIP, Status.SKIP)).state == UNKNOWN


def test_no_checks_at_all_is_unknown_not_healthy():
    assert judge(Report(findings=())).state == UNKNOWN


def test_a_problem_wins_over_unknown_and_the_worst_comes_first():
    verdict = judge(report(Status.SKIP, Status.WARN, Status.FAIL), fail_on=Status.WARN)
    assert verdict.state == PROBLEM and [f.status for f in verdict.problems] == [Status.FAIL, Status.WARN]
    assert [f.id for f in verdict.unjudged] == ["c.0"]


def test_acknowledged_findings_are_judged_fine():
    assert judge(report(Status.OK, Status.FAIL, acknowledged="lab host")).state == HEALTHY
    assert judge(report(Status.ERROR, acknowledged="known crash")).state == HEALTHY


def test_finding_state_follows_the_threshold():
    warn = Finding("x", Status.WARN, "w")
    assert finding_state(warn) == HEALTHY and finding_state(warn, Status.WARN) == PROBLEM
    assert finding_state(warn, "warn") == PROBLEM
    assert finding_state(Finding("x", Status.ERROR, "boom")) == UNKNOWN
