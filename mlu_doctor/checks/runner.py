"""Run checks over facts: skip what lacks facts, contain crashes, apply acknowledgements."""

from __future__ import annotations

import dataclasses
import traceback
from typing import Any

from mlu_doctor.checks import CheckSpec
from mlu_doctor.config import Config
from mlu_doctor.facts.model import Facts
from mlu_doctor.findings import Evidence, Finding, Report, Status
from mlu_doctor.i18n import _


def needed_sections(checks: list[CheckSpec]) -> set[str]:
    """The fact sections `checks` read."""
    return {s for c in checks for s in c.needs}


def run_check(spec: CheckSpec, facts: Facts, config: Config, scope: str = "host") -> Finding:
    """One check, never raising: missing facts -> skip, crash -> error."""
    missing = [s for s in spec.needs if getattr(facts, s, None) is None]
    if missing:
        why = "; ".join(facts.errors[s] for s in missing if s in facts.errors)
        summary = _("not checked: {sections} facts unavailable", sections=", ".join(missing))
        result = Finding(spec.id, Status.SKIP, summary + (f" ({why})" if why else ""))
    else:
        try:
            result = spec.func(facts, config)
            if not isinstance(result, Finding):
                raise TypeError(f"check returned {type(result).__name__}, not a Finding")
        except Exception as exc:
            tb = traceback.format_exc(limit=-3)
            summary = _("the check crashed: {error}", error=f"{type(exc).__name__}: {exc}")
            result = Finding(spec.id, Status.ERROR, summary, evidence=(Evidence("traceback", tb),))
    result = dataclasses.replace(result, id=spec.id, scope=scope, recipe=result.recipe or spec.recipe)
    reason = config.acknowledged.get(spec.id)
    if reason and result.status >= Status.WARN:
        result = dataclasses.replace(result, acknowledged=reason)
    return result


def run_checks(checks: list[CheckSpec], facts: Facts, config: Config, scope: str = "host") -> list[Finding]:
    """Each check, in order (see run_check)."""
    return [run_check(c, facts, config, scope) for c in checks]


def make_report(findings: list[Finding], facts: Facts, **meta: Any) -> Report:
    """The report of one run: findings, the facts they came from, and `meta` (versions, plugin
    problems...)."""
    return Report(findings=tuple(findings), facts=facts, meta=meta)


def exit_status(report: Report, strict: bool = False, fail_on: Status | None = None) -> int:
    """0 healthy, 1 problems; warnings count only with --strict (or --fail-on warn)."""
    threshold = fail_on if fail_on is not None else (Status.WARN if strict else Status.FAIL)
    return 1 if report.failing(threshold) else 0
