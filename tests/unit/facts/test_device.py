"""Device, driver and toolkit probes on fixture roots (tests/hosts.py), including bad input."""

from __future__ import annotations

import time

import pytest

from mlu_doctor.facts import gather
from mlu_doctor.facts.context import host_context
from mlu_doctor.facts.device import parse_information
from mlu_doctor.facts.toolkit import lib_versions, parse_dpkg_status, parse_version_txt
from tests.kit import hosts
from tests.kit.files import write


def facts_of(host, sections=("device", "driver", "toolkit"), timeout=3.0):
    ctx = host_context(str(host.root), environ=dict(host.env), timeout=timeout)
    return gather(ctx, sections)


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


def test_hanging_cnmon_is_killed_at_the_timeout(tmp_path):
    host = hosts.cnmon_hangs_host(tmp_path, sleep=30)
    start = time.monotonic()
    f = facts_of(host, ("driver",), timeout=0.5)
    assert time.monotonic() - start < 5
    assert f.driver.cnmon.status == "timeout"
    assert f.errors["driver"] == "cnmon timed out after 0.5 s"
    assert f.driver.versions == {"proc": "4.6.9", "module": "4.6.9"}, "other sources still count"


def test_cnmon_missing_from_path(tmp_path):
    host = hosts.mlu220_m2_host(tmp_path)
    host.env["PATH"] = str(tmp_path / "empty")
    f = facts_of(host, ("driver",))
    assert f.driver.cnmon.status == "missing" and "cnmon" not in f.driver.versions


def test_cnmon_info_runs_only_when_the_table_is_unreadable(tmp_path):
    host = hosts.mlu220_m2_host(tmp_path)
    info = "Card 0\nProduct Name : MLU220-M2\nDriver : v4.6.9\nFirmware : v1.1.1\n"
    hosts.fake_cnmon(host.bindir, "| CNMON 9.0 | a layout from the future\n", info=info)
    f = facts_of(host, ("driver",))
    assert host.cnmon_calls() == ["", "info"]
    assert (f.driver.cnmon.status, f.driver.cnmon.layout, f.driver.cnmon.driver_version) == ("ok", "info", "4.6.9")


def test_cnmon_failing_with_garbage_records_an_error(tmp_path):
    host = hosts.mlu220_m2_host(tmp_path)
    hosts.fake_cnmon(host.bindir, b"\xff\xfe segfault \x00\x01", code=139)
    f = facts_of(host, ("driver",))
    assert f.driver.cnmon.status == "failed" and f.errors["driver"].startswith("cnmon failed")


def test_container_markers_and_no_nodes(tmp_path):
    f = facts_of(hosts.no_dev_nodes_host(tmp_path, container=True))
    assert f.device.in_container and f.device.container_markers == ["/.dockerenv"]
    assert f.device.nodes == [] and len(f.device.proc) == 2
    assert f.toolkit.neuware_home == "/torch/neuware_home"


@pytest.mark.parametrize(
    "name, family, model",
    [("MLU220-M2", "MLU220", "MLU220-M2"), ("mlu-220 M2", "MLU220", "MLU220-M2"), ("mlu-270 F4", "MLU270", "MLU270-F4"),
     ("mlu-100", "MLU100", "MLU100"), ("MLU370-X8", "MLU370", "MLU370-X8"), ("mlu-cambricon", None, None),
     ("MLU370-X8-VF", "MLU370", "MLU370-X8")],  # the driver names a virtual function "<board>-VF"
)
def test_information_name_styles(name, family, model):
    card = parse_information(f"Device name: {name}\nDriver Version: v4.9.2\nBus Type: PCIE\n", "0000:01:00.0")
    assert (card.family, card.model, card.driver_version, card.bus_type) == (family, model, "4.9.2", "PCIE")


def test_edge_soc_directory_and_unknown_board(tmp_path):
    host = hosts.mlu220_m2_host(tmp_path)
    hosts.add_proc_card(host.root, "cabc:0228", "mlu-cambricon", "4.6.9", text="Device name: mlu-cambricon\n"
                        "Driver Version: v4.6.9\nBus Type: EDGE\n")
    f = facts_of(host, ("device",))
    edge = next(c for c in f.device.proc if c.bus == "cabc:0228")
    assert (edge.family, edge.name, edge.bus_type) == (None, "mlu-cambricon", "EDGE")


