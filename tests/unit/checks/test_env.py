"""env.* checks: constructed facts, the env probe, and the CLI on real directories."""

from __future__ import annotations

import json

import pytest

from mlu_doctor.checks.env import env_torch_home, env_visible_devices
from mlu_doctor.checks.runner import run_check
from mlu_doctor.config import Config
from mlu_doctor.facts.context import host_context
from mlu_doctor.facts.env import probe as env_probe
from mlu_doctor.facts.model import (
    DeviceFacts,
    DriverFacts,
    EnvFacts,
    Facts,
    ProcCard,
)
from mlu_doctor.findings import Status
from tests.kit import pyenvs
from tests.kit.files import write


def torch_home_finding(root, value, cwd="/"):
    env = env_probe(host_context(str(root), cwd=cwd, environ={"TORCH_HOME": value} if value is not None else {}))
    return run_check(env_torch_home, Facts(env=env), Config())


def test_torch_home_cases(tmp_path, monkeypatch):
    (tmp_path / "models/pytorch").mkdir(parents=True)
    write(tmp_path / "afile", "")
    unset = torch_home_finding(tmp_path, None)
    assert unset.status is Status.WARN and unset.recipe == "env.torch-home" and "export TORCH_HOME" in unset.remedy
    assert torch_home_finding(tmp_path, "models/pytorch").status is Status.OK  # relative to the cwd
    missing = torch_home_finding(tmp_path, "/nope/torch")
    assert missing.status is Status.FAIL and "does not exist" in missing.summary and "mkdir -p /nope/torch" in missing.remedy
    assert "is a file" in torch_home_finding(tmp_path, "/afile").summary
    monkeypatch.setattr("os.access", lambda path, mode: False)  # the tests run as root, where access() always says yes
    ro = torch_home_finding(tmp_path, "/models/pytorch")
    assert ro.status is Status.FAIL and "not writable" in ro.summary


def vis(env_vars, cards=2, container_nodes=None):
    dev = DeviceFacts(proc=[ProcCard(f"b{i}", "MLU370-X8", "MLU370", "MLU370-X8") for i in range(cards)])
    if container_nodes is not None:
        dev.in_container, dev.nodes = True, [f"/dev/cambricon_dev{i}" for i in range(container_nodes)]
    return run_check(env_visible_devices, Facts(env=EnvFacts(vars=env_vars), device=dev, driver=DriverFacts()), Config())


@pytest.mark.parametrize("env_vars, status, text", [
    ({}, Status.OK, "unset"),
    ({"MLU_VISIBLE_DEVICES": "0,1"}, Status.OK, "2 card"),
    ({"MLU_VISIBLE_DEVICES": ""}, Status.FAIL, "hides every card"),
    ({"MLU_VISIBLE_DEVICES": "0,3"}, Status.FAIL, "names card(s) 3, but only 2"),
    ({"MLU_VISIBLE_DEVICES": "all"}, Status.WARN, "not a comma-separated list"),
    ({"MLU_VISIBLE_DEVICES": "1,1"}, Status.WARN, "twice"),
    ({"CAMBRICON_VISIBLE_DEVICES": "5"}, Status.WARN, "inferred"),
])
def test_visible_devices(env_vars, status, text):
    f = vis(env_vars)
    assert f.status is status and text in f.summary, f.summary


def test_visible_devices_in_a_container_counts_dev_nodes():
    assert vis({"MLU_VISIBLE_DEVICES": "1"}, cards=4, container_nodes=1).status is Status.FAIL
    assert vis({"MLU_VISIBLE_DEVICES": "1"}, cards=0).status is Status.SKIP


def findings(cli, args, env=None):
    result = cli(["check", "--format", "json", *args], env=env)
    return result, {f["id"]: f for f in json.loads(result.stdout)["findings"]}


def test_cli_yolov5_run_by_path_from_outside_a_script_outside_and_shadowed(cli, tmp_path, monkeypatch):
    """A real run at --root /: the framework probe asks the real python3, the project is a real directory."""
    top = pyenvs.yolov5_tree(tmp_path / "yolov5")
    monkeypatch.chdir(tmp_path)
    env = {"PYTHONPATH": ""}
    result, out = findings(cli, ["--only", "env.pythonpath", "--project", top], env)
    assert result.exit_code == 0 and out["env.pythonpath"]["status"] == "ok"  # python yolov5/train.py works
    write(tmp_path / "gen_wts.py", "from utils.torch_utils import select_device\n")
    result, out = findings(cli, ["--only", "env.pythonpath", "--project", top], env)
    f = out["env.pythonpath"]
    assert result.exit_code == 1 and f["status"] == "fail" and "No module named 'utils'" in f["summary"]
    assert f"{tmp_path}/gen_wts.py (outside the project)" in f["summary"] and f["recipe"] == "env.pythonpath"
    assert f["remedy"].startswith("mlu-doctor fix env.pythonpath puts")
    write(tmp_path / "utils.py", "")
    _, out = findings(cli, ["--only", "env.pythonpath", "--project", top], {"PYTHONPATH": str(top)})
    f = out["env.pythonpath"]
    assert f["status"] == "fail" and f"resolves to {tmp_path / 'utils.py'}" in f["summary"] and "is not a package" in f["summary"]
    assert "Rename or remove" in f["remedy"]
    monkeypatch.chdir(top)
    _, out = findings(cli, ["--only", "env.pythonpath"], env)
    assert out["env.pythonpath"]["status"] == "ok"


def test_torch_home_writability_is_a_real_test_write_on_this_machine(tmp_path, monkeypatch):
    """As root, os.access calls /sys/kernel writable; a test write (removed at once) says it is not."""
    def at_host(value):
        env = env_probe(host_context("/", cwd=str(tmp_path), environ={"TORCH_HOME": value}))
        return env, run_check(env_torch_home, Facts(env=env), Config())

    env, f = at_host("/sys/kernel")
    assert f.status is Status.FAIL and "not writable" in f.summary and env.torch_home_write_error
    (tmp_path / "th").mkdir()
    env, f = at_host(str(tmp_path / "th"))
    assert f.status is Status.OK and "free" in f.summary and list((tmp_path / "th").iterdir()) == []
    monkeypatch.setattr("mlu_doctor.facts.env.free_bytes", lambda path: 200 * 1024 * 1024)
    env, f = at_host(str(tmp_path / "th"))
    assert f.status is Status.WARN and "only 200 MiB free" in f.summary
