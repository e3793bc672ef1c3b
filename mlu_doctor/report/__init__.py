"""The check report, one module per output format; every format consumes the same Report.

human.py (rich table on a terminal, plain lines elsewhere), json.py (the JSON envelope), junit.py, github.py
(workflow annotations), prometheus.py (textfile collector), markdown.py (the `report` bundle), npd.py
(node-problem-detector); health.py and info.py hold what several formats say about a run.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mlu_doctor.findings import Report

FORMATS: dict[str, str] = {
    "human": "mlu_doctor.report.human:render",
    "json": "mlu_doctor.report.json:render",
    "junit": "mlu_doctor.report.junit:render",
    "github": "mlu_doctor.report.github:render",
    "prometheus": "mlu_doctor.report.prometheus:render",
    "markdown": "mlu_doctor.report.markdown:render",
}


def render(report: Report, fmt: str, **options: Any) -> str:
    """Render `report` as `fmt` text (the human renderer may print rich output itself and return '')."""
    module, func = FORMATS[fmt].split(":")
    text: str = getattr(importlib.import_module(module), func)(report, **options)
    return text
