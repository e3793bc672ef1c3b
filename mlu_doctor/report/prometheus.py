"""Prometheus text exposition for node_exporter's textfile collector (no timestamps: the collector rejects them)."""

from __future__ import annotations

import time

from mlu_doctor.models import Finding, Report, Status
from mlu_doctor.report.info import is_problem, system_info

PREFIX = "mlu_doctor"
ENCODING = ", ".join(f"{s.value}={s.label}" for s in Status)


def escape_label(value: str) -> str:
    """Label values escape backslash, double quote and newline."""
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def escape_help(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\n", "\\n")


def sample(name: str, labels: dict[str, str], value: float) -> str:
    inner = ",".join(f'{k}="{escape_label(str(v))}"' for k, v in labels.items())
    number = repr(float(value)) if isinstance(value, float) and not value.is_integer() else str(int(value))
    return f"{PREFIX}_{name}{{{inner}}} {number}" if inner else f"{PREFIX}_{name} {number}"


def family(name: str, help_text: str, samples: list[str]) -> list[str]:
    return [f"# HELP {PREFIX}_{name} {escape_help(help_text)}", f"# TYPE {PREFIX}_{name} gauge", *samples]


def _labels(f: Finding) -> dict[str, str]:
    return {"check": f.id, "scope": f.scope}


def _ok(f: Finding, fail_on) -> int:
    """1 unless the finding is a problem at the threshold or an unacknowledged crash."""
    return int(not is_problem(f, fail_on) and not (f.status is Status.ERROR and f.counts))


def check_families(report: Report, fail_on) -> list[str]:
    fs = report.findings
    return [
        *family("check_status", f"Status of each check ({ENCODING}).",
                [sample("check_status", _labels(f), int(f.status)) for f in fs]),
        *family("check_state", "One-hot status of each check: 1 for its current status label, else 0.",
                [sample("check_state", {**_labels(f), "status": s.label}, int(f.status is s)) for f in fs for s in Status]),
        *family("check_ok", "1 when the check found no problem at the --fail-on threshold (acknowledged findings count as ok).",
                [sample("check_ok", _labels(f), _ok(f, fail_on)) for f in fs]),
        *family("check_acknowledged", "1 when the finding is acknowledged in .mlu-doctor.yaml.",
                [sample("check_acknowledged", _labels(f), int(bool(f.acknowledged))) for f in fs]),
    ]


def run_families(report: Report, fail_on, duration: float | None, timestamp: float | None) -> list[str]:
    counts = report.counts()
    healthy = not any(is_problem(f, fail_on) for f in report.findings)
    return [
        *family("findings", "Number of findings by status.",
                [sample("findings", {"status": s.label}, counts[s.label]) for s in Status]),
        *family("healthy", "1 when no finding reaches the --fail-on threshold (the exit code would be 0).",
                [sample("healthy", {}, int(healthy))]),
        *family("info", "The system checked: cards, driver, toolkit and framework versions, mlu-doctor version.",
                [sample("info", system_info(report), 1)]),
        *family("last_run_timestamp_seconds", "Unix time when the checks finished.",
                [sample("last_run_timestamp_seconds", {}, round(timestamp or time.time(), 3))]),
        *family("run_duration_seconds", "Seconds the checks took (facts gathering included).",
                [sample("run_duration_seconds", {}, round(duration or 0.0, 4))]),
    ]


def render(report: Report, fail_on=None, duration: float | None = None, timestamp: float | None = None,
           **_options) -> str:
    """The whole textfile: per-check gauges, then run-level gauges."""
    lines = check_families(report, fail_on) + run_families(report, fail_on, duration, timestamp)
    return "\n".join(lines) + "\n"
