"""node-problem-detector custom-plugin protocol: exit 0 OK, 1 problem, 2 unknown; one short stdout line."""

from __future__ import annotations

from mlu_doctor.findings import Report
from mlu_doctor.i18n import _
from mlu_doctor.report.health import PROBLEM, UNKNOWN, FailOn, judge

OK_CODE, PROBLEM_CODE, UNKNOWN_CODE = 0, 1, 2
MAX_LENGTH = 80  # NPD's default max_output_length


def one_line(text: str, limit: int = MAX_LENGTH) -> str:
    """Collapse whitespace and cut to `limit` characters (marking the cut with '...')."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: max(limit - 3, 0)] + "..." if limit > 3 else text[:limit]


def _more(n: int) -> str:
    return _(" (+{n} more)", n=n - 1) if n > 1 else ""


def verdict(report: Report, fail_on: FailOn = None, limit: int = MAX_LENGTH) -> tuple[int, str]:
    """(exit code, message): a problem -> 1; else a check that could not judge (skip, crash) or none ran -> 2;
    else 0. Unknown is never reported healthy."""
    judged = judge(report, fail_on)
    if judged.state == PROBLEM:
        worst = judged.problems[0]
        return PROBLEM_CODE, one_line(f"{worst.id}{_more(len(judged.problems))}: {worst.summary}", limit)
    if judged.state == UNKNOWN and judged.unjudged:
        first = judged.unjudged[0]
        return UNKNOWN_CODE, one_line(_("{id}{more} could not be checked: {summary}", id=first.id,
                                        more=_more(len(judged.unjudged)), summary=first.summary), limit)
    if judged.state == UNKNOWN:
        return UNKNOWN_CODE, one_line(_("no checks ran: nothing is known about this node"), limit)
    return OK_CODE, one_line(_("MLU node healthy: {n} checks, none failing", n=len(report.findings)), limit)
