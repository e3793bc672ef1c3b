"""The Prometheus textfile: explicit unknown states, never healthy when something could not be judged."""

from __future__ import annotations

import subprocess

import pytest
from prometheus_client.parser import text_string_to_metric_families

from mlu_doctor.models import Finding, Report, Status
from mlu_doctor.report.prometheus import render
from tests.kit.fleet import need

OK = Finding("device.present", Status.OK, "1 card(s): MLU220-M2")
SKIP = Finding("driver.loaded", Status.SKIP, "unknown whether the driver is loaded")
FAIL = Finding("device.nodes", Status.FAIL, "no /dev/cambricon_ctl")
CRASH = Finding("driver.version", Status.ERROR, "the check crashed")


def values(text: str, name: str, key: str) -> dict[str, float]:
    fams = {f.name: f for f in text_string_to_metric_families(text)}
    return {"/".join(s.labels[k] for k in key.split(",")): s.value for s in fams[name].samples}


def scalar(text: str, name: str) -> float:
    (fam,) = [f for f in text_string_to_metric_families(text) if f.name == name]
    return fam.samples[0].value


@pytest.mark.parametrize("findings, state", [((OK,), "healthy"), ((OK, SKIP), "unknown"), ((OK, CRASH), "unknown"),
                                             ((SKIP, FAIL), "problem"), ((), "unknown")])
def test_the_run_has_exactly_one_health_state(findings, state):
    text = render(Report(findings=findings), timestamp=1700000000.0)
    assert values(text, "mlu_doctor_health", "state") == {s: int(s == state) for s in ("healthy", "problem", "unknown")}
    assert scalar(text, "mlu_doctor_healthy") == int(state == "healthy")


def test_each_check_says_healthy_problem_or_unknown():
    text = render(Report(findings=(OK, SKIP, FAIL, CRASH)))
    health = values(text, "mlu_doctor_check_health", "check,state")
    assert {k for k, v in health.items() if v == 1} == {
        "device.present/healthy", "driver.loaded/unknown", "device.nodes/problem", "driver.version/unknown"}
    assert len(health) == 4 * 3
    assert values(text, "mlu_doctor_check_ok", "check") == {
        "device.present": 1, "driver.loaded": 0, "device.nodes": 0, "driver.version": 0}  # unknown is never ok


def test_the_staleness_signal_is_the_run_timestamp():
    text = render(Report(findings=(OK,)), duration=0.25, timestamp=1700000123.5)
    assert scalar(text, "mlu_doctor_last_run_timestamp_seconds") == 1700000123.5
    assert scalar(text, "mlu_doctor_run_duration_seconds") == 0.25


def test_warnings_below_the_threshold_are_healthy_and_problems_at_it():
    warn = Finding("toolkit.neuware", Status.WARN, "no Neuware")
    assert scalar(render(Report(findings=(warn,))), "mlu_doctor_healthy") == 1
    text = render(Report(findings=(warn,)), fail_on=Status.WARN)
    assert values(text, "mlu_doctor_health", "state")["problem"] == 1


def test_promtool_lints_the_textfile_clean():
    promtool = need("promtool")
    text = render(Report(findings=(OK, SKIP, FAIL, CRASH)), duration=1.0, timestamp=1700000000.0)
    done = subprocess.run([promtool, "check", "metrics"], input=text, capture_output=True, text=True, timeout=30)
    assert done.returncode == 0 and not done.stdout.strip() and not done.stderr.strip(), done.stdout + done.stderr
