"""Rendering plans and outcomes: human text (with diffs) and a versioned JSON envelope."""

from __future__ import annotations

import difflib
import json
import shlex
from typing import Any

from mlu_doctor import __version__
from mlu_doctor.i18n import _
from mlu_doctor.recipes.base import ADVICE, MKDIR, RUN, WRITE, Step
from mlu_doctor.recipes.runner import Outcome

SCHEMA_VERSION = 1


def command(argv: tuple[str, ...]) -> str:
    return " ".join(a if a in ("...", "|", "&&") else shlex.quote(a) for a in argv)


def diff(step: Step) -> str:
    before = (step.before or b"").decode("utf-8", errors="replace").splitlines(keepends=True)
    after = (step.after or b"").decode("utf-8", errors="replace").splitlines(keepends=True)
    label = step.path or ""
    lines = difflib.unified_diff(before, after, label if step.before is not None else "/dev/null", label, n=1)
    return "".join(x if x.endswith("\n") else x + "\n" for x in lines)


def step_lines(step: Step) -> list[str]:
    if step.kind == WRITE:
        what = _("write") if step.before is not None else _("create")
        body = ["      " + line for line in diff(step).splitlines()]
        return [f"  ~ {what} {step.path}: {step.description}", *body]
    if step.kind == MKDIR:
        return [f"  + {step.description}"]
    if step.kind == ADVICE:
        return [f"  ! {step.description} " + _("(run it yourself)"), f"      $ {command(step.argv)}"]
    size = f" ({human_bytes(step.bytes_to_move)})" if step.bytes_to_move else ""
    prefix = "$" if step.kind == RUN else ">"
    return [f"  {prefix} {step.description}{size}", f"      $ {command(step.argv)}"]


def human_bytes(n: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if n < 1024 or unit == "TiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} B"


def render_outcome(o: Outcome) -> list[str]:
    head = f"{o.plan.recipe}  {_(o.plan.title)}"
    lines = [head]
    for f in o.findings:
        lines.append("  " + _("fixes {id} ({status}): {summary}", id=f.id, status=f.status.label, summary=f.summary))
    if not o.plan.steps:
        lines.append("  " + _("nothing to do: already in place"))
    for step in o.plan.steps:
        lines += step_lines(step)
    lines += ["  " + _("note: {text}", text=n) for n in o.plan.notes]
    if o.result is not None:
        lines.append("  " + (_("applied") if o.result.ok else _("FAILED: {error}", error=o.result.error)))
    for f in o.recheck:
        lines.append("  " + _("re-check {id}: {status} {summary}", id=f.id, status=f.status.label, summary=f.summary))
    return lines


def render_human(outcomes: list[Outcome], notes: list[str]) -> str:
    blocks = ["\n".join(render_outcome(o)) for o in outcomes]
    if not outcomes:
        blocks.append(_("Nothing to fix: no warning or failure has a recipe."))
    return "\n\n".join(blocks) + "\n" + "".join(n + "\n" for n in notes)


def step_data(step: Step) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": step.kind, "description": step.description}
    if step.path:
        out["path"] = step.path
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
        "applied": None if o.result is None else o.result.ok,
    }
    if o.result is not None:
        data["done"] = list(o.result.done)
        data["error"] = o.result.error
    data["recheck"] = [{"id": f.id, "status": f.status.label, "summary": f.summary, "scope": f.scope} for f in o.recheck]
    data["recheck_env"] = dict(o.recheck_env)
    return data


def render_json(outcomes: list[Outcome], mode: str, exit_code: int, journal: str | None, notes: list[str]) -> str:
    doc = {"schema_version": SCHEMA_VERSION, "tool": {"name": "mlu-doctor", "version": __version__},
           "mode": mode, "journal": journal, "exit_code": exit_code, "notes": notes,
           "recipes": [outcome_data(o) for o in outcomes]}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