@pytest.mark.parametrize("content", [b"Device name: MLU2", b"\xff\xfe\x00\x81garbage\x00", b""])
def test_truncated_or_binary_information_file(tmp_path, content):
    host = hosts.mlu220_m2_host(tmp_path)
    hosts.add_proc_card(host.root, "0002:21:00.0", "", "", text=content)
    f = facts_of(host, ("device",))
    [card] = f.device.proc
    assert card.bus == "0002:21:00.0" and card.driver_version is None
    assert f.device.problems and "information" in f.device.problems[0]


def test_garbage_pci_files_are_skipped(tmp_path):
    host = hosts.mlu220_m2_host(tmp_path)
    write(host.root / "sys/bus/pci/devices/0000:05:00.0/vendor", b"\xff\xfe")
    f = facts_of(host, ("device",))
    assert [p.address for p in f.device.pci] == ["0002:21:00.0"]


def test_toolkit_pure_parsers():
    assert parse_version_txt("Neuware Version 3.9.0\n") == "3.9.0"
    assert parse_version_txt("garbage") is None
    names = ["libcnrt.so", "libcnrt.so.6", "libcnrt.so.6.7.0", "libcnnl.so.1.21.1", "libcncl.so", "libfoo.so.1"]
    assert lib_versions(names) == {"cnrt": "6.7.0", "cnnl": "1.21.1", "cncl": ""}
    status = "Package: cntoolkit\nStatus: deinstall ok config-files\nVersion: 1.6.0-1\n\n"
    assert parse_dpkg_status(status) is None
    assert parse_dpkg_status(status + "Package: cntoolkit\nStatus: install ok installed\nVersion: 1.7.14-1.ubuntu18.04\n") \
        == ("cntoolkit", "1.7.14")


def test_toolkit_resolution_order_and_loader_paths(tmp_path):
    host = hosts.mlu370_host(tmp_path)
    hosts.add_neuware(host.root, home="/torch/neuware_home", version="3.9.0")
    host.env.update(NEUWARE_HOME="/nowhere", LD_LIBRARY_PATH="/usr/lib")
    write(host.root / "etc/ld.so.conf.d/neuware.conf", "/usr/local/neuware/lib64/\n")
    tk = facts_of(host, ("toolkit",)).toolkit
    assert tk.looked_at == ["/nowhere", "/usr/local/neuware"], "stops at the first hit"
    assert (tk.neuware_home, tk.source, tk.neuware_home_env) == ("/usr/local/neuware", "/usr/local/neuware", "/nowhere")
    assert tk.lib64_on_ld_path is False and tk.lib64_in_ld_conf is True


def test_no_toolkit_anywhere(tmp_path):
    host = hosts.no_driver_host(tmp_path)
    import shutil

    shutil.rmtree(host.root / "usr/local/neuware")
    host.env["NEUWARE_HOME"] = ""
    tk = facts_of(host, ("toolkit",)).toolkit
    assert tk.neuware_home is None and tk.version is None
    assert tk.looked_at == ["/usr/local/neuware", "/torch/neuware_home", "/var/lib/dpkg/status"]


def test_no_commands_run_when_exec_is_not_allowed(tmp_path):
    host = hosts.mlu220_m2_host(tmp_path)
    ctx = host_context(str(host.root), environ=dict(host.env), can_run=False)
    f = gather(ctx, ("driver",))
    assert f.driver.cnmon.status == "missing" and host.cnmon_calls() == []
    assert f.driver.versions == {"proc": "4.6.9", "module": "4.6.9"}


def test_cgroup_marker_and_vm_with_only_vfs(tmp_path):
    host = hosts.no_driver_host(tmp_path)
    hosts.mark_container(host.root, cgroup=True)
    (host.root / ".dockerenv").unlink()
    hosts.add_pci(host.root, "0000:1b:00.0", 0x0371, driver=None)  # replaces the PF by a VF
    f = facts_of(host, ("device",))
    assert f.device.container_markers == ["/proc/1/cgroup"]
    [vf] = f.device.pci
    assert vf.is_vf and vf.family == "MLU370"
