"""device.*, driver.*, toolkit.* end to end through the CLI on fixture hosts (tests/kit/hosts.py): healthy,
no driver, cnmon hanging, no /dev nodes, bad /proc and cnmon output, VFs only, facts replayed."""

from __future__ import annotations

import json

import pytest

from tests.kit import hosts
from tests.kit.files import write

pytestmark = pytest.mark.fast  # in-process CLI on fixture hosts (about 2 s in all)

# --- CLI end to end ----------------------------------------------------------------------

ONLY = ["--only", "device.,driver.,toolkit."]


def check_json(cli, host, *extra):
    result = cli(["check", "--root", host.root, *ONLY, "--format", "json", *extra], env=host.env)
    assert "Traceback" not in result.stdout + result.stderr
    return result.exit_code, {f["id"]: f for f in json.loads(result.stdout)["findings"]}


def statuses(found):
    return {k: v["status"] for k, v in found.items()}


def test_cli_healthy_mlu220(cli, tmp_path):
    code, found = check_json(cli, hosts.mlu220_m2_host(tmp_path))
    assert code == 0 and set(statuses(found).values()) == {"ok"}, statuses(found)
    assert "4.6.9" in found["driver.version"]["summary"] and "CNML era" in found["toolkit.neuware"]["summary"]


def test_cli_healthy_mlu370(cli, tmp_path):
    code, found = check_json(cli, hosts.mlu370_host(tmp_path))
    assert code == 0 and set(statuses(found).values()) == {"ok"}, statuses(found)
    assert found["device.present"]["summary"] == "2 card(s): 2 x MLU370-X4"


def test_cli_no_driver(cli, tmp_path):
    code, found = check_json(cli, hosts.no_driver_host(tmp_path))
    assert code == 1
    assert statuses(found)["driver.loaded"] == "fail" and statuses(found)["device.nodes"] == "fail"
    assert statuses(found)["driver.version"] == "skip"


def test_cli_cnmon_hangs(cli, tmp_path):
    host = hosts.cnmon_hangs_host(tmp_path, sleep=30)
    result = cli(["check", "--root", host.root, *ONLY, "--timeout", "0.5", "-v"], env=host.env)
    assert result.exit_code == 0, result.stdout
    assert "timed out after 0.5 s" in result.stdout


def test_cli_facts_records_the_cnmon_timeout(cli, tmp_path):
    host = hosts.cnmon_hangs_host(tmp_path, sleep=30)
    result = cli(["facts", "--root", host.root, "--timeout", "0.5"], env=host.env)
    data = json.loads(result.stdout)
    assert data["errors"]["driver"] == "cnmon timed out after 0.5 s" and data["driver"]["cnmon"]["status"] == "timeout"


@pytest.mark.parametrize("container", [False, True])
def test_cli_no_dev_nodes(cli, tmp_path, container):
    code, found = check_json(cli, hosts.no_dev_nodes_host(tmp_path, container=container))
    nodes = found["device.nodes"]
    assert code == 1 and nodes["status"] == "fail"
    if container:
        assert "--device /dev/cambricon_dev0 --device /dev/cambricon_dev1 --device /dev/cambricon_ctl" in nodes["remedy"]
        assert "--device /dev/cambricon_ipcm0" in nodes["remedy"]
    else:
        assert "udev" in nodes["remedy"]


def test_cli_bad_proc_and_cnmon_output_give_findings_not_tracebacks(cli, tmp_path):
    host = hosts.mlu370_host(tmp_path)
    write(host.root / "proc/driver/cambricon/mlus/0000:1b:00.0/information", b"Device na\xff\xfe\x00")
    hosts.fake_cnmon(host.bindir, hosts.mlu370_table()[:300])
    code, found = check_json(cli, host)
    assert found["device.present"]["status"] == "ok" and "binary content" in found["device.present"]["details"]
    assert found["driver.version"]["summary"].startswith("driver 5.10.22")
    assert code == 0


def test_vm_with_only_vfs_still_has_a_card(cli, tmp_path):
    host = hosts.no_driver_host(tmp_path)
    hosts.add_pci(host.root, "0000:1b:00.0", 0x0371, driver=None)
    code, found = check_json(cli, host)
    assert found["device.present"]["status"] == "ok" and "MLU370" in found["device.present"]["summary"]


def test_facts_replay_keeps_cnmon_timeout_and_findings(cli, tmp_path):
    host = hosts.cnmon_hangs_host(tmp_path, sleep=30)
    dumped = cli(["facts", "--root", host.root, "--timeout", "0.5"], env=host.env)
    path = write(tmp_path / "facts.json", dumped.stdout)
    replay = cli(["check", "--facts", path, *ONLY, "--format", "json"])
    found = {f["id"]: f for f in json.loads(replay.stdout)["findings"]}
    assert found["driver.loaded"]["status"] == "warn" and "timed out after 0.5 s" in found["driver.loaded"]["summary"]
    assert found["driver.version"]["status"] == "ok"
