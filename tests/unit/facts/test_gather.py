"""Whole fixture hosts through gather(): device, driver and toolkit facts together; no command runs when
the target may not run commands."""

from __future__ import annotations

from mlu_doctor.facts import gather
from mlu_doctor.facts.context import host_context
from tests.kit import hosts
from tests.kit.hosts import facts_of


def test_mlu220_host_device_driver_toolkit(tmp_path):
    host = hosts.mlu220_m2_host(tmp_path)
    f = facts_of(host)
    [pci] = f.device.pci
    assert (pci.family, pci.sku, pci.kernel_driver, pci.is_vf) == ("MLU220", "MLU220-M2", "cambricon-pci-drv", False)
    [card] = f.device.proc
    assert (card.model, card.driver_version, card.inode_path) == ("MLU220-M2", "4.6.9", "/dev/cambricon_dev0")
    assert f.device.nodes == ["/dev/cambricon_ctl", "/dev/cambricon_dev0"] and not f.device.in_container
    assert f.device.proc_dir is True and f.device.problems == []
    d = f.driver
    assert (d.module_loaded, d.module_version, d.module_source) == (True, "4.6.9", "/proc/modules")
    assert d.versions == {"proc": "4.6.9", "cnmon": "4.6.9", "module": "4.6.9"}
    assert (d.cnmon.status, d.cnmon.layout, d.cnmon.path) == ("ok", "1.x", str(host.bindir / "cnmon"))
    assert host.cnmon_calls() == [""], "cnmon runs once; `cnmon info` only when the table lacks something"
    tk = f.toolkit
    assert (tk.neuware_home, tk.source, tk.era) == ("/usr/local/neuware", "NEUWARE_HOME", "cnml")
    assert (tk.version, tk.version_source) == ("1.7.5", "dpkg")
    assert tk.libs["cnrt"] == "4.7.5" and tk.lib64_on_ld_path is True
    assert "driver" not in f.errors


def test_mlu370_host_two_cards_cnnl_toolkit(tmp_path):
    host = hosts.mlu370_host(tmp_path)
    f = facts_of(host)
    assert [p.sku for p in f.device.pci] == ["MLU370-X4", "MLU370-X4"]
    assert "/dev/cambricon_ipcm1" in f.device.nodes
    assert f.driver.versions == {"proc": "5.10.22", "cnmon": "5.10.22", "module": "5.10.22"}
    assert [c.bus_id for c in f.driver.cnmon.cards] == ["0000:1B:00.0", "0000:36:00.0"]
    tk = f.toolkit
    assert (tk.version, tk.version_source, tk.era) == ("3.7.2", "version.txt", "cnnl")
    assert tk.libs == hosts.CNNL_LIBS


def test_no_driver_host(tmp_path):
    f = facts_of(hosts.no_driver_host(tmp_path))
    assert f.device.pci and f.device.pci[0].kernel_driver is None
    assert f.device.proc == [] and f.device.proc_dir is False and f.device.nodes == []
    assert f.driver.module_loaded is False and f.driver.cnmon.status == "no-driver"
    assert f.driver.versions == {}


def test_no_commands_run_when_exec_is_not_allowed(tmp_path):
    host = hosts.mlu220_m2_host(tmp_path)
    ctx = host_context(str(host.root), environ=dict(host.env), can_run=False)
    f = gather(ctx, ("driver",))
    assert f.driver.cnmon.status == "missing" and host.cnmon_calls() == []
    assert f.driver.versions == {"proc": "4.6.9", "module": "4.6.9"}
