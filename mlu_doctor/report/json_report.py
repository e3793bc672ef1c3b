"""The versioned JSON envelope of `check --format json`."""

from __future__ import annotations

import json
from typing import Any

from mlu_doctor import __version__
from mlu_doctor.models import Report
from mlu_doctor.serde import to_data

SCHEMA_VERSION = 1


def envelope(report: Report) -> dict:
    counts = report.counts()
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "mlu-doctor", "version": __version__},
        "findings": [to_data(f) for f in report.findings],
        "facts": to_data(report.facts) if report.facts is not None else None,
        "summary": {
            **counts,
            "worst": report.worst().label,
            "acknowledged": sum(1 for f in report.findings if f.acknowledged),
            **report.meta,
        },
    }


def render(report: Report, **_options: Any) -> str:
    return json.dumps(envelope(report), indent=2, ensure_ascii=False) + "\n"
