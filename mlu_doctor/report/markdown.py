"""A Markdown report to paste into an issue: environment, versions, findings, facts (JSON, folded)."""

from __future__ import annotations

import json
from typing import Any

from mlu_doctor.findings import Finding, Report, Status
from mlu_doctor.i18n import _
from mlu_doctor.report.human import MARK, summary_line
from mlu_doctor.serde import to_data


def cell(value: Any) -> str:
    """A Markdown table cell: one line, pipes escaped."""
    return " ".join(str(value).split()).replace("|", "\\|") if value not in (None, "") else "-"


def table(headers: tuple[str, str], rows: list[tuple[str, Any]]) -> list[str]:
    out = [f"| {headers[0]} | {headers[1]} |", "|---|---|"]
    out.extend(f"| {cell(k)} | {cell(v)} |" for k, v in rows)
    return out


def _get(obj: Any, *path: str) -> Any:
    for name in path:
        obj = getattr(obj, name, None) if not isinstance(obj, dict) else obj.get(name)
        if obj is None:
            return None
    return obj


def versions(facts: Any) -> list[tuple[str, Any]]:
    """Component versions from the facts ('-' where unknown)."""
    driver = _get(facts, "driver")
    libs = _get(facts, "toolkit", "libs") or {}
    cards = [c.model or c.name for c in _get(facts, "device", "proc") or []]
    cards = cards or [p.sku or p.family for p in _get(facts, "device", "pci") or [] if not p.is_vf]
    return [
        (_("cards"), ", ".join(str(c) for c in cards if c)),
        (_("driver"), driver.version if driver is not None else None),
        ("cnmon", _get(driver, "cnmon", "version")),
        ("Neuware", _get(facts, "toolkit", "version")),
        (_("libraries"), ", ".join(f"{k} {v}" for k, v in sorted(libs.items()))),
        (_("Python (your code)"), _get(facts, "framework", "python_version")),
        ("torch", _get(facts, "framework", "torch_version")),
        ("torch_mlu", _get(facts, "framework", "torch_mlu_version")),
        ("catch", _get(facts, "framework", "catch_version")),
        (_("framework generation"), _get(facts, "framework", "generation")),
    ]


def _finding_block(f: Finding) -> list[str]:
    out = [f"### {MARK[f.status]} `{f.id}`", "", f.summary, ""]
    if f.details:
        out += [f.details, ""]
    if f.remedy:
        out += [_("**Fix:** {remedy}", remedy=f.remedy), ""]
    if f.recipe:
        out += [_("**Recipe:** `mlu-doctor fix {recipe}`", recipe=f.recipe), ""]
    for ev in f.evidence:
        out += [f"<details><summary>{cell(ev.source)}</summary>", "", "```", ev.excerpt.replace("```", "'''"),
                "```", "", "</details>", ""]
    return out


def _where(report: Report) -> dict[str, Any]:
    """What `check --format markdown` looked at (the `report` command passes a fuller environment)."""
    root = _get(report.facts, "root")
    rows = {"mlu-doctor": report.meta.get("tool_version") or "", _("target"): _get(report.facts, "target")
            or _("host")}
    if root and root != "/":
        rows[_("root")] = root
    return rows


def render(report: Report, environment: dict[str, Any] | None = None, **_options: Any) -> str:
    """The whole report as Markdown."""
    out = [f"# {_('mlu-doctor report')}", ""]
    out += table((_("item"), _("value")), list((environment or _where(report)).items())) + [""]
    out += [f"## {_('Summary')}", "", summary_line(report), ""]
    out += [f"## {_('Versions')}", ""] + table((_("component"), _("version")), versions(report.facts)) + [""]
    container = _get(report.facts, "container")
    if container is not None:
        from mlu_doctor.facts.container import container_view

        rows = [(_("image"), container.image),
                (_("state"), container.state)] + versions(container_view(report.facts))[3:]
        out += [f"## {_('Versions in container {name}', name=container.name)}", ""]
        out += table((_("component"), _("version")), rows) + [""]
    out += [f"## {_('Findings')}", "", f"| {_('status')} | id | {_('summary')} |", "|---|---|---|"]
    out += [f"| {MARK[f.status]} | `{f.id}` | {cell(f.summary)} |" for f in report.findings] + [""]
    for f in report.findings:
        if f.status >= Status.WARN:
            out += _finding_block(f)
    errors = _get(report.facts, "errors") or {}
    if errors:
        out += [f"## {_('Probe errors')}", ""] + [f"- `{k}`: {cell(v)}" for k, v in errors.items()] + [""]
    facts_json = json.dumps(to_data(report.facts), indent=2, ensure_ascii=False).replace("```", "'''")
    out += [f"## {_('Facts')}", "", f"<details><summary>{_('facts (JSON)')}</summary>", "", "```json",
            facts_json, "```", "", "</details>", ""]
    return "\n".join(out)
