"""The Prometheus textfile: explicit unknown states, never healthy when something could not be judged."""

from __future__ import annotations

import subprocess

import pytest
from prometheus_client.parser import text_string_to_metric_families

from mlu_doctor.facts.model import DeviceFacts, DriverFacts, Facts, FrameworkFacts, PciDevice, ProcCard
from mlu_doctor.findings import Finding, Report, Status
from mlu_doctor.report.prometheus import render
from tests.kit.fleet import need
from tests.kit.reports import nasty_report

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


# --- a report whose texts break naive renderers (tests/kit/reports.py) ---------------------------


def families(text: str) -> dict:
    return {f.name: f for f in text_string_to_metric_families(text)}


def test_prometheus_parses_with_the_reference_parser():
    text = render(nasty_report(), duration=1.5, timestamp=1700000000.0)
    fams = families(text)
    status = {(s.labels["check"], s.labels["scope"]): s.value for s in fams["mlu_doctor_check_status"].samples}
    assert status[("framework.arch-match", "host")] == 3 and status[("env.torch-home", "host")] == 2
    assert status[("device.nodes", 'container:train "a"\\b')] == 3  # label escaping round trips
    states = [s for s in fams["mlu_doctor_check_state"].samples if s.labels["check"] == "driver.cnmon"]
    assert {s.labels["status"]: s.value for s in states} == {"ok": 0, "skip": 0, "warn": 0, "fail": 0, "error": 1}
    ok = {s.labels["check"]: s.value for s in fams["mlu_doctor_check_ok"].samples}
    assert ok == {"device.present": 1, "env.torch-home": 1, "framework.arch-match": 0, "driver.cnmon": 0,
                  "dataset.coco": 0, "toolkit.version": 1, "device.nodes": 0}  # a skip is unknown, never ok
    assert fams["mlu_doctor_healthy"].samples[0].value == 0
    assert fams["mlu_doctor_run_duration_seconds"].samples[0].value == 1.5
    assert fams["mlu_doctor_last_run_timestamp_seconds"].samples[0].value == 1700000000
    assert all(f.type == "gauge" and f.documentation for f in fams.values())
    # no sample timestamps: node_exporter's textfile collector rejects them
    assert all(s.timestamp is None for f in fams.values() for s in f.samples)


def test_prometheus_info_labels_come_from_facts():
    facts = Facts(
        device=DeviceFacts(pci=[PciDevice("0000:21:00.0", "0x0220", "MLU220")],
                           proc=[ProcCard("21:00.0", model="MLU220-M2", driver_version="4.6.9")]),
        driver=DriverFacts(versions={"proc": "4.6.9", "module": "4.6.8"}),
        framework=FrameworkFacts(torch_version="1.3.0a0+b8a5f1d"),
    )
    info = families(render(nasty_report(facts)))["mlu_doctor_info"].samples[0]
    assert info.labels == {"device": "MLU220-M2", "driver": "4.6.9", "toolkit": "unknown",
                           "framework": "torch 1.3.0a0+b8a5f1d", "version": "0.1.0", "target": "host"}


def test_prometheus_fail_on_warn_and_no_facts():
    fams = families(render(Report(findings=(Finding("env.x", Status.WARN, "w"),)), fail_on=Status.WARN))
    assert fams["mlu_doctor_check_ok"].samples[0].value == 0
    assert fams["mlu_doctor_info"].samples[0].labels["device"] == "unknown"
