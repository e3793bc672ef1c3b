"""Human output: a rich table on a terminal, plain aligned text elsewhere (or with NO_COLOR)."""

from __future__ import annotations

import os
import sys
from typing import Any, TextIO

from mlu_doctor.i18n import N_, _
from mlu_doctor.models import Finding, Report, Status
from mlu_doctor.report.health import is_unjudged

MARK = {Status.OK: "ok", Status.SKIP: "skip", Status.WARN: "WARN", Status.FAIL: "FAIL", Status.ERROR: "ERROR"}
STYLE = {Status.OK: "green", Status.SKIP: "dim", Status.WARN: "yellow", Status.FAIL: "bold red", Status.ERROR: "bold magenta"}


def use_rich(stream: TextIO) -> bool:
    return stream.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


UNJUDGED_SHOWN = 4  # ids of skipped/crashed checks named in the summary line
# "1 fail, 3 warn": the status words as the table shows them; counted without plurals ("1 项失败" in zh)
COUNTED = {Status.ERROR: N_("{n} error"), Status.FAIL: N_("{n} fail"), Status.WARN: N_("{n} warn"),
           Status.SKIP: N_("{n} skip"), Status.OK: N_("{n} ok")}


_BREAK = "\x00"  # where the summary line may wrap: after a separator, never inside "1 fail" or an id


def summary_pieces(report: Report) -> list[str]:
    """The summary line cut where it may wrap; joined, they are `summary_line`."""
    counts = report.counts()
    parts = [_(COUNTED[s], n=counts[s.label]) for s in sorted(Status, reverse=True) if counts[s.label]]
    acked = sum(1 for f in report.findings if f.acknowledged)
    if acked:
        parts.append(_("{n} acknowledged", n=acked))
    line = (_(", ") + _BREAK).join(parts) or _("no checks ran")
    unjudged = [f.id for f in report.findings if is_unjudged(f)]
    if unjudged:  # unknown is never healthy: say what could not be judged
        more = len(unjudged) - UNJUDGED_SHOWN
        shown = (_(", ") + _BREAK).join(unjudged[:UNJUDGED_SHOWN]) + (_(" (+{n})", n=more) if more > 0 else "")
        line += _("; ") + _BREAK + _("not judged: {checks}", checks=shown)
    return line.split(_BREAK)


def summary_line(report: Report) -> str:
    """`1 fail, 3 warn, 7 skip, 1 ok; not judged: ...` in the current language."""
    return "".join(summary_pieces(report))


def display_width(text: str) -> int:
    """Terminal columns of `text`: Chinese characters and full-width punctuation take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def summary_lines(report: Report, width: int | None) -> list[str]:
    """The summary line wrapped to `width` columns between its pieces (one line when `width` is None)."""
    lines = [""]
    for piece in summary_pieces(report):
        if width and lines[-1] and display_width(lines[-1] + piece.rstrip()) > width:
            lines[-1] = lines[-1].rstrip()
            lines.append(piece.lstrip())
        else:
            lines[-1] += piece
    return [line.rstrip() for line in lines]


def _title(report: Report) -> str:
    facts = report.facts
    where = getattr(facts, "target", "host") if facts is not None else "host"
    root = getattr(facts, "root", "/") if facts is not None else "/"
    extra = f" (root {root})" if root not in ("/", "") else ""
    return f"mlu-doctor {report.meta.get('tool_version', '')} · {where}{extra}".replace("  ", " ")


# Evidence lines shown per excerpt with -v: enough to see what was read; --format json has every line.
EXCERPT_LINES = {Status.OK: 4, Status.SKIP: 4}
EXCERPT_LINES_PROBLEM = 12
EVIDENCE_INDENT = "  "


def _evidence(f: Finding, seen: set[tuple[str, str]]) -> list[str]:
    """Excerpts cut short (shorter for findings that are fine); a finding that is fine does not repeat what an
    earlier finding showed. Problems always show all their evidence: each is read on its own."""
    out = []
    for ev in f.evidence:
        if f.status < Status.WARN and (ev.source, ev.excerpt) in seen:
            out.append(_("[{source}] (shown above)", source=ev.source))
            continue
        seen.add((ev.source, ev.excerpt))
        out.append(f"[{ev.source}]")
        lines = ev.excerpt.rstrip().splitlines()
        limit = EXCERPT_LINES.get(f.status, EXCERPT_LINES_PROBLEM)
        out.extend(EVIDENCE_INDENT + line for line in lines[:limit])
        if len(lines) > limit:
            out.append(EVIDENCE_INDENT + _("... {n} more line(s); --format json has them all", n=len(lines) - limit))
    return out


def _styled_lines(f: Finding, verbose: bool, seen: set[tuple[str, str]] | None = None) -> list[tuple[str, str]]:
    """(rich style, text) for each line under a finding's summary: details plain, what to do cyan, evidence dim."""
    out = []
    if f.acknowledged:
        out.append(("cyan", _("acknowledged: {reason}", reason=f.acknowledged)))
    if verbose and f.details:
        out.extend(("", line) for line in f.details.splitlines())
    if f.remedy and f.status >= Status.WARN:
        out.append(("cyan", _("fix: {remedy}", remedy=f.remedy)))
    if f.recipe and f.status >= Status.WARN:
        out.append(("cyan", _("recipe: mlu-doctor fix {recipe}", recipe=f.recipe)))
    if verbose:
        out.extend(("dim", line) for line in _evidence(f, set() if seen is None else seen))
    return out


