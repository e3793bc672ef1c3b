"""Renderers: every output format consumes the same Report."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mlu_doctor.models import Report

FORMATS: dict[str, str] = {
    "human": "mlu_doctor.report.human:render",
    "json": "mlu_doctor.report.json_report:render",
    "junit": "mlu_doctor.report.junit:render",
    "github": "mlu_doctor.report.github:render",
    "prometheus": "mlu_doctor.report.prometheus:render",
    "markdown": "mlu_doctor.report.markdown:render",
}


def render(report: Report, fmt: str, **options: Any) -> str:
    """Render `report` as `fmt` text (the human renderer may print rich output itself and return '')."""
    module, func = FORMATS[fmt].split(":")
    return getattr(importlib.import_module(module), func)(report, **options)
