"""JUnit XML: one testcase per check, for CI systems (Jenkins, GitLab, Azure, GitHub test reporters)."""

from __future__ import annotations

import re
import socket
import time
import xml.etree.ElementTree as ET
from typing import Any

from mlu_doctor.findings import Finding, Report, Status
from mlu_doctor.i18n import _
from mlu_doctor.report.info import area, is_problem, system_info

# Characters XML 1.0 cannot carry, even escaped.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: str) -> str:
    return _INVALID_XML.sub("\ufffd", text)


def case_name(f: Finding) -> str:
    return f.id if f.scope == "host" else f"{f.id} [{f.scope}]"


def body(f: Finding) -> str:
    """Details, remedy and evidence as the text of a failure/error/skipped element."""
    parts = [f.summary]
    if f.details:
        parts.append(f.details)
    if f.remedy:
        parts.append(_("fix: {remedy}", remedy=f.remedy))
    if f.recipe:
        parts.append(_("recipe: mlu-doctor fix {recipe}", recipe=f.recipe))
    for ev in f.evidence:
        parts.append(f"[{ev.source}]\n{ev.excerpt}".rstrip())
    return clean("\n\n".join(parts))


def testcase(f: Finding, fail_on: Status | str | None) -> tuple[ET.Element, str]:
    """The <testcase> of a finding and its outcome: passed, failure, error or skipped."""
    case = ET.Element("testcase", name=clean(case_name(f)), classname=f"mlu-doctor.{area(f.id)}", time="0")
    outcome = "passed"
    if f.status is Status.ERROR and f.counts:
        outcome = "error"
    elif f.status is Status.SKIP:
        outcome = "skipped"
    elif is_problem(f, fail_on):
        outcome = "failure"
    if outcome != "passed":
        child = ET.SubElement(case, outcome, message=clean(f.summary))
        if outcome != "skipped":
            child.set("type", f"{f.id} {f.status.label}")
        child.text = body(f)
    elif f.status >= Status.WARN or f.acknowledged:
        note = ET.SubElement(case, "system-out")
        ack = _("acknowledged: {reason}", reason=f.acknowledged) + "\n" if f.acknowledged else ""
        note.text = f"{f.status.label.upper()}: {ack}" + body(f)
    return case, outcome


def render(report: Report, fail_on: Status | str | None = None, duration: float | None = None,
           timestamp: float | None = None, **_options: Any) -> str:
    """A <testsuites> document with one <testsuite> named mlu-doctor."""
    info = system_info(report)
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(timestamp or time.time()))
    elapsed = f"{duration or 0:.3f}"
    counts = {"tests": 0, "failure": 0, "error": 0, "skipped": 0}
    suite = ET.Element("testsuite", name="mlu-doctor", timestamp=stamp, hostname=socket.gethostname()
                       or "localhost", time=elapsed)
    props = ET.SubElement(suite, "properties")
    for key, value in info.items():
        ET.SubElement(props, "property", name=key, value=clean(value))
    for f in report.findings:
        case, outcome = testcase(f, fail_on)
        suite.append(case)
        counts["tests"] += 1
        counts[outcome] = counts.get(outcome, 0) + 1
    attrs = {"tests": counts["tests"], "failures": counts["failure"], "errors": counts["error"]}
    for key, n in attrs.items():
        suite.set(key, str(n))
    suite.set("skipped", str(counts["skipped"]))
    root = ET.Element("testsuites",
                      {"name": "mlu-doctor", "time": elapsed, **{k: str(v) for k, v in attrs.items()}})
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
