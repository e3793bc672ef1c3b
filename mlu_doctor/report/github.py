"""GitHub Actions workflow commands: `::error title=<id>::<summary>` annotations on the run."""

from __future__ import annotations

from typing import Any

from mlu_doctor.findings import Finding, Report, Status
from mlu_doctor.i18n import _
from mlu_doctor.report.info import is_problem


def escape_data(text: str) -> str:
    """Escape a command's message: %, CR and LF (as the Actions runner unescapes them)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value: the message escapes plus `:` and `,`."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(kind: str, message: str, **props: str) -> str:
    """One workflow command line, e.g. `::warning title=env.torch-home::TORCH_HOME is unset`."""
    args = ",".join(f"{k}={escape_property(v)}" for k, v in props.items() if v)
    return f"::{kind}{' ' + args if args else ''}::{escape_data(message)}"


def message(f: Finding) -> str:
    text = f.summary if f.scope == "host" else f"[{f.scope}] {f.summary}"
    if f.acknowledged:
        text += "\n" + _("acknowledged: {reason}", reason=f.acknowledged)
    if f.remedy and f.status >= Status.WARN:
        text += "\n" + _("fix: {remedy}", remedy=f.remedy)
    return text


def kind_of(f: Finding, fail_on: Status | str | None, notices: bool) -> str | None:
    """error for problems at the threshold, warning below it, notice for acknowledged (and ok with
    notices)."""
    if f.acknowledged and f.status >= Status.WARN:
        return "notice"
    if is_problem(f, fail_on) or f.status is Status.ERROR:
        return "error"
    if f.status is Status.WARN:
        return "warning"
    return "notice" if notices and f.status is Status.OK else None


def render(report: Report, fail_on: Status | str | None = None, notices: bool = False,
           **_options: Any) -> str:
    """Annotations for warn/fail/error findings, then one plain summary line."""
    from mlu_doctor.report.human import summary_line

    lines = []
    for f in report.findings:
        kind = kind_of(f, fail_on, notices)
        if kind:
            lines.append(command(kind, message(f), title=f.id))
    lines.append(f"mlu-doctor: {summary_line(report)}")
    return "\n".join(lines) + "\n"
