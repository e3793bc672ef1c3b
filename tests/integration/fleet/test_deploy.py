"""deploy/: the NPD, Kubernetes, Slurm and CI files load, carry what their tools require, and work."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.kit.files import REPO
from tests.kit.hosts import healthy_root

pytestmark = pytest.mark.fast  # short processes of the deploy scripts (about 1 s in all)

DEPLOY = REPO / "deploy"
DOCTOR = str(Path(sys.executable).parent / "mlu-doctor")
GO_DURATION = re.compile(r"^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$")


def seconds(duration: str) -> float:
    units = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1, "m": 60, "h": 3600}
    return sum(float(n) * units[u] for n, _, u in re.findall(r"(\d+(\.\d+)?)(ns|us|ms|s|m|h)", duration))


@pytest.fixture
def card_root(empty_root):
    return healthy_root(empty_root)


# --- node-problem-detector ------------------------------------------------------------------


def npd_config() -> dict:
    return json.loads((DEPLOY / "npd/mlu-doctor-monitor.json").read_text())


def test_npd_config_is_a_valid_custom_plugin_monitor():
    cfg = npd_config()
    assert cfg["plugin"] == "custom" and cfg["source"]
    glob = cfg["pluginConfig"]
    assert GO_DURATION.match(glob["invoke_interval"]) and GO_DURATION.match(glob["timeout"])
    conditions = {c["type"] for c in cfg["conditions"]}
    assert all(c["reason"] and c["message"] for c in cfg["conditions"])
    for rule in cfg["rules"]:
        assert rule["type"] in ("permanent", "temporary") and rule["reason"]
        assert os.path.isabs(rule["path"]) and isinstance(rule["args"], list)
        assert seconds(rule["timeout"]) <= seconds(glob["timeout"])  # NPD rejects a longer rule timeout
        if rule["type"] == "permanent":
            assert rule["condition"] in conditions  # NPD needs a default condition for it
        assert rule["args"][rule["args"].index("--max-length") + 1] == str(glob["max_output_length"])


@pytest.mark.parametrize("rule", [0, 1])
def test_npd_rules_run_as_configured(card_root, tmp_path, rule):
    args = npd_config()["rules"][rule]["args"]
    healthy = subprocess.run([DOCTOR, *args, "--root", str(card_root)], capture_output=True, text=True, timeout=60)
    assert healthy.returncode == 0 and len(healthy.stdout.splitlines()) == 1
    (tmp_path / "bare/sys/bus/pci/devices").mkdir(parents=True)  # a PCI bus without a card (no bus: unknown)
    sick = subprocess.run([DOCTOR, *args, "--root", str(tmp_path / "bare")], capture_output=True, text=True, timeout=60)
    assert sick.returncode == 1 and len(sick.stdout.splitlines()) == 1 and len(sick.stdout.rstrip("\n")) <= 80


# --- Slurm ----------------------------------------------------------------------------------


def run_healthcheck(tmp_path, root, extra_env=None):
    log = tmp_path / "scontrol.log"
    fake = tmp_path / "scontrol"
    fake.write_text(f'#!/bin/sh\necho "$@" >> {log}\n[ "$1" = show ] && echo "NodeName=n1 Reason=mlu-doctor: old"\nexit 0\n')
    fake.chmod(0o755)
    env = {**os.environ, "MLU_DOCTOR": DOCTOR, "MLU_DOCTOR_ARGS": f"--only device --root {root}",
           "SCONTROL": str(fake), "NODE": "n1", **(extra_env or {})}
    done = subprocess.run(["sh", str(DEPLOY / "slurm/mlu-doctor-healthcheck.sh")], env=env, capture_output=True,
                          text=True, timeout=60)
    return done, (log.read_text() if log.exists() else "")


def test_slurm_healthcheck_drains_with_the_reason(tmp_path):
    (tmp_path / "bare/sys/bus/pci/devices").mkdir(parents=True)  # a PCI bus without a card (no bus: unknown)
    done, calls = run_healthcheck(tmp_path, tmp_path / "bare")
    assert done.returncode == 1
    assert calls.startswith("update NodeName=n1 State=DRAIN Reason=mlu-doctor: device.present: no Cambricon device")


def test_slurm_healthcheck_leaves_healthy_and_unknown_nodes_alone(tmp_path, card_root):
    done, calls = run_healthcheck(tmp_path, card_root)
    assert done.returncode == 0 and calls == ""
    done, calls = run_healthcheck(tmp_path, tmp_path / "missing")
    assert done.returncode == 0 and calls == "" and "cannot judge n1 (exit 2)" in done.stderr


def test_slurm_healthcheck_reads_its_settings_file(tmp_path, card_root):
    settings = tmp_path / "hc.conf"
    settings.write_text("AUTO_RESUME=1\nNODE=n1\n")
    done, calls = run_healthcheck(tmp_path, card_root, {"MLU_DOCTOR_HEALTHCHECK_CONF": str(settings), "NODE": "other"})
    assert done.returncode == 0 and "update NodeName=n1 State=RESUME" in calls


def test_slurm_healthcheck_auto_resume(tmp_path, card_root):
    done, calls = run_healthcheck(tmp_path, card_root, {"AUTO_RESUME": "1"})
    assert done.returncode == 0 and "update NodeName=n1 State=RESUME" in calls


def test_slurm_conf_snippet_names_the_script():
    conf = dict(line.split("=", 1) for line in (DEPLOY / "slurm/slurm.conf.snippet").read_text().splitlines()
                if line and not line.startswith("#"))
    assert conf["HealthCheckProgram"].endswith("mlu-doctor-healthcheck.sh") and int(conf["HealthCheckInterval"]) > 0
    assert conf["HealthCheckNodeState"] in ("ANY", "IDLE", "ALLOC", "MIXED", "NONDRAINED_IDLE", "CYCLE")


# --- CI ---------------------------------------------------------------------------------------


def test_github_actions_workflow():
    wf = yaml.safe_load((DEPLOY / "ci/github-actions.yml").read_text())
    triggers = wf.get("on", wf.get(True))  # YAML 1.1 reads a bare `on` key as true; GitHub reads "on"
    assert wf["name"] and triggers
    steps = wf["jobs"]["mlu-preflight"]["steps"]
    assert wf["jobs"]["mlu-preflight"]["runs-on"] and all(("run" in s) != ("uses" in s) for s in steps)
    runs = " ".join(s.get("run", "") for s in steps)
    assert "check --format github" in runs and "--format junit --output mlu-doctor-junit.xml" in runs
    assert wf["jobs"]["train"]["needs"] == "mlu-preflight"


def test_gitlab_ci_reports_junit():
    ci = yaml.safe_load((DEPLOY / "ci/gitlab-ci.yml").read_text())
    job = ci["mlu-preflight"]
    assert job["stage"] == ".pre" and isinstance(job["script"], list)
    report = job["artifacts"]["reports"]["junit"]
    assert any(f"--format junit --output {report}" in line for line in job["script"])
    assert job["artifacts"]["when"] == "always"
