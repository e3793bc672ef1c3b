"""The seed's cases end to end through the CLI: fixture roots on disk, real probes, JSON findings."""

from __future__ import annotations

import json

import pytest

from tests.kit import hosts, pyenvs
from tests.kit.files import write
from tests.kit.hosts import add_pci_card
from tests.kit.seed import seed_root

pytestmark = pytest.mark.fast  # in-process CLI


def check_json(cli, args):
    result = cli(["check", "--format", "json", *args])
    assert "Traceback" not in result.stderr
    return result, {f["id"]: f for f in json.loads(result.stdout)["findings"]}


def test_seed_cnml_image_on_mlu220(cli, tmp_path):
    root = seed_root(tmp_path)
    result, out = check_json(cli, ["--root", root, "--only", "framework."])
    arch = out["framework.arch-match"]
    assert result.exit_code == 1 and arch["status"] == "fail"
    assert arch["summary"] == ("torch 1.3.0a0 (CNML era, kernels for MLU270) on an MLU220-M2 card. MLU220 runs offline "
                               ".cambricon models through CNRT: regenerate with genoff.py -mcore MLU220 -core_number 4 "
                               "on an MLU270 host.")
    assert "genoff.py -mcore MLU220 -core_number 4" in arch["remedy"]
    sources = [e["source"] for e in arch["evidence"]]
    assert any("torch_mlu/core/mlu_model.py" in s for s in sources) and any("/proc/driver/cambricon" in s for s in sources)
    assert out["framework.installed"]["status"] == "ok" and "CNML era" in out["framework.installed"]["summary"]


def test_seed_human_output_and_replay(cli, tmp_path):
    root = seed_root(tmp_path)
    human = cli(["check", "--root", root, "--only", "framework.arch-match", "-v"])
    assert human.exit_code == 1 and "FAIL" in human.stdout and "framework.arch-match" in human.stdout
    dumped = cli(["facts", "--root", root])
    path = write(tmp_path / "facts.json", dumped.stdout)
    replay = json.loads(cli(["check", "--facts", path, "--format", "json", "--only", "framework."]).stdout)
    live = json.loads(cli(["check", "--root", root, "--format", "json", "--only", "framework."]).stdout)
    assert replay["findings"] == live["findings"]


def test_mlu270_workload_in_project_on_mlu220(cli, tmp_path, monkeypatch):
    root = tmp_path / "root"
    add_pci_card(root, "0000:01:00.0", 0x0220, 0x0033)
    write(root / "work/app/run.py", "import torch_mlu.core.mlu_model as ct\nct.set_core_version('MLU270')\n")
    monkeypatch.chdir(root / "work/app")
    result, out = check_json(cli, ["--root", root, "--only", "framework.arch-match"])
    arch = out["framework.arch-match"]
    assert arch["status"] == "fail" and "/work/app/run.py:2" in arch["summary"]


def test_torch_mlu_122_with_driver_5_10(cli, tmp_path):
    root = tmp_path / "root"
    pyenvs.torch_mlu_122(root)
    add_pci_card(root, "0000:1b:00.0", 0x0370, 0x0054)
    pyenvs.add_proc_card(root, "0000:1b:00.0", "MLU370-X8", "v5.10.10")
    result, out = check_json(cli, ["--root", root, "--only", "framework."])
    req = out["framework.requirements"]
    assert out["framework.arch-match"]["status"] == "ok"
    assert req["status"] == "fail" and result.exit_code == 1
    assert req["summary"] == "torch_mlu 1.22.2 needs newer components: driver 5.10.10 < 6.2.0-1"


def test_healthy_mlu370_with_torch_mlu_117(cli, tmp_path):
    root = tmp_path / "root"
    pyenvs.torch_mlu_env(root)
    hosts.add_neuware(root, version="3.7.2")
    write(root / "etc/ld.so.conf", "include /etc/ld.so.conf.d/*.conf\n")
    write(root / "etc/ld.so.conf.d/neuware.conf", "/usr/local/neuware/lib64\n")
    add_pci_card(root, "0000:1b:00.0", 0x0370, 0x0054)
    pyenvs.add_proc_card(root, "0000:1b:00.0", "MLU370-X8", "v5.10.22")
    _, out = check_json(cli, ["--root", root, "--only", "framework."])
    assert out["framework.arch-match"]["status"] == "ok"
    assert out["framework.installed"]["summary"].startswith("torch 1.13.1, torch_mlu 1.17.0")
    assert {k: v["status"] for k, v in out.items()} == {
        "framework.installed": "ok", "framework.arch-match": "ok", "framework.libraries": "ok",
        "framework.requirements": "ok", "framework.torch-pairing": "ok"}, out
