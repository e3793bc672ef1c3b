"""A report whose texts break naive renderers: quotes, CR/LF, a BEL, percent signs, CJK, a fake workflow command."""

from __future__ import annotations

from mlu_doctor.findings import Evidence, Finding, Report, Status

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
