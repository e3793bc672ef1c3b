"""The fleet verdict of a run: healthy, problem or unknown. Unknown is never healthy.

A finding that could not be judged (skipped for lack of evidence, or a crashed check) makes the run
`unknown` unless some other finding is a problem: a monitor that knows nothing must say so, not report health.
"""

from __future__ import annotations

from typing import Optional, Union

from mlu_doctor.findings import Finding, Report, Status
from mlu_doctor.records import record as dataclass  # shared eq/repr: faster import
from mlu_doctor.report.info import is_unjudged, threshold

HEALTHY, PROBLEM, UNKNOWN = "healthy", "problem", "unknown"
STATES = (HEALTHY, PROBLEM, UNKNOWN)
FailOn = Optional[Union[Status, str]]


def finding_state(f: Finding, fail_on: FailOn = None) -> str:
    """healthy, problem (warn/fail at the threshold) or unknown (skip, or a crash) for one finding."""
    if is_unjudged(f):
        return UNKNOWN
    if f.counts and f.status >= threshold(fail_on):
        return PROBLEM
    return HEALTHY


@dataclass(frozen=True)
class Verdict:
    """The state of a run, the problems (worst first) and the findings that could not be judged."""

    state: str
    problems: tuple[Finding, ...] = ()
    unjudged: tuple[Finding, ...] = ()


def judge(report: Report, fail_on: FailOn = None) -> Verdict:
    """problem if any finding is one; else unknown if any could not be judged (or none ran); else healthy."""
    states = [(f, finding_state(f, fail_on)) for f in report.findings]
    problems = tuple(sorted((f for f, s in states if s == PROBLEM), key=lambda f: -f.status))
    unjudged = tuple(f for f, s in states if s == UNKNOWN)
    if problems:
        return Verdict(PROBLEM, problems, unjudged)
    if unjudged or not report.findings:
        return Verdict(UNKNOWN, problems, unjudged)
    return Verdict(HEALTHY)
