"""device.*, driver.*, toolkit.* checks on constructed facts, and the CLI end to end on fixture hosts."""

from __future__ import annotations

import json

import pytest

from mlu_doctor.checks.device import device_nodes
from mlu_doctor.checks.driver import driver_loaded, driver_version
from mlu_doctor.checks.toolkit import toolkit_neuware
from mlu_doctor.config import Config
from mlu_doctor.engine import run_check
from mlu_doctor.facts.model import (
    CnmonCard,
    CnmonFacts,
    DeviceFacts,
    DriverFacts,
    Facts,
    PciDevice,
    ProcCard,
    ToolkitFacts,
)
from mlu_doctor.models import Status
from tests.kit import hosts
from tests.kit.files import write

CTL, DEV0, DEV1 = "/dev/cambricon_ctl", "/dev/cambricon_dev0", "/dev/cambricon_dev1"


def make(family="MLU370", n=1, nodes=(CTL, DEV0), container=False, module=True, versions=None, cnmon="ok",
         proc=True, toolkit=None):
    """Facts for `n` cards of `family` with the given nodes, module state, versions and cnmon status."""
    dev_id = "0x" + family[3:].rjust(4, "0")
    pci = [PciDevice(f"0000:{i + 1:02x}:00.0", dev_id, family) for i in range(n)]
    cards = [ProcCard(p.address, family + "-X4", family, family + "-X4", "5.10.22", inode_path=f"/dev/cambricon_dev{i}")
             for i, p in enumerate(pci)] if proc else []
    device = DeviceFacts(pci=pci, proc=cards, nodes=list(nodes), in_container=container,
                         container_markers=["/.dockerenv"] if container else [], proc_dir=proc)
    cn = CnmonFacts(status=cnmon, excerpt="cndev init failed: CNDEV_ERROR_NO_DRIVER." if cnmon == "no-driver" else "",
                    cards=[CnmonCard(i, family + "-X4", family) for i in range(n)] if cnmon == "ok" else [])
    driver = DriverFacts(module_loaded=module, module_source="/proc/modules" if module is not None else None,
                         versions={"proc": "5.10.22"} if versions is None else versions, cnmon=cn)
    return Facts(device=device, driver=driver, toolkit=toolkit)


def run(spec, facts):
    return run_check(spec, facts, Config())


# --- device.nodes ------------------------------------------------------------------------


def test_nodes_ok_for_all_cards():
    f = run(device_nodes, make(family="MLU220", nodes=(CTL, DEV0)))
    assert f.status is Status.OK and "1 card(s)" in f.summary


def test_nodes_skip_without_cards():
    f = run(device_nodes, make(n=0, proc=False, cnmon="missing"))
    assert f.status is Status.SKIP


def test_nodes_missing_on_a_host_says_load_the_driver():
    f = run(device_nodes, make(n=2, nodes=()))
    assert f.status is Status.FAIL
    assert "/dev/cambricon_ctl and /dev/cambricon_devN missing" in f.summary and "PCI (2)" in f.summary
    assert "modprobe cambricon_drv" in f.remedy and "udev" in f.remedy and "--device" not in f.remedy


def test_nodes_missing_in_a_container_gives_docker_flags():
    f = run(device_nodes, make(n=2, nodes=(), container=True))
    assert f.status is Status.FAIL
    assert ("--device /dev/cambricon_dev0 --device /dev/cambricon_dev1 --device /dev/cambricon_ctl "
            "--device /dev/cambricon_ipcm0 --device /dev/cambricon_ipcm1") in f.remedy


def test_nodes_missing_in_container_mlu220_needs_no_ipcm():
    f = run(device_nodes, make(family="MLU220", nodes=(DEV0,), container=True))
    assert f.status is Status.FAIL and "--device /dev/cambricon_dev0 --device /dev/cambricon_ctl" in f.remedy
    assert "ipcm" not in f.remedy


def test_nodes_mlu370_without_ipcm_warns():
    f = run(device_nodes, make(n=1, nodes=(CTL, DEV0)))
    assert f.status is Status.WARN and "ipcm" in f.summary


def test_nodes_subset_in_container_is_fine_on_host_warns():
    nodes = (CTL, DEV1, "/dev/cambricon_ipcm1")
    assert run(device_nodes, make(n=2, nodes=nodes, container=True)).status is Status.OK
    assert run(device_nodes, make(n=2, nodes=nodes)).status is Status.WARN


# --- driver.loaded -----------------------------------------------------------------------


def test_loaded_ok():
    f = run(driver_loaded, make())
    assert f.status is Status.OK and "module cambricon_drv loaded" in f.summary


