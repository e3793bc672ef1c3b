"""JUnit XML: valid against tests/data/junit.xsd, statuses mapped to test cases, --fail-on warn, and what the schema rejects."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
import xmlschema

from mlu_doctor.findings import Report, Status
from mlu_doctor.report import render
from tests.kit.files import DATA
from tests.kit.reports import nasty_report

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


def test_the_schema_rejects_what_junit_consumers_reject(junit_schema):
    good = render(nasty_report(), "junit")
    for bad in (good.replace('<testcase name="device.present"', "<testcase"),  # a case needs a name
                good.replace('tests="7" failures', 'tests="many" failures'),
                good.replace("<properties>", "<properties><bogus/>")):
        assert not junit_schema.is_valid(bad)