def _lines(f: Finding, verbose: bool, seen: set[tuple[str, str]] | None = None) -> list[str]:
    return [text for _style, text in _styled_lines(f, verbose, seen)]


def _scope(f: Finding) -> str:
    return "" if f.scope == "host" else f"[{f.scope}] "


def _wrap(line: str, indent: int, width: int | None) -> list[str]:
    """Fit one body line into a terminal `width` with a hanging indent; evidence excerpts are cut, not wrapped."""
    room = (width or 0) - indent
    if not width or len(line) <= room:
        return [line]
    if line.startswith(EVIDENCE_INDENT) or room < 20:
        return [line[: max(room - 1, 1)] + "…"]
    import textwrap

    return textwrap.wrap(line, room, break_on_hyphens=False) or [line]  # a path longer than a line is split


def render_plain(report: Report, verbose: bool = False, width: int | None = None) -> str:
    """Aligned text; with `width` (a terminal without colour) long lines wrap under the finding column."""
    id_width = max((len(f.id) for f in report.findings), default=10)
    indent = id_width + 9
    if width and width - indent < 30:  # a narrow terminal: the text goes under the id, indented a little
        indent = 4
    pad = " " * indent
    rows = [_title(report)]
    seen: set[tuple[str, str]] = set()
    for f in report.findings:
        head = f"{MARK[f.status]:<5}  {f.id:<{id_width}}  "
        body = [_scope(f) + f.summary, *_lines(f, verbose, seen)]
        first = _wrap(body[0], indent, width)
        if indent < len(head):
            rows.append(head.rstrip())
            rows.extend(pad + part for part in first)
        else:
            rows.append(head + first[0])
            rows.extend(pad + part for part in first[1:])
        rows.extend(pad + part for line in body[1:] for part in _wrap(line, indent, width))
    rows.extend(summary_lines(report, width))
    return "\n".join(rows) + "\n"


def render_rich(report: Report, verbose: bool, stream: TextIO) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    # no vertical rules: at 80 columns every character goes to the finding text
    table = Table(title=_title(report), title_justify="left", show_lines=False, expand=False, box=box.SIMPLE_HEAD,
                  pad_edge=False, show_edge=False, collapse_padding=True)
    table.add_column(_("status"), no_wrap=True)
    table.add_column(_("check"), no_wrap=True)
    table.add_column(_("finding"), overflow="fold")
    seen: set[tuple[str, str]] = set()
    for f in report.findings:
        body = Text(_scope(f) + f.summary)
        for style, line in _styled_lines(f, verbose, seen):
            body.append("\n" + line, style=style or None)
        table.add_row(Text(MARK[f.status], style=STYLE[f.status]), f.id, body)
    console = Console(file=stream, highlight=False)
    console.print(table)
    console.print("\n".join(summary_lines(report, console.width)), soft_wrap=True)


def render(report: Report, verbose: bool = False, stream: TextIO | None = None, **_options: Any) -> str:
    """Print rich output to a terminal stream and return ''; otherwise return plain text."""
    stream = stream or sys.stdout
    if use_rich(stream):
        render_rich(report, verbose, stream)
        return ""
    return render_plain(report, verbose, width=terminal_width(stream))


def terminal_width(stream: TextIO) -> int | None:
    """The width to wrap plain text to: the terminal's (NO_COLOR on a terminal), None for pipes and files."""
    try:
        if not stream.isatty():
            return None
    except (AttributeError, ValueError):
        return None
    import shutil

    return shutil.get_terminal_size((80, 24)).columns
