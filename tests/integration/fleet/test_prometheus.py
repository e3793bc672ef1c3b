"""Prometheus end to end: the DaemonSet's loop writes textfiles, real node_exporters serve them, a real
Prometheus scrapes them and evaluates deploy/prometheus's alert rules; promtool checks and unit-tests the rules."""

from __future__ import annotations

import subprocess
import time

import pytest

from tests.kit.fleet import DEPLOY, need, wait_for

pytestmark = pytest.mark.slow
RULES_DIR = DEPLOY / "prometheus"


def test_each_node_has_exactly_one_health_state(fleet):
    assert fleet.by_node('mlu_doctor_health == 1', "state") == {
        "healthy": "healthy", "failing": "problem", "unknown": "unknown", "vanishing": "healthy"}
    assert fleet.by_node("mlu_doctor_healthy") == {"healthy": 1, "failing": 0, "unknown": 0, "vanishing": 1}


def test_check_series_carry_the_check_and_its_verdict(fleet):
    problems = fleet.query('mlu_doctor_check_health{state="problem"} == 1')
    assert {(r["metric"]["node"], r["metric"]["check"]) for r in problems} == {
        ("failing", "device.nodes"), ("failing", "driver.loaded")}
    unknown = fleet.query('mlu_doctor_check_health{state="unknown"} == 1')
    assert {(r["metric"]["node"], r["metric"]["check"]) for r in unknown} == {
        ("unknown", "driver.loaded"), ("unknown", "driver.version"), ("failing", "driver.version")}
    assert all(r["metric"]["scope"] == "host" and r["metric"]["job"] == "node" for r in problems + unknown)
    status = fleet.by_node('mlu_doctor_check_status{check="driver.loaded"}')
    assert status == {"healthy": 0, "failing": 3, "unknown": 1, "vanishing": 0}  # ok, fail, skip
    assert fleet.by_node('mlu_doctor_check_ok{check="driver.loaded"}') == {
        "healthy": 1, "failing": 0, "unknown": 0, "vanishing": 1}


def test_info_labels_and_the_staleness_signal(fleet):
    info = {r["metric"]["node"]: r["metric"] for r in fleet.query("mlu_doctor_info")}
    assert (info["healthy"]["device"], info["healthy"]["driver"]) == ("MLU220-M2", "4.6.9")
    assert (info["vanishing"]["device"], info["vanishing"]["driver"]) == ("MLU370-X4", "5.10.22")
    age = fleet.by_node("time() - mlu_doctor_last_run_timestamp_seconds")
    assert set(age) == {"healthy", "failing", "unknown", "vanishing"} and all(0 <= a < 300 for a in age.values())
    assert fleet.by_node('node_textfile_scrape_error') == {n: 0 for n in age}  # node_exporter parsed every file


def test_the_alert_rules_load_and_go_pending_for_the_right_nodes(fleet):
    groups = fleet.api("rules")["groups"]
    rules = {r["name"]: r for g in groups for r in g["rules"]}
    assert set(rules) == {"MLUDoctorCheckFailing", "MLUDoctorUnknown", "MLUDoctorStale", "MLUDoctorNotReporting",
                          "MLUDoctorAbsent"}
    wait_for("the rules to be evaluated", lambda: all(r.get("lastEvaluation", "0001").startswith("2")
                                                      for r in rules_now(fleet)), timeout=30)
    assert all(r["health"] == "ok" for r in rules_now(fleet)), rules_now(fleet)

    def pending() -> set[tuple[str, str, str]]:
        return {(a["labels"]["alertname"], a["labels"]["node"], a["labels"].get("check", ""))
                for a in fleet.api("alerts")["alerts"]}

    expected = {("MLUDoctorCheckFailing", "failing", "device.nodes"), ("MLUDoctorCheckFailing", "failing", "driver.loaded"),
                ("MLUDoctorUnknown", "unknown", "")}
    wait_for("the failing and unknown alerts", lambda: pending() == expected, timeout=30)
    time.sleep(2)  # two more evaluations: nothing else joins them
    assert pending() == expected
    assert all(a["state"] == "pending" for a in fleet.api("alerts")["alerts"])  # `for:` has not passed yet


def rules_now(fleet) -> list[dict]:
    return [r for g in fleet.api("rules")["groups"] for r in g["rules"]]


def test_a_node_whose_metrics_disappear_is_not_reporting(fleet):
    (fleet.textfiles["vanishing"] / "mlu_doctor.prom").unlink()
    wait_for("the vanishing node's series to go", lambda: "vanishing" not in fleet.by_node("mlu_doctor_healthy"),
             timeout=30)
    alert = wait_for("MLUDoctorNotReporting for the vanishing node",
                     lambda: [a for a in fleet.api("alerts")["alerts"] if a["labels"]["alertname"] == "MLUDoctorNotReporting"],
                     timeout=30)
    assert [a["labels"]["node"] for a in alert] == ["vanishing"]  # type: ignore[union-attr]
    assert "vanishing" in fleet.by_node("present_over_time(mlu_doctor_last_run_timestamp_seconds[1h])")


def test_promtool_checks_the_rules():
    done = subprocess.run([need("promtool"), "check", "rules", str(RULES_DIR / "mlu-doctor.rules.yml")],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "SUCCESS: 5 rules found" in done.stdout, done.stdout + done.stderr


def test_promtool_unit_tests_the_rules():
    started = time.monotonic()
    done = subprocess.run([need("promtool"), "test", "rules", "mlu-doctor.rules.test.yml"], cwd=RULES_DIR,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "SUCCESS" in done.stdout, done.stdout + done.stderr
    assert time.monotonic() - started < 60
