"""The device probe on fixture roots (tests/kit/hosts.py): container markers, /proc information styles, bad input."""

from __future__ import annotations

import pytest

from mlu_doctor.facts.device import parse_information
from tests.kit import hosts
from tests.kit.files import write
from tests.kit.hosts import facts_of


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


def test_cgroup_marker_and_vm_with_only_vfs(tmp_path):
    host = hosts.no_driver_host(tmp_path)
    hosts.mark_container(host.root, cgroup=True)
    (host.root / ".dockerenv").unlink()
    hosts.add_pci(host.root, "0000:1b:00.0", 0x0371, driver=None)  # replaces the PF by a VF
    f = facts_of(host, ("device",))
    assert f.device.container_markers == ["/proc/1/cgroup"]
    [vf] = f.device.pci
    assert vf.is_vf and vf.family == "MLU370"
