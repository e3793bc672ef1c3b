"""`check --format json`: the report in the JSON envelope (findings, facts, summary)."""

from __future__ import annotations

from typing import Any

from mlu_doctor.findings import Report
from mlu_doctor.output.envelope import Envelope
from mlu_doctor.serde import to_data


def report_data(report: Report) -> dict[str, Any]:
    """The report's keys: findings, facts (None when not gathered) and a summary (counts, worst, run meta)."""
    counts = report.counts()
    return {
        "findings": [to_data(f) for f in report.findings],
        "facts": to_data(report.facts) if report.facts is not None else None,
        "summary": {
            **counts,
            "worst": report.worst().label,
            "acknowledged": sum(1 for f in report.findings if f.acknowledged),
            **report.meta,
        },
    }


def envelope(report: Report, kind: str = "check", **extra: Any) -> Envelope:
    """The envelope of a report: `check` output, or the JSON beside a `report` bundle (with its
    environment)."""
    return Envelope(kind, {**report_data(report), **extra})


def render(report: Report, **_options: Any) -> str:
    return envelope(report).to_json()
