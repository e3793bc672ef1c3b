"""The Python API: `diagnose()` returns the report `mlu-doctor check` renders; `require()` raises when it is
bad.

    from mlu_doctor import require

    require("framework.arch-match", "device.present")  # at the top of a training script

Ids and prefixes are those `--only` accepts (`env.`, `env`, `"a,b"`); the keyword options mirror the
CLI's (`root`, `python`, `project`, `container`, `only`, `skip`, `config`, `timeout`, `facts`,
`capture`). Misuse (an unknown check id, a missing --root folder, a malformed config file) is a
`ValueError`; a job that cannot be done (Docker unreachable for `container=`) is `CannotDiagnose`; a
requirement not met is `RequirementFailed`, whose message is the plain-text report of what failed.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not typing's: importing typing alone costs 2 ms
if TYPE_CHECKING:  # the rest loads when diagnose() runs: `from mlu_doctor import require` stays ~0.5 ms
    from collections.abc import Iterable

    from mlu_doctor.findings import Finding, Report

__all__ = ["CannotDiagnose", "RequirementFailed", "diagnose", "require"]


class RequirementFailed(RuntimeError):
    """Required checks failed (or, for ids named in full, could not be verified). `findings` holds them,
    `report` the whole run; `str(exc)` is the plain-text summary."""

    def __init__(self, message: str, findings: tuple[Finding, ...], report: Report) -> None:
        super().__init__(message)
        self.findings, self.report = findings, report


class CannotDiagnose(RuntimeError):
    """The diagnosis could not be done (e.g. Docker unreachable for `container=`). `exit_code` is the
    CLI's."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


RequirementFailed.__module__ = CannotDiagnose.__module__ = "mlu_doctor"  # as users import and catch them


def _ids(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """One id or prefix, a comma list, or an iterable of them, as `--only` takes them."""
    if value is None:
        return ()
    items = [value] if isinstance(value, str) else list(value)
    if not all(isinstance(item, str) for item in items):
        raise TypeError("check ids and prefixes must be strings")
    return tuple(p.strip() for item in items for p in item.split(",") if p.strip())


def diagnose(*, root: str = "/", python: str | None = None, project: str | None = None,
             container: str | None = None, only: str | Iterable[str] | None = None,
             skip: str | Iterable[str] | None = None, config: str | None = None, timeout: float | None = None,
             facts: str | None = None, capture: str | None = None) -> Report:
    """Run the checks like `mlu-doctor check` and return the Report (findings, facts). Raises ValueError for
    bad options or ids, CannotDiagnose when the job cannot be done."""
    from mlu_doctor.config import find_config, load_config
    from mlu_doctor.diagnose import Target
    from mlu_doctor.diagnose import diagnose as run_diagnosis
    from mlu_doctor.errors import DoctorError, UsageError
    from mlu_doctor.i18n import detect_language, set_language

    set_language(detect_language())
    target = Target(root=root, python=python, project=project, timeout=timeout, facts_file=facts,
                    container=container, capture=capture)
    try:
        return run_diagnosis(target, load_config(find_config(config)), _ids(only), _ids(skip))
    except UsageError as exc:  # also ConfigError
        raise ValueError(str(exc)) from None
    except DoctorError as exc:
        raise CannotDiagnose(str(exc), int(exc.exit_code)) from None


def require(*ids: str, strict: bool = False, root: str = "/", python: str | None = None,
            project: str | None = None, container: str | None = None, config: str | None = None,
            timeout: float | None = None, facts: str | None = None, capture: str | None = None) -> Report:
    """Run the checks `ids` (ids or prefixes; none: every check) and return the Report when they hold.

    Raises RequirementFailed when one fails or errs (warns too with `strict=True`), or when a check named by
    its full id is skipped: it could not be verified, and unknown is never ok. Prefixes tolerate skips (a
    prefix covers checks that do not apply everywhere). Acknowledged findings (config `acknowledge:`) never
    count.
    """
    from mlu_doctor.findings import Status

    wanted = _ids(ids)
    report = diagnose(root=root, python=python, project=project, container=container, only=wanted,
                      config=config, timeout=timeout, facts=facts, capture=capture)
    threshold = Status.WARN if strict else Status.FAIL
    named = {i for i in wanted if not i.endswith(".") and "." in i}
    problems = tuple(f for f in report.findings if f.counts and (
        f.status >= threshold or (f.status == Status.SKIP and f.id in named)))
    if problems:
        raise RequirementFailed(failure_message(report, problems), problems, report)
    return report


def failure_message(report: Report, problems: tuple[Finding, ...]) -> str:
    """What `str(RequirementFailed)` says: one line naming the checks, then their plain-text report."""
    from mlu_doctor.findings import Report, Status
    from mlu_doctor.i18n import _
    from mlu_doctor.report.human import render_plain

    words = {Status.SKIP: _("could not be verified"), Status.WARN: _("warning"), Status.FAIL: _("failed"),
             Status.ERROR: _("check crashed")}
    listed = ", ".join(f"{f.id} ({words[f.status]})" for f in problems)
    head = _("mlu-doctor: {n} requirement(s) not met: {checks}", n=len(problems), checks=listed)
    body = render_plain(Report(findings=problems, facts=report.facts, meta=report.meta))
    return head + "\n" + body.rstrip("\n")
