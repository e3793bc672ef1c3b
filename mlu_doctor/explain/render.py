"""Explain output: plain text for people, the JSON envelope for tools."""

from __future__ import annotations

from typing import Any

from mlu_doctor.explain import Explained, next_steps
from mlu_doctor.explain.context import describe
from mlu_doctor.explain.scan import Match
from mlu_doctor.findings import Finding, Status
from mlu_doctor.i18n import _
from mlu_doctor.output.envelope import Envelope
from mlu_doctor.report.human import MARK
from mlu_doctor.serde import to_data

INDENT = "      "


def _where(match: Match) -> str:
    lines = ", ".join(str(n) for n in match.lines)
    if match.count > len(match.lines):
        lines += ", ..."
    if match.count == 1:
        return _("line {lines}", lines=lines)
    return _("lines {lines} ({count} in all)", lines=lines, count=match.count)


def _block(finding: Finding, match: Match) -> list[str]:
    rows = [f"{MARK[finding.status]:<5} {finding.id}  {_where(match)}", INDENT + finding.summary]
    rows.append(INDENT + "> " + match.excerpt)
    rows.append(INDENT + _("cause: {cause}", cause=finding.details))
    rows.append(INDENT + _("fix: {remedy}", remedy=finding.remedy))
    rows.extend(INDENT + _("next: {command}", command=cmd) for cmd in next_steps(match))
    return rows


def render_human(result: Explained) -> str:
    """One block per recognised signature, then a one-line summary."""
    scan = result.scan
    seen = [_("stack seen in the log: {context}", context=describe(scan.context))] if scan.context else []
    if not result.findings:
        rows = [_("no known error signature in {source} ({lines} lines read)", source=result.source,
                  lines=scan.lines)]
        return "\n".join(rows + seen) + "\n"
    rows = []
    for finding, match in zip(result.findings, scan.matches):
        rows.extend(_block(finding, match))
        rows.append("")
    rows.append(_("{n} known problem(s) in {source} ({lines} lines read)",
                  n=len(result.findings), source=result.source, lines=scan.lines))
    return "\n".join(rows + seen + closing(result)) + "\n"


def exit_code(result: Explained) -> int:
    """1 when a failure was recognised; warnings alone (operators on the CPU, CNCL without RDMA) give 0."""
    return 1 if any(f.status >= Status.FAIL for f in result.findings) else 0


def closing(result: Explained) -> list[str]:
    """Why the exit code is what it is, and the first thing to do about the worst problem recognised."""
    pairs = sorted(zip(result.findings, result.scan.matches), key=lambda pair: -pair[0].status)
    failures = [f.id for f, _m in pairs if f.status >= Status.FAIL]
    if failures:
        why = _("1 failure recognised ({ids})", ids=failures[0]) if len(failures) == 1 else \
            _("{n} failures recognised ({ids})", n=len(failures), ids=", ".join(failures))
    else:
        why = _("warnings only, no failure recognised ({ids})", ids=", ".join(f.id for f, _m in pairs))
    worst, match = pairs[0]
    steps = next_steps(match)
    step = _("Next: run `{command}` (for {id})", command=steps[0], id=worst.id) if steps else \
        _("Next ({id}): {remedy}", id=worst.id, remedy=worst.remedy)
    if len(pairs) > 1:
        step += "; " + _("the blocks above say what to do about the others")
    return [_("exit {code}: {why}", code=exit_code(result), why=why), step]


def envelope(result: Explained) -> Envelope:
    """The `explain` envelope: the log read, findings (with lines, count, captures, next), context, a
    summary."""
    findings: list[dict[str, Any]] = []
    for finding, match in zip(result.findings, result.scan.matches):
        data = to_data(finding)
        data.update(lines=match.lines, count=match.count, captures=match.captures, next=next_steps(match))
        findings.append(data)
    counts = {s.label: sum(1 for f in result.findings if f.status == s) for s in Status}
    worst = max((f.status for f in result.findings), default=Status.OK)
    return Envelope("explain", {
        "source": result.source,
        "findings": findings,
        "context": dict(result.scan.context),
        "summary": {**counts, "worst": worst.label, "recognised": len(findings),
                    "lines_read": result.scan.lines, "bytes_read": result.scan.bytes},
    })


def render_json(result: Explained) -> str:
    return envelope(result).to_json()


FORMATS = {"human": render_human, "json": render_json}
