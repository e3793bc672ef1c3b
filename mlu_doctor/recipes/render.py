"""Rendering plans and outcomes: human lines with a style each (diffs coloured where rich colours), and the
JSON envelopes of `fix --format json` and `undo --format json`."""

from __future__ import annotations

import difflib
import shlex
from typing import IO, TYPE_CHECKING, Any, Optional

from mlu_doctor.i18n import _
from mlu_doctor.output.envelope import Envelope
from mlu_doctor.recipes.base import ADVICE, MKDIR, RUN, WRITE, Step
from mlu_doctor.recipes.runner import Outcome

if TYPE_CHECKING:
    from mlu_doctor.recipes.journal import Entry, Journal
    from mlu_doctor.recipes.undo import Change, UndoResult, UndoVerdict
    from mlu_doctor.recipes.verdict import FixMode, Verdict

NO_NEWLINE = "\\ No newline at end of file"

Lines = list[tuple[str, str]]  # (rich style, text): the style is dropped when the output takes no colour


def command(argv: tuple[str, ...]) -> str:
    return " ".join(a if a in ("...", "|", "&&") else shlex.quote(a) for a in argv)


def diff_lines(step: Step) -> list[str]:
    """A unified diff of the step's file, marking a last line without newline as diff(1) does."""
    before = (step.before or b"").decode("utf-8", errors="replace").splitlines(keepends=True)
    after = (step.after or b"").decode("utf-8", errors="replace").splitlines(keepends=True)
    label = step.link or step.path or ""
    out: list[str] = []
    for line in difflib.unified_diff(before, after, label if step.before is not None else "/dev/null", label,
                                     n=1):
        out.append(line[:-1] if line.endswith("\n") else line)
        if not line.endswith("\n"):
            out.append(NO_NEWLINE)
    return out


def diff(step: Step) -> str:
    return "".join(line + "\n" for line in diff_lines(step))


def diff_style(line: str) -> str:
    if line.startswith(("+++", "---")):
        return "bold"
    return {"+": "green", "-": "red", "@": "cyan", "\\": "dim"}.get(line[:1], "")


def where(step: Step) -> str:
    """The path as the plan shows it: `link -> target (symlink)` when a symlink leads to where it lands."""
    if step.link and step.link != step.path:
        return _("{link} -> {path} (symlink): the target is edited", link=step.link, path=step.path) \
            if step.kind == WRITE else f"{step.link} -> {step.path} (symlink)"
    return step.path or ""


def step_lines(step: Step) -> Lines:
    if step.kind == WRITE:
        what = _("write") if step.before is not None else _("create")
        body = [(diff_style(line), "      " + line) for line in diff_lines(step)]
        sep = "; " if step.link else ": "
        return [("", f"  ~ {what} {where(step)}{sep}{step.description}"), *body]
    if step.kind == MKDIR:
        suffix = f" ({where(step)})" if step.link else ""
        return [("", f"  + {step.description}{suffix}")]
    if step.kind == ADVICE:
        return [("cyan", "  ! " + _("{step} (run it yourself)", step=step.description)),
                ("cyan", f"      $ {command(step.argv)}")]
    size = f" ({human_bytes(step.bytes_to_move)})" if step.bytes_to_move else ""
    prefix = "$" if step.kind == RUN else ">"
    return [("", f"  {prefix} {step.description}{size}"), ("", f"      $ {command(step.argv)}")]


