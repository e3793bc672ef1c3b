"""Human output: a rich table on a terminal, plain aligned text elsewhere (or with NO_COLOR)."""

from __future__ import annotations

import os
import sys
from typing import TextIO

from mlu_doctor.i18n import _
from mlu_doctor.models import Finding, Report, Status

MARK = {Status.OK: "ok", Status.SKIP: "skip", Status.WARN: "WARN", Status.FAIL: "FAIL", Status.ERROR: "ERROR"}
STYLE = {Status.OK: "green", Status.SKIP: "dim", Status.WARN: "yellow", Status.FAIL: "bold red", Status.ERROR: "bold magenta"}


def use_rich(stream: TextIO) -> bool:
    return stream.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def summary_line(report: Report) -> str:
    counts = report.counts()
    parts = [f"{counts[s.label]} {s.label}" for s in sorted(Status, reverse=True) if counts[s.label]]
    acked = sum(1 for f in report.findings if f.acknowledged)
    if acked:
        parts.append(_("{n} acknowledged", n=acked))
    return ", ".join(parts) or _("no checks ran")


def _title(report: Report) -> str:
    facts = report.facts
    where = getattr(facts, "target", "host") if facts is not None else "host"
    root = getattr(facts, "root", "/") if facts is not None else "/"
    extra = f" (root {root})" if root not in ("/", "") else ""
    return f"mlu-doctor {report.meta.get('tool_version', '')} · {where}{extra}".replace("  ", " ")


def _lines(f: Finding, verbose: bool) -> list[str]:
    out = []
    if f.acknowledged:
        out.append(_("acknowledged: {reason}", reason=f.acknowledged))
    if verbose and f.details:
        out.extend(f.details.splitlines())
    if f.remedy and f.status >= Status.WARN:
        out.append(_("fix: {remedy}", remedy=f.remedy))
    if f.recipe and f.status >= Status.WARN:
        out.append(_("recipe: mlu-doctor fix {recipe}", recipe=f.recipe))
    if verbose:
        for ev in f.evidence:
            out.append(f"[{ev.source}]")
            out.extend("  " + line for line in ev.excerpt.splitlines()[:12])
    return out


def _scope(f: Finding) -> str:
    return "" if f.scope == "host" else f"[{f.scope}] "


def render_plain(report: Report, verbose: bool = False) -> str:
    width = max((len(f.id) for f in report.findings), default=10)
    rows = [_title(report)]
    for f in report.findings:
        rows.append(f"{MARK[f.status]:<5}  {f.id:<{width}}  {_scope(f)}{f.summary}")
        rows.extend(" " * (width + 9) + line for line in _lines(f, verbose))
    rows.append(summary_line(report))
    return "\n".join(rows) + "\n"


def render_rich(report: Report, verbose: bool, stream: TextIO) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(title=_title(report), title_justify="left", show_lines=False, expand=False)
    table.add_column(_("status"), no_wrap=True)
    table.add_column(_("check"), no_wrap=True)
    table.add_column(_("finding"), overflow="fold")
    for f in report.findings:
        body = Text(_scope(f) + f.summary)
        for line in _lines(f, verbose):
            body.append("\n" + line, style="dim" if line.startswith(("[", "  ")) else "cyan")
        table.add_row(Text(MARK[f.status], style=STYLE[f.status]), f.id, body)
    console = Console(file=stream, highlight=False)
    console.print(table)
    console.print(summary_line(report))


def render(report: Report, verbose: bool = False, stream: TextIO | None = None, **_options) -> str:
    """Print rich output to a terminal stream and return ''; otherwise return plain text."""
    stream = stream or sys.stdout
    if use_rich(stream):
        render_rich(report, verbose, stream)
        return ""
    return render_plain(report, verbose)
