"""Human output: a rich table where rich's Console sees a terminal (colour as rich decides: none with NO_COLOR
or TERM=dumb), plain aligned lines for pipes and files (one line per finding: grep, logs, `-o FILE`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional, TextIO

from mlu_doctor.findings import Finding, Report, Status
from mlu_doctor.i18n import N_, _
from mlu_doctor.output.terminal import coloured, terminal_console
from mlu_doctor.report.closing import FixArgs, closing_lines
from mlu_doctor.report.info import is_unjudged  # not health.py: its Verdict record is start-up time

if TYPE_CHECKING:
    from rich.console import Console

MARK = {Status.OK: "ok", Status.SKIP: "skip", Status.WARN: "WARN", Status.FAIL: "FAIL", Status.ERROR: "ERROR"}
STYLE = {Status.OK: "green", Status.SKIP: "dim", Status.WARN: "yellow", Status.FAIL: "bold red",
         Status.ERROR: "bold magenta"}
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
        shown = (_(", ") + _BREAK).join(unjudged[:UNJUDGED_SHOWN]) + (_(" (+{n})", n=more) if more > 0
                                                                      else "")
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
            out.append(EVIDENCE_INDENT + _("... {n} more line(s); --format json has them all",
                                           n=len(lines) - limit))
    return out


def _styled_lines(f: Finding, verbose: bool,
                  seen: set[tuple[str, str]] | None = None) -> list[tuple[str, str]]:
    """(rich style, text) for each line under a finding's summary: details plain, what to do cyan, evidence
    dim."""
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


def render_plain(report: Report, verbose: bool = False) -> str:
    """Aligned text, one line per finding and its details under it: never wrapped (pipes, files, logs)."""
    id_width = max((len(f.id) for f in report.findings), default=10)
    pad = " " * (id_width + 9)
    rows = [_title(report)]
    seen: set[tuple[str, str]] = set()
    for f in report.findings:
        body = [_scope(f) + f.summary, *_lines(f, verbose, seen)]
        rows.append(f"{MARK[f.status]:<5}  {f.id:<{id_width}}  {body[0]}")
        rows.extend(pad + line for line in body[1:])
    rows.append(summary_line(report))
    return "\n".join(rows) + "\n"


def render_rich(report: Report, verbose: bool, console: Console,
                closing: list[tuple[str, str]] | None = None) -> None:
    """The findings as a rich table through `console`, then the closing lines: styled only where rich writes
    colour; no text is markup."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    colour = coloured(console)
    plain: dict[str, Any] = {} if colour else {"header_style": ""}
    # no vertical rules: at 80 columns every character goes to the finding text
    title = Text(_title(report), style="table.title" if colour else "")  # Text: a root path is never markup
    table = Table(title=title, title_justify="left", show_lines=False, expand=False,
                  box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, collapse_padding=True, **plain)
    table.add_column(_("status"), no_wrap=True)
    table.add_column(_("check"), no_wrap=True)
    table.add_column(_("finding"), overflow="fold")
    seen: set[tuple[str, str]] = set()
    for f in report.findings:
        body = Text(_scope(f) + f.summary)
        for style, line in _styled_lines(f, verbose, seen):
            body.append("\n" + line, style=(style or None) if colour else None)
        table.add_row(Text(MARK[f.status], style=STYLE[f.status] if colour else ""), Text(f.id), body)
    console.print(table)
    # wrapped between pieces
    console.print(Text("\n".join(summary_lines(report, console.width))), soft_wrap=True)
    for style, line in closing or ():
        console.print(Text(line, style=style if colour else ""))


def render(report: Report, verbose: bool = False, stream: Optional[TextIO] = None,
           fail_on: Status | str | None = None, fix_args: FixArgs = (), **_options: Any) -> str:
    """Print a rich table to `stream` and return '' where rich sees a terminal; otherwise return plain text
    (always without a stream: a file written with -o). Both end with the closing block (report/closing.py)
    when something warns or fails; `fix_args` are the target options of the `mlu-doctor fix` it names (None:
    the report replays a capture or facts file)."""
    closing = closing_lines(report, fail_on, fix_args)
    console = terminal_console(stream) if stream is not None else None
    if console is not None:
        render_rich(report, verbose, console, closing)
        return ""
    return render_plain(report, verbose) + "".join(line + "\n" for _style, line in closing)