def human_bytes(n: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if n < 1024 or unit == "TiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} B"


def render_outcome(o: Outcome) -> Lines:
    lines: Lines = [("bold", f"{o.plan.recipe}  {_(o.plan.title)}")]
    for f in o.findings:
        lines.append(("", "  " + _("fixes {id} ({status}): {summary}", id=f.id, status=f.status.label,
                                   summary=f.summary)))
    for reason in o.plan.refused:
        lines.append(("bold red", "  " + _("refused: {reason}", reason=reason)))
    if not o.plan.steps and not o.plan.refused:
        lines.append(("", "  " + _("nothing to do: already in place")))
    for step in o.plan.steps:
        lines += step_lines(step)
    lines += [("dim", "  " + _("note: {text}", text=n)) for n in o.plan.notes]
    return lines


def plan_lines(outcomes: list[Outcome]) -> Lines:
    """Every recipe's plan, a blank line between them."""
    lines: Lines = []
    for o in outcomes:
        lines += render_outcome(o) + [("", "")]
    return lines


def write_lines(lines: Lines, stream: IO[str]) -> None:
    """Write `lines`; rich's Console decides colour (a terminal, NO_COLOR, TERM=dumb, FORCE_COLOR)."""
    from mlu_doctor.output.terminal import write_lines as write

    write(lines, stream)


def step_data(step: Step) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": step.kind, "description": step.description}
    if step.path:
        out["path"] = step.path
    if step.link:
        out["link"] = step.link
    if step.kind == WRITE:
        out["creates"] = step.before is None
        out["diff"] = diff(step)
    if step.argv:
        out["command"] = list(step.argv)
    if step.bytes_to_move:
        out["bytes"] = step.bytes_to_move
    return out


def outcome_data(o: Outcome) -> dict[str, Any]:
    data: dict[str, Any] = {
        "recipe": o.plan.recipe, "title": o.plan.title, "fixes": [f.id for f in o.findings],
        "steps": [step_data(s) for s in o.plan.steps], "notes": list(o.plan.notes),
        "refused": list(o.plan.refused), "applied": None if o.result is None else o.result.ok,
    }
    if o.result is not None:
        data["done"] = list(o.result.done)
        data["error"] = o.result.error
    data["recheck"] = [{"id": f.id, "status": f.status.label, "summary": f.summary, "scope": f.scope}
                       for f in o.recheck]
    data["recheck_env"] = dict(o.recheck_env)
    return data


def envelope(outcomes: list[Outcome], mode: FixMode, verdict: Verdict, journal: str | None) -> Envelope:
    """The `fix` envelope: mode, exit code and why, what remains, what to do next, each recipe."""
    return Envelope("fix", {"mode": mode, "journal": journal, "exit_code": verdict.code,
                            "exit_reason": verdict.why,
                            "notes": list(verdict.remaining), "next": verdict.next,
                            "recipes": [outcome_data(o) for o in outcomes]})


def render_json(outcomes: list[Outcome], mode: FixMode, verdict: Verdict, journal: str | None) -> str:
    return envelope(outcomes, mode, verdict, journal).to_json()


def entry_data(e: Entry) -> dict[str, Any]:
    """One journaled change: the path changed, the symlink the user names it by (or null), write or mkdir,
    the recipe that made it."""
    return {"path": e.path, "link": e.link, "kind": e.kind, "recipe": e.recipe}


def change_data(c: Change) -> dict[str, Any]:
    """One journaled change and what undo did with it: `action`, and for a skipped one `reason` (a stable
    word) and `detail` (the sentence the human output shows)."""
    return {**entry_data(c.entry), "action": c.action, "reason": c.reason or None, "detail": c.detail or None}


def journal_data(journal: Journal, entries: list[Entry]) -> dict[str, Any]:
    """Which fix a journal holds: id (what `undo ID` takes), its folder, when the fix made its first change,
    the recipes that made changes, whether (and when) it was undone."""
    from mlu_doctor.recipes.journal import iso_time

    created = journal.created(entries)
    return {"id": journal.id, "path": journal.dir, "created": None if created is None else iso_time(created),
            "recipes": list(dict.fromkeys(e.recipe for e in entries if e.recipe)), "undone": journal.undone,
            "undone_at": journal.undone_at()}


def undo_envelope(verdict: UndoVerdict, journal: Optional[Journal] = None,
                  entries: Optional[list[Entry]] = None, result: Optional[UndoResult] = None, *,
                  force: bool = False, partial: bool = False) -> Envelope:
    """The `undo` envelope: the outcome, exit code and why, what to do next, the journal, and per journaled
    change (in the order the fix made them) what undo did."""
    from mlu_doctor.recipes.undo import ACTIONS

    changes = result.changes if result is not None else ()
    return Envelope("undo", {
        "mode": "undo", "outcome": verdict.outcome,
        "journal": None if journal is None else journal_data(journal, entries or []),
        "exit_code": verdict.code, "exit_reason": verdict.why, "next": verdict.next,
        "force": force, "partial": partial,
        "summary": {a: sum(1 for c in changes if c.action == a) for a in ACTIONS},
        "files": [change_data(c) for c in changes],
    })


def journals_envelope(root: str, journals: list[tuple[Journal, list[Entry], Optional[str]]]) -> Envelope:
    """The `undo --list` envelope: where journals live and each journal, oldest first, with its changes (or
    the reason it cannot be read)."""
    return Envelope("undo", {
        "mode": "list", "exit_code": 0, "root": root,
        "journals": [{**journal_data(j, entries), "files": [entry_data(e) for e in entries], "error": error}
                     for j, entries, error in journals],
    })
