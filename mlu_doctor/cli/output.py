"""Where a rendered check report goes: stdout, or a file written atomically while stdout gets the human
report."""

from __future__ import annotations

import sys
from typing import Any

from mlu_doctor.errors import UsageError
from mlu_doctor.findings import Report, Status
from mlu_doctor.i18n import _
from mlu_doctor.report import render

FAIL_ON = {"warn": Status.WARN, "fail": Status.FAIL}


def fail_on_status(fail_on: str | None, strict: bool) -> Status:
    """--fail-on warn|fail (default fail); --strict means --fail-on warn."""
    if fail_on is None:
        return Status.WARN if strict else Status.FAIL
    if fail_on not in FAIL_ON:
        raise UsageError(_("--fail-on must be one of: {choices}", choices=", ".join(FAIL_ON)))
    if strict and fail_on != "warn":
        raise UsageError(_("--strict means --fail-on warn; it contradicts --fail-on {value}", value=fail_on))
    return FAIL_ON[fail_on]


def emit(report: Report, fmt: str, output: str | None, verbose: bool = False, **options: Any) -> None:
    """Render `fmt` to stdout, or to `output` atomically (never coloured) while stdout gets the human
    report."""
    if not output or output == "-":
        sys.stdout.write(render(report, fmt, verbose=verbose, stream=sys.stdout, **options))
        return
    from mlu_doctor.output.files import write_atomic

    write_atomic(output, render(report, fmt, verbose=verbose, stream=None, **options))
    sys.stdout.write(render(report, "human", verbose=verbose, stream=sys.stdout, **options))
    sys.stderr.write(_("mlu-doctor: wrote the {fmt} report to {path}", fmt=fmt, path=output) + "\n")
