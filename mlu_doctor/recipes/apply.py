"""Performing plan steps: journaled file writes and directory creation, commands through the proc seam."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Optional

from mlu_doctor.errors import DoctorError
from mlu_doctor.gateways import proc
from mlu_doctor.i18n import _
from mlu_doctor.recipes.base import CALL, MKDIR, RUN, WRITE, ApplyResult, Step
from mlu_doctor.recipes.journal import Journal
from mlu_doctor.recipes.safefs import Refused, folder, lstat_at, read_at, replace_at


@dataclass
class Gateways:
    """What apply() may touch: the journal (for every file change) and the command runner."""

    journal: Journal
    run: proc.Runner = proc.run


class StepFailed(Exception):
    """A step could not be performed; the message says which and why."""


def apply_steps(recipe: str, steps: Sequence[Step], gw: Gateways,
                call: Optional[Callable[[Step, Any], str]] = None) -> ApplyResult:
    """Perform `steps` in order; stop at the first failure and say what was done before it."""
    done: list[str] = []
    for step in steps:
        try:
            if step.kind == WRITE:
                write_file(step, gw.journal, recipe)
            elif step.kind == MKDIR:
                make_dirs(step, gw.journal, recipe)
            elif step.kind == RUN:
                run_command(step, gw)
            elif step.kind == CALL and call is not None:
                call(step, gw)
            else:
                raise StepFailed(_("unknown step kind {kind}", kind=step.kind))
        except (OSError, StepFailed, DoctorError, Refused) as exc:
            why = f"{exc.strerror}: {exc.filename}" if isinstance(exc, OSError) and exc.strerror else str(exc)
            return ApplyResult(recipe, tuple(done), _("{step}: {why}", step=step.description, why=why))
        done.append(step.description)
    return ApplyResult(recipe, tuple(done))


def write_file(step: Step, journal: Journal, recipe: str) -> None:
    """Write step.after to step.path (a symlink's target when step.link names the link), refusing when the
    file or the link changed since the plan was made; no symlink is followed on the way (safefs)."""
    path = step.path or ""
    if step.link and os.path.realpath(step.link) != path:
        raise StepFailed(_("{link} no longer leads to {path}; run the fix again", link=step.link, path=path))
    head, name = os.path.split(path)
    try:
        with folder(head) as fd:
            current, st = read_at(fd, name, path), lstat_at(fd, name)
    except FileNotFoundError:
        current, st = None, None
    if current != step.before:
        raise StepFailed(_("{path} changed since the plan was made; run the fix again", path=path))
    mode_before = stat.S_IMODE(st.st_mode) if st is not None else None
    mode = mode_before if mode_before is not None else (step.mode or 0o644)
    with folder(head, make=lambda d: journal.record("mkdir", d, recipe)) as fd:
        journal.record("write", path, recipe, before=current, after=step.after,
                       mode_before=mode_before, mode_after=mode, link=step.link)
        replace_at(fd, name, path, step.after or b"", mode)


def make_dirs(step: Step, journal: Journal, recipe: str) -> None:
    """Create step.path and its missing parents, journaling each folder created (undo removes them)."""
    with folder(step.path or "", make=lambda d: journal.record("mkdir", d, recipe), mode=step.mode or 0o755):
        pass


def run_command(step: Step, gw: Gateways) -> None:
    result = gw.run(list(step.argv), timeout=float(step.param("timeout", 600)))
    if not result.ok:
        raise StepFailed(result.describe() + (f": {result.stderr.strip()[-300:]}" if result.stderr.strip()
                                              else ""))
