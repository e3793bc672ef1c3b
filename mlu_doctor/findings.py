"""Findings and reports: the data every renderer consumes."""

from __future__ import annotations

from dataclasses import field
from enum import IntEnum
from typing import Any

from mlu_doctor.records import record as dataclass  # a dataclass with shared eq/repr: faster import


class Status(IntEnum):
    """Finding status, ordered by severity."""

    OK = 0
    SKIP = 1
    WARN = 2
    FAIL = 3
    ERROR = 4

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Status:
        return cls[text.strip().upper()]


@dataclass(frozen=True)
class Evidence:
    """What was read or run, with an excerpt."""

    source: str
    excerpt: str = ""


@dataclass(frozen=True)
class Finding:
    """The result of one check."""

    id: str
    status: Status
    summary: str
    details: str = ""
    evidence: tuple[Evidence, ...] = ()
    remedy: str = ""
    recipe: str | None = None
    scope: str = "host"
    acknowledged: str | None = None

    @property
    def counts(self) -> bool:
        """Whether this finding can make the exit code non-zero (not acknowledged)."""
        return self.acknowledged is None


def finding(status: Status, summary: str, **kw: Any) -> Finding:
    """Build a finding inside a check; the runner fills in the id."""
    ev = kw.pop("evidence", ())
    return Finding(id="", status=status, summary=summary, evidence=tuple(ev), **kw)


def ok(summary: str, **kw: Any) -> Finding:
    return finding(Status.OK, summary, **kw)


def skip(summary: str, **kw: Any) -> Finding:
    return finding(Status.SKIP, summary, **kw)


def warn(summary: str, **kw: Any) -> Finding:
    return finding(Status.WARN, summary, **kw)


def fail(summary: str, **kw: Any) -> Finding:
    return finding(Status.FAIL, summary, **kw)


@dataclass(frozen=True)
class Report:
    """Findings plus the facts they were computed from."""

    findings: tuple[Finding, ...]
    facts: Any = None
    meta: dict[str, Any] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        out = {s.label: 0 for s in Status}
        for f in self.findings:
            out[f.status.label] += 1
        return out

    def worst(self, include_acknowledged: bool = False) -> Status:
        relevant = [f.status for f in self.findings if include_acknowledged or f.counts]
        return max(relevant, default=Status.OK)

    def failing(self, threshold: Status) -> list[Finding]:
        """Findings at or above `threshold` that are not acknowledged."""
        return [f for f in self.findings if f.counts and f.status >= threshold]
