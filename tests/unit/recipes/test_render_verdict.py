"""The plan's diff (a last line without newline, colour decided by rich's Console) and the verdict of a fix
run: exit code, why, what remains, what to do next."""

from __future__ import annotations

import io

from rich.console import Console

from mlu_doctor.findings import Finding, Status
from mlu_doctor.recipes.base import ADVICE, WRITE, ApplyResult, Plan, Step
from mlu_doctor.recipes.render import NO_NEWLINE, diff_lines, plan_lines, write_lines
from mlu_doctor.recipes.runner import Outcome
from mlu_doctor.recipes.verdict import judge


def test_a_file_without_final_newline_shows_the_marker_not_identical_lines():
    step = Step(WRITE, "w", path="/h/.bashrc", before=b"alias ll='ls -l'", after=b"alias ll='ls -l'\nexport X=1\n")
    lines = diff_lines(step)
    assert lines[-4:] == ["-alias ll='ls -l'", NO_NEWLINE, "+alias ll='ls -l'", "+export X=1"]
    both = diff_lines(Step(WRITE, "w", path="/f", before=b"a\nb", after=b"a\nc"))
    assert both[-4:] == ["-b", NO_NEWLINE, "+c", NO_NEWLINE]


def test_colour_follows_richs_console(monkeypatch):
    lines = plan_lines([Outcome(Plan("r", "t", (Step(WRITE, "w", path="/f", before=None, after=b"x\n"),)))])
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    tty = io.StringIO()
    tty.isatty = lambda: True  # type: ignore[method-assign]
    write_lines(lines, tty)
    assert "\x1b[32m" in tty.getvalue() and "+x" in tty.getvalue()  # the added line in green
    pipe = io.StringIO()
    write_lines(lines, pipe)
    assert "\x1b[" not in pipe.getvalue() and "      +x\n" in pipe.getvalue()
    monkeypatch.setenv("NO_COLOR", "1")
    tty2 = io.StringIO()
    tty2.isatty = lambda: True  # type: ignore[method-assign]
    write_lines(lines, tty2)
    assert "\x1b[" not in tty2.getvalue()
    assert Console(file=tty2).no_color


def warn(fid: str, remedy: str = "do it") -> Finding:
    return Finding(fid, Status.FAIL, f"{fid} is broken", remedy=remedy)


def applied(ok: bool = True, recheck: Status = Status.OK, advice: bool = False) -> Outcome:
    steps = (Step(WRITE, "w", path="/f", after=b""),) + ((Step(ADVICE, "a", argv=("x",)),) if advice else ())
    return Outcome(Plan("r", "t", steps), (warn("c"),), ApplyResult("r", error=None if ok else "disk full"),
                   (Finding("c", recheck, "now"),))


def test_an_unrelated_failure_without_recipe_does_not_change_the_exit_code():
    v = judge("apply", [applied()], (warn("device.present", "Run on a host with an MLU card."),))
    assert v.code == 0 and v.why == "every fix applied and the checks it claims to fix pass"
    assert any("no recipe for device.present (fail)" in line for line in v.remaining)
    assert v.next == "Next: Run on a host with an MLU card."
    asked = judge("nothing", [], (warn("device.present"),), requested=True)
    assert asked.code == 1 and "device.present" in asked.why


def test_verdicts_name_the_cause_and_the_next_step():
    failed = judge("apply", [applied(ok=False)])
    assert failed.code == 3 and "disk full" in failed.why and failed.error == failed.why and "undo" in failed.next
    still = judge("apply", [applied(recheck=Status.FAIL)])
    assert still.code == 3 and "still reports fail" in still.why
    refused = judge("nothing", [Outcome(Plan("r", "t", (Step(ADVICE, "a", argv=("x",)),), refused=("no",)),
                                        (warn("c"),))])
    assert refused.code == 4 and refused.why == "r was not applied: no" and refused.next.startswith("Next: ")
    advice = judge("nothing", [Outcome(Plan("r", "t", (Step(ADVICE, "a", argv=("x",)),)), (warn("c"),))])
    assert advice.code == 1 and "marked !" in advice.next
    assert judge("declined", [applied()]).code == 1
    for mode in ("plan", "dry-run"):
        v = judge(mode, [applied()])
        assert v.code == 0 and v.next.startswith("Next: ")
    fixed_with_advice = judge("apply", [applied(advice=True)])
    assert fixed_with_advice.code == 0
