"""The check runner: missing facts skip and say why, a crashing check is an error finding, acknowledged findings and --strict in the exit status."""

from __future__ import annotations

from mlu_doctor.checks import CheckSpec
from mlu_doctor.checks.runner import exit_status, make_report, run_check
from mlu_doctor.config import Config
from mlu_doctor.facts.model import DeviceFacts, Facts
from mlu_doctor.findings import Finding, Status, ok, warn


def _spec(func, needs=("device",), cid="x.y"):
    return CheckSpec(cid, "t", needs, func)


def test_missing_facts_skip_and_say_why():
    facts = Facts(errors={"device": "device probe failed: boom"})
    f = run_check(_spec(lambda f, c: ok("fine")), facts, Config())
    assert f.status is Status.SKIP and "boom" in f.summary and f.id == "x.y"


def test_crashing_check_becomes_error_finding():
    def broken(facts, config):
        raise ZeroDivisionError("oops")

    f = run_check(_spec(broken), Facts(device=DeviceFacts()), Config())
    assert f.status is Status.ERROR and "ZeroDivisionError" in f.summary


def test_acknowledged_warning_does_not_count_even_with_strict():
    cfg = Config(acknowledged={"x.y": "known, tracked in JIRA-1"})
    f = run_check(_spec(lambda f, c: warn("meh")), Facts(device=DeviceFacts()), cfg)
    assert f.acknowledged == "known, tracked in JIRA-1"
    assert exit_status(make_report([f], None), strict=True) == 0


def test_exit_status_strict_counts_warnings():
    report = make_report([Finding("a.b", Status.WARN, "w"), Finding("c.d", Status.OK, "o")], None)
    assert exit_status(report) == 0 and exit_status(report, strict=True) == 1
