"""runtime.import / runtime.device-op on constructed runtime facts (what the child reported)."""

from __future__ import annotations

from mlu_doctor.checks.runner import run_check
from mlu_doctor.checks.runtime import runtime_device_op, runtime_import
from mlu_doctor.config import Config
from mlu_doctor.facts.model import Facts, RuntimeFacts, RuntimeStage
from mlu_doctor.findings import Status

OK_IMPORT = [RuntimeStage("python", True, "3.10.12"), RuntimeStage("import torch", True, "2.1.0"),
             RuntimeStage("import torch_mlu", True, "1.22.2"), RuntimeStage("torch_mlu.core", True, "absent")]


def rt(stages, **kw):
    kw.setdefault("status", "ran")
    return RuntimeFacts(python="/usr/bin/python3", command="/usr/bin/python3 -c <w>", timeout=20.0, seconds=3.1,
                        returncode=kw.pop("returncode", 0), stages=list(stages), torch_version="2.1.0",
                        torch_mlu_version="1.22.2", **kw)


def both(r):
    f = Facts(runtime=r)
    return run_check(runtime_import, f, Config()), run_check(runtime_device_op, f, Config())


def test_not_requested_and_not_runnable_are_skips_that_say_why():
    imp, op = both(RuntimeFacts())
    assert imp.status is Status.SKIP and "check --runtime" in imp.summary and op.status is Status.SKIP
    imp, _ = both(RuntimeFacts(status="no-interpreter", reason="no interpreter to run: give --python PATH"))
    assert imp.status is Status.SKIP and "give --python" in imp.summary


def test_hang_during_the_device_op():
    r = rt([*OK_IMPORT, RuntimeStage("devices", True, "1 device(s)")], status="timeout", returncode=None,
           stderr={"device op": "[cnrtError] cnQueueSync\n"}, device_names=["MLU370-X8"], device_count=1)
    imp, op = both(r)
    assert imp.status is Status.OK
    assert op.status is Status.FAIL and op.summary.startswith("device op did not finish within 20.0 s")


def test_device_op_error_text_becomes_the_finding():
    r = rt([*OK_IMPORT, RuntimeStage("devices", True), RuntimeStage("device op", False, error="RuntimeError: MLU error")],
           device_count=1)
    _, op = both(r)
    assert op.status is Status.FAIL and op.summary == "adding two tensors on mlu:0 failed: RuntimeError: MLU error"


def test_wrong_numbers_fail():
    r = rt([*OK_IMPORT, RuntimeStage("devices", True), RuntimeStage("device op", False)], op_result=[0.0, 0.0, 0.0])
    _, op = both(r)
    assert op.status is Status.FAIL and "gave [0.0, 0.0, 0.0]" in op.summary


def test_cndev_no_driver_while_listing_devices_is_the_explain_finding():
    r = rt([*OK_IMPORT, RuntimeStage("devices", False, "0 device(s)")], is_available=False, device_count=0,
           stderr={"devices": "cndev init failed: CNDEV_ERROR_NO_DRIVER.\n"})
    _, op = both(r)
    assert op.status is Status.FAIL and op.summary.startswith("no Cambricon driver is visible")
    assert "torch.mlu.is_available() is False" in op.details


def test_a_crash_before_any_stage():
    r = rt([], returncode=-11, stderr={"python": "Segmentation fault\n"})
    imp, op = both(r)
    assert imp.status is Status.FAIL and imp.summary == "/usr/bin/python3 exited -11 before the probe started: Segmentation fault"
    assert op.status is Status.SKIP
