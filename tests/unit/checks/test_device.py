"""device.nodes on constructed facts: on a host, in a container, per family."""

from __future__ import annotations

from mlu_doctor.checks.device import device_nodes
from mlu_doctor.findings import Status
from tests.kit.facts import CTL, DEV0, DEV1, card_facts, judge

# --- device.nodes ------------------------------------------------------------------------


def test_nodes_ok_for_all_cards():
    f = judge(device_nodes, card_facts(family="MLU220", nodes=(CTL, DEV0)))
    assert f.status is Status.OK and "1 card(s)" in f.summary


def test_nodes_skip_without_cards():
    f = judge(device_nodes, card_facts(n=0, proc=False, cnmon="missing"))
    assert f.status is Status.SKIP


def test_nodes_missing_on_a_host_says_load_the_driver():
    f = judge(device_nodes, card_facts(n=2, nodes=()))
    assert f.status is Status.FAIL
    assert "/dev/cambricon_ctl and /dev/cambricon_devN missing" in f.summary and "PCI (2)" in f.summary
    assert "modprobe cambricon_drv" in f.remedy and "udev" in f.remedy and "--device" not in f.remedy


def test_nodes_missing_in_a_container_gives_docker_flags():
    f = judge(device_nodes, card_facts(n=2, nodes=(), container=True))
    assert f.status is Status.FAIL
    assert ("--device /dev/cambricon_dev0 --device /dev/cambricon_dev1 --device /dev/cambricon_ctl "
            "--device /dev/cambricon_ipcm0 --device /dev/cambricon_ipcm1") in f.remedy


def test_nodes_missing_in_container_mlu220_needs_no_ipcm():
    f = judge(device_nodes, card_facts(family="MLU220", nodes=(DEV0,), container=True))
    assert f.status is Status.FAIL and "--device /dev/cambricon_dev0 --device /dev/cambricon_ctl" in f.remedy
    assert "ipcm" not in f.remedy


def test_nodes_mlu370_without_ipcm_warns():
    f = judge(device_nodes, card_facts(n=1, nodes=(CTL, DEV0)))
    assert f.status is Status.WARN and "ipcm" in f.summary


def test_nodes_subset_in_container_is_fine_on_host_warns():
    nodes = (CTL, DEV1, "/dev/cambricon_ipcm1")
    assert judge(device_nodes, card_facts(n=2, nodes=nodes, container=True)).status is Status.OK
    assert judge(device_nodes, card_facts(n=2, nodes=nodes)).status is Status.WARN
