"""framework.requirements on constructed facts: every declared requirement against the installed version."""

from __future__ import annotations

import pytest

from mlu_doctor.checks.requirements import framework_requirements
from mlu_doctor.checks.runner import run_check
from mlu_doctor.config import Config
from mlu_doctor.facts.model import (
    DriverFacts,
    Evidence,
    Facts,
    FrameworkFacts,
    InstalledVersion,
    LinkageFacts,
    Requirement,
    ToolkitFacts,
)
from mlu_doctor.findings import Status

PROP = "file:/site/torch_mlu/share/build.property"


def facts(reqs, driver=None, components=None, linkage=None, catch=None, python="3.10"):
    fw = FrameworkFacts(torch_mlu_path="/site/torch_mlu", torch_mlu_version=None if catch else "1.22.2",
                        catch_version=catch, python_version=python, linkage=linkage,
                        requirements=[Requirement(k, v, PROP) for k, v in reqs.items()])
    drv = DriverFacts(versions={"proc": driver} if driver else {},
                      evidence=[Evidence("file:/proc/driver/cambricon/mlus/0000:1b:00.0/information", "v")])
    tk = ToolkitFacts(components={k: [InstalledVersion(v, f"file:/n/lib{k}.so.{v}")] for k, v in (components or {}).items()})
    return Facts(framework=fw, driver=drv, toolkit=tk)


def run(f):
    return run_check(framework_requirements, f, Config())


def test_cnnl_newer_than_installed_fails_with_both_versions_and_sources():
    f = run(facts({"driver": "6.2.0-1", "cnnl": "1.26.6-1"}, driver="6.2.1", components={"cnnl": "1.21.1"}))
    assert f.status is Status.FAIL and f.summary == "torch_mlu 1.22.2 needs newer components: CNNL 1.21.1 < 1.26.6-1"
    assert f"CNNL: torch_mlu 1.22.2 needs 1.26.6-1 ({PROP}); installed 1.21.1 (file:/n/libcnnl.so.1.21.1)" in f.details
    assert "Install CNNL 1.26.6-1 or later" in f.remedy


@pytest.mark.parametrize("have, need, met", [
    ("4.15.14", "4.20.4-1", False), ("4.20.4", "4.20.4-1", True), ("5.10.10", "5.10.22-1", False),
    ("6.2.0", "6.2.0-1", True), ("10.0.0", "9.9.9-1", True),
])
def test_package_suffixes_compare_right(have, need, met):
    f = run(facts({"driver": need}, driver=have))
    assert (f.status is Status.OK) is met, f.summary


def test_driver_too_old_names_the_newest_release_the_driver_runs():
    f = run(facts({"driver": "6.2.0-1"}, driver="5.10.22"))
    assert f.status is Status.FAIL and "driver 5.10.22 < 6.2.0-1" in f.summary
    assert "Upgrade the host driver to 6.2.0-1" in f.remedy
    assert "newest torch_mlu release in mlu-doctor's compatibility data that it runs is 1.17.0 (torch 1.13.1" in f.remedy
    assert "github.com" in f.remedy


def test_catch_compares_the_driver_major_minor_only():
    assert run(facts({"driver": "4.15.12-1"}, driver="4.15.9", catch="1.1.2")).status is Status.OK
    assert run(facts({"driver": "4.15.12-1"}, driver="4.14.9", catch="1.1.2")).status is Status.FAIL


def test_the_loaded_library_beats_the_file_list():
    lk = LinkageFacts(resolved={"libcnnl.so.1": "/opt/old/libcnnl.so.1.10.2"})
    f = run(facts({"cnnl": "1.10.3-1"}, components={"cnnl": "1.21.1"}, linkage=lk))
    assert f.status is Status.FAIL and "CNNL 1.10.2 < 1.10.3-1" in f.summary
    assert "what the loader resolves libcnnl.so.1 to" in f.details


def test_python_from_the_extension_module_name():
    lk = LinkageFacts(roots=["/site/torch_mlu/_MLUC.cpython-310-x86_64-linux-gnu.so"])
    assert run(facts({}, linkage=lk, python="3.10")).status is Status.OK
    f = run(facts({}, linkage=lk, python="3.8"))
    assert f.status is Status.FAIL and "Python 3.8 < 3.10" in f.summary and "Run it with Python 3.10" in f.remedy


def test_unknown_installed_versions_are_said_not_passed():
    f = run(facts({"cnnl": "1.26.6-1", "cncl": "1.21.0-1"}))
    assert f.status is Status.SKIP and "no installed version could be read: CNNL, CNCL" in f.summary
    f = run(facts({"cnnl": "1.26.6-1", "cncl": "1.21.0-1"}, components={"cnnl": "1.26.6"}))
    assert f.status is Status.OK and "unknown: CNCL" in f.summary


def test_no_build_property_is_a_skip():
    assert run(facts({})).status is Status.SKIP
