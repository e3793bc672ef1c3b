"""deploy/grafana: the dashboard loads, is laid out on Grafana's 24-column grid, and every query it makes
(panels and template variables) parses and returns data in the test fleet's real Prometheus (promtool query)."""

from __future__ import annotations

import json
import re
import subprocess
from typing import Any

import pytest

from mlu_doctor.findings import Finding, Report, Status
from mlu_doctor.report.prometheus import render
from tests.kit.fleet import DEPLOY, need

pytestmark = pytest.mark.slow
DASHBOARD = DEPLOY / "grafana/mlu-doctor-dashboard.json"
VARIABLES = {"instance": ".*"}  # the values Grafana puts in for "All"


def dashboard() -> dict[str, Any]:
    return json.loads(DASHBOARD.read_text())


def panel_queries() -> list[tuple[str, str]]:
    """(panel title, PromQL with the template variables filled in) for every target of every panel."""
    out = []
    for panel in dashboard()["panels"]:
        for target in panel["targets"]:
            expr = target["expr"]
            for name, value in VARIABLES.items():
                expr = expr.replace(f"${{{name}}}", value).replace(f"${name}", value)
            out.append((panel["title"], expr))
    return out


def variable_queries() -> list[str]:
    """Grafana's label_values(metric, label) as the PromQL it stands for."""
    out = []
    for var in dashboard()["templating"]["list"]:
        if var["type"] == "query":
            metric, label = re.fullmatch(r"label_values\((\w+), *(\w+)\)", var["query"]["query"]).groups()
            out.append(f"group by ({label}) ({metric})")
    return out


def promtool_query(url: str, expr: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([need("promtool"), "query", "instant", url, expr], capture_output=True, text=True, timeout=30)


def test_the_dashboard_is_laid_out_and_uses_the_datasource_variable():
    dash = dashboard()
    ids = [p["id"] for p in dash["panels"]]
    assert len(ids) == len(set(ids)) >= 6 and dash["uid"] and dash["title"]
    for panel in dash["panels"]:
        grid = panel["gridPos"]
        assert grid["x"] + grid["w"] <= 24 and grid["h"] > 0, panel["title"]
        assert panel["datasource"]["uid"] == "${datasource}" and panel["targets"] and panel["description"]
        assert all(t["refId"] and t["datasource"]["uid"] == "${datasource}" for t in panel["targets"])
    names = {v["name"] for v in dash["templating"]["list"]}
    assert {"datasource", "instance"} <= names
    assert all(re.findall(r"\$\{?(\w+)", q) == [] for _, q in panel_queries())  # every variable is filled in


def test_every_metric_the_dashboard_uses_is_one_the_doctor_writes():
    written = {line.split()[2] for line in render(Report(findings=(Finding("x.y", Status.OK, "fine"),))).splitlines()
               if line.startswith("# TYPE ")}
    used = {m for _, q in panel_queries() for m in re.findall(r"\bmlu_doctor_\w+", q)}
    assert used and used <= written, used - written


@pytest.mark.parametrize("title, expr", panel_queries(), ids=[f"{t}:{i}" for i, (t, _) in enumerate(panel_queries())])
def test_each_panel_query_parses_and_returns_data(fleet, title, expr):
    done = promtool_query(fleet.url, expr)
    assert done.returncode == 0, f"{title}: {expr}\n{done.stderr}"
    assert done.stdout.strip(), f"{title}: no data for {expr}"


def test_a_broken_query_is_caught(fleet):
    done = promtool_query(fleet.url, 'count(mlu_doctor_health{state="healthy"} == 1')
    assert done.returncode != 0 and "parse error" in done.stderr


@pytest.mark.parametrize("expr", variable_queries())
def test_template_variable_queries_return_the_nodes(fleet, expr):
    done = promtool_query(fleet.url, expr)
    assert done.returncode == 0 and done.stdout.count("instance=") >= 3, done.stdout + done.stderr
