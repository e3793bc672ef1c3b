"""node-problem-detector custom-plugin protocol: exit 0 OK, 1 problem, 2 unknown; one short stdout line."""

from __future__ import annotations

from mlu_doctor.i18n import _
from mlu_doctor.models import Report, Status
from mlu_doctor.report.info import is_problem

OK, PROBLEM, UNKNOWN = 0, 1, 2
MAX_LENGTH = 80  # NPD's default max_output_length


def one_line(text: str, limit: int = MAX_LENGTH) -> str:
    """Collapse whitespace and cut to `limit` characters (marking the cut with '...')."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: max(limit - 3, 0)] + "..." if limit > 3 else text[:limit]


def verdict(report: Report, fail_on=None, limit: int = MAX_LENGTH) -> tuple[int, str]:
    """(exit code, message): problems at the threshold -> 1; only crashed checks -> 2; else 0."""
    problems = [f for f in report.findings if is_problem(f, fail_on) and f.status is not Status.ERROR]
    broken = [f for f in report.findings if f.status is Status.ERROR and f.counts]
    if problems:
        worst = max(problems, key=lambda f: f.status)
        more = _(" (+{n} more)", n=len(problems) - 1) if len(problems) > 1 else ""
        return PROBLEM, one_line(f"{worst.id}{more}: {worst.summary}", limit)
    if broken:
        return UNKNOWN, one_line(_("{id} could not be checked: {summary}", id=broken[0].id, summary=broken[0].summary), limit)
    return OK, one_line(_("MLU node healthy: {n} checks, none failing", n=len(report.findings)), limit)
