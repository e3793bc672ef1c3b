"""CI and fleet renderers: JUnit (schema-valid), GitHub workflow commands, Prometheus text, NPD verdicts."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
import xmlschema
from prometheus_client.parser import text_string_to_metric_families

from mlu_doctor.facts.model import DeviceFacts, DriverFacts, Facts, FrameworkFacts, PciDevice, ProcCard
from mlu_doctor.models import Evidence, Finding, Report, Status
from mlu_doctor.report import FORMATS, render
from mlu_doctor.report.github import escape_data, escape_property
from mlu_doctor.report.npd import verdict
from tests.kit.files import DATA

NASTY = 'path C:\\x "quoted" 100% done,\r\nsecond: line\x07 \u4e2d\u6587 ::error::fake'


def nasty_report(facts=None) -> Report:
    findings = (
        Finding("device.present", Status.OK, "1 card(s): MLU220-M2"),
        Finding("env.torch-home", Status.WARN, "TORCH_HOME is unset", remedy="export TORCH_HOME=/data/torch"),
        Finding("framework.arch-match", Status.FAIL, NASTY, details="d1\nd2",
                evidence=(Evidence("/torch/x/build.property", "a=1\n<b>&"),), remedy="regenerate, then: rerun"),
        Finding("driver.cnmon", Status.ERROR, "the check crashed: ZeroDivisionError: oops",
                evidence=(Evidence("traceback", "Traceback...\nZeroDivisionError"),)),
        Finding("dataset.coco", Status.SKIP, "not checked: datasets facts unavailable"),
        Finding("toolkit.version", Status.FAIL, "old toolkit", acknowledged="tracked in JIRA-1"),
        Finding("device.nodes", Status.FAIL, "no /dev/cambricon_dev0", scope='container:train "a"\\b'),
    )
    return Report(findings=findings, facts=facts, meta={"tool_version": "0.1.0"})


# --- JUnit ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def junit_schema():
    return xmlschema.XMLSchema(str(DATA / "junit.xsd"))


def test_junit_validates_against_the_schema(junit_schema):
    text = render(nasty_report(), "junit", duration=0.25)
    junit_schema.validate(text)
    root = ET.fromstring(text)
    suite = root.find("testsuite")
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors"), suite.get("skipped")) == ("7", "2", "1", "1")
    assert root.get("failures") == "2" and suite.get("time") == "0.250"


def test_junit_maps_statuses_and_names_cases():
    root = ET.fromstring(render(nasty_report(), "junit"))
    cases = {c.get("name"): c for c in root.iter("testcase")}
    fail = cases["framework.arch-match"].find("failure")
    assert fail.get("message").startswith('path C:\\x "quoted" 100% done,')
    assert "\x07" not in fail.get("message")  # not representable in XML 1.0: replaced
    assert "/torch/x/build.property" in fail.text and "<b>&" in fail.text and "fix: regenerate" in fail.text
    assert cases["framework.arch-match"].get("classname") == "mlu-doctor.framework"
    assert cases["driver.cnmon"].find("error") is not None
    assert cases["dataset.coco"].find("skipped").get("message").startswith("not checked")
    assert list(cases["device.present"]) == []
    warn = cases["env.torch-home"]
    assert warn.find("failure") is None and "WARN" in warn.find("system-out").text
    acked = cases["toolkit.version"]
    assert acked.find("failure") is None and "JIRA-1" in acked.find("system-out").text
    assert 'device.nodes [container:train "a"\\b]' in cases


def test_junit_fail_on_warn_turns_warnings_into_failures(junit_schema):
    text = render(nasty_report(), "junit", fail_on=Status.WARN)
    junit_schema.validate(text)
    case = next(c for c in ET.fromstring(text).iter("testcase") if c.get("name") == "env.torch-home")
    assert case.find("failure").get("message") == "TORCH_HOME is unset"


def test_junit_of_an_empty_report_is_valid(junit_schema):
    junit_schema.validate(render(Report(findings=()), "junit"))


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


# --- Prometheus -----------------------------------------------------------------------------


def families(text: str) -> dict:
    return {f.name: f for f in text_string_to_metric_families(text)}


def test_prometheus_parses_with_the_reference_parser():
    text = render(nasty_report(), "prometheus", duration=1.5, timestamp=1700000000.0)
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
    info = families(render(nasty_report(facts), "prometheus"))["mlu_doctor_info"].samples[0]
    assert info.labels == {"device": "MLU220-M2", "driver": "4.6.9", "toolkit": "unknown",
                           "framework": "torch 1.3.0a0+b8a5f1d", "version": "0.1.0", "target": "host"}


def test_prometheus_fail_on_warn_and_no_facts():
    fams = families(render(Report(findings=(Finding("env.x", Status.WARN, "w"),)), "prometheus", fail_on=Status.WARN))
    assert fams["mlu_doctor_check_ok"].samples[0].value == 0
    assert fams["mlu_doctor_info"].samples[0].labels["device"] == "unknown"


def test_all_formats_registered():
    assert {"human", "json", "junit", "github", "prometheus"} <= set(FORMATS)


# --- node-problem-detector ------------------------------------------------------------------


def test_npd_verdicts():
    code, line = verdict(nasty_report())
    assert code == 1 and line.startswith("framework.arch-match (+1 more): path") and len(line) <= 80
    assert "\n" not in line and "\r" not in line
    ok = Report(findings=(Finding("device.present", Status.OK, "fine"), Finding("env.x", Status.WARN, "w")))
    assert verdict(ok)[0] == 0 and verdict(ok, Status.WARN)[0] == 1
    crashed = Report(findings=(Finding("device.present", Status.OK, "fine"), Finding("driver.x", Status.ERROR, "boom")))
    assert verdict(crashed)[0] == 2
    assert len(verdict(nasty_report(), limit=20)[1]) == 20


def test_the_schema_rejects_what_junit_consumers_reject(junit_schema):
    good = render(nasty_report(), "junit")
    for bad in (good.replace('<testcase name="device.present"', "<testcase"),  # a case needs a name
                good.replace('tests="7" failures', 'tests="many" failures'),
                good.replace("<properties>", "<properties><bogus/>")):
        assert not junit_schema.is_valid(bad)
