"""Prometheus text exposition for node_exporter's textfile collector (no timestamps: the collector rejects
them)."""

from __future__ import annotations

import time

from mlu_doctor.findings import Finding, Report, Status
from mlu_doctor.report.health import STATES, FailOn, finding_state, judge
from mlu_doctor.report.info import system_info

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


def check_families(report: Report, fail_on: FailOn) -> list[str]:
    fs = report.findings
    state = {id(f): finding_state(f, fail_on) for f in fs}
    return [
        *family("check_status", f"Status of each check ({ENCODING}).",
                [sample("check_status", _labels(f), int(f.status)) for f in fs]),
        *family("check_state", "One-hot status of each check: 1 for its current status label, else 0.",
                [sample("check_state", {**_labels(f), "status": s.label}, int(f.status is s)) for f in fs
                 for s in Status]),
        *family("check_health",
                "One-hot verdict of each check: healthy, problem (at the --fail-on threshold) "
                "or unknown (skipped for lack of evidence, or crashed).",
                [sample("check_health", {**_labels(f), "state": s}, int(state[id(f)] == s)) for f in fs
                 for s in STATES]),
        *family("check_ok", "1 when the check was judged and found no problem at the --fail-on threshold "
                "(acknowledged findings count as ok); 0 for problems and for checks that could not judge.",
                [sample("check_ok", _labels(f), int(state[id(f)] == "healthy")) for f in fs]),
        *family("check_acknowledged", "1 when the finding is acknowledged in .mlu-doctor.yaml.",
                [sample("check_acknowledged", _labels(f), int(bool(f.acknowledged))) for f in fs]),
    ]


def run_families(report: Report, fail_on: FailOn, duration: float | None,
                 timestamp: float | None) -> list[str]:
    counts = report.counts()
    verdict = judge(report, fail_on)
    return [
        *family("findings", "Number of findings by status.",
                [sample("findings", {"status": s.label}, counts[s.label]) for s in Status]),
        *family("health",
                "One-hot verdict of the run: problem if any check is one, else unknown if any check "
                "could not judge (or none ran), else healthy.",
                [sample("health", {"state": s}, int(verdict.state == s)) for s in STATES]),
        *family("healthy",
                "1 only when every check was judged and none found a problem (unknown is never healthy).",
                [sample("healthy", {}, int(verdict.state == "healthy"))]),
        *family("info", "The system checked: cards, driver, toolkit and framework versions, mlu-doctor "
                        "version.",
                [sample("info", system_info(report), 1)]),
        *family("last_run_timestamp_seconds", "Unix time when the checks finished (alert when it gets old).",
                [sample("last_run_timestamp_seconds", {}, round(timestamp or time.time(), 3))]),
        *family("run_duration_seconds", "Seconds the checks took (facts gathering included).",
                [sample("run_duration_seconds", {}, round(duration or 0.0, 4))]),
    ]


def render(report: Report, fail_on: FailOn = None, duration: float | None = None,
           timestamp: float | None = None, **_options: object) -> str:
    """The whole textfile: per-check gauges, then run-level gauges."""
    lines = check_families(report, fail_on) + run_families(report, fail_on, duration, timestamp)
    return "\n".join(lines) + "\n"