def test_no_driver_from_cnmon_fails_even_when_module_loaded():
    f = run(driver_loaded, make(cnmon="no-driver"))
    assert f.status is Status.FAIL and "CNDEV_ERROR_NO_DRIVER" in f.summary
    assert any("CNDEV_ERROR_NO_DRIVER" in e.excerpt for e in f.evidence)


def test_no_driver_in_container_without_ctl_blames_the_docker_run():
    f = run(driver_loaded, make(cnmon="no-driver", container=True, nodes=()))
    assert f.status is Status.FAIL and "--device" in f.summary


def test_module_not_loaded_with_pci_cards_fails():
    f = run(driver_loaded, make(module=False, proc=False, cnmon="missing"))
    assert f.status is Status.FAIL and "cambricon_drv is not loaded" in f.summary


def test_proc_missing_while_pci_shows_cards_fails():
    f = run(driver_loaded, make(module=None, proc=False, cnmon="missing"))
    assert f.status is Status.FAIL and "/proc/driver/cambricon is missing" in f.summary


def test_loaded_unknown_skips():
    facts = make(module=None, proc=False, cnmon="timeout")
    facts.device.proc_dir = None
    assert run(driver_loaded, facts).status is Status.SKIP


def test_no_cards_and_no_module_skips():
    assert run(driver_loaded, make(n=0, module=False, proc=False, cnmon="missing")).status is Status.SKIP


# --- driver.version ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "family, version, status",
    [("MLU370", "4.20.9", Status.OK), ("MLU370", "4.20.8", Status.FAIL), ("MLU370", "5.10.22", Status.OK),
     ("MLU590", "4.20.11", Status.FAIL), ("MLU590", "5.0.0", Status.OK), ("MLU220", "4.6.9", Status.OK)],
)
def test_version_minimums(family, version, status):
    f = run(driver_version, make(family=family, versions={"proc": version}))
    assert f.status is status and version in f.summary


def test_version_disagreement_warns():
    f = run(driver_version, make(versions={"proc": "5.10.22", "cnmon": "5.10.10"}))
    assert f.status is Status.WARN and "5.10.22 (/proc/driver/cambricon), 5.10.10 (cnmon)" in f.summary


def test_version_unknown_skips_and_unknown_family_never_guesses():
    assert run(driver_version, make(versions={})).status is Status.SKIP
    f = run(driver_version, make(family="MLU999", versions={"proc": "1.0.0"}))
    assert f.status is Status.OK and "no known minimum" in f.summary


# --- toolkit.neuware ---------------------------------------------------------------------


def tk(**kw):
    base = dict(neuware_home="/usr/local/neuware", source="/usr/local/neuware", version="3.7.2",
                libs={"cnrt": "6.7.0", "cnnl": "1.21.1"}, era="cnnl", lib64_on_ld_path=True, bin_on_path=True)
    base.update(kw)
    return ToolkitFacts(**base)


def test_toolkit_ok():
    f = run(toolkit_neuware, make(toolkit=tk()))
    assert f.status is Status.OK
    assert f.summary == "Neuware 3.7.2 at /usr/local/neuware (CNNL era; cnnl 1.21.1, cnrt 6.7.0)"


def test_toolkit_missing_warns_and_says_where_it_looked():
    f = run(toolkit_neuware, make(toolkit=ToolkitFacts(looked_at=["/usr/local/neuware", "/torch/neuware_home"])))
    assert f.status is Status.WARN and "looked at /usr/local/neuware, /torch/neuware_home" in f.summary
    assert "container" in f.details


def test_toolkit_not_on_ld_path_warns_with_recipe():
    f = run(toolkit_neuware, make(toolkit=tk(lib64_on_ld_path=False, lib64_in_ld_conf=False)))
    assert f.status is Status.WARN and f.recipe == "toolkit.ld-path"
    assert "/usr/local/neuware/lib64" in f.summary and "LD_LIBRARY_PATH" in f.remedy


def test_toolkit_in_ld_conf_is_enough():
    assert run(toolkit_neuware, make(toolkit=tk(lib64_on_ld_path=False, lib64_in_ld_conf=True))).status is Status.OK


@pytest.mark.parametrize("era, family", [("cnnl", "MLU220"), ("cnml", "MLU370")])
def test_toolkit_era_mismatch_is_an_inferred_warning(era, family):
    f = run(toolkit_neuware, make(family=family, toolkit=tk(era=era)))
    assert f.status is Status.WARN and "inferred" in f.summary and family in f.summary


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
