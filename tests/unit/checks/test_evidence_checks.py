"""device.present and driver.loaded say "unknown" (skip) when nothing could tell, never ok and never a fail:
fleet monitors drain a node on a fail, and a hung cnmon is not evidence of anything."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mlu_doctor.checks.device import device_present
from mlu_doctor.checks.runner import run_check
from mlu_doctor.config import Config
from mlu_doctor.facts.model import CnmonFacts, DeviceFacts, DriverFacts, Facts
from mlu_doctor.findings import Status
from tests.kit import hosts
from tests.kit.files import path_with
from tests.kit.hosts import add_pci_card

ONLY = ["--only", "device.present,driver.loaded", "--timeout", "0.5"]


def blind_root(tmp_path: Path, pci: bool = False, proc: bool = False, cnmon: str = "hangs") -> hosts.HostFixture:
    """A root where the card question is open: no /sys/bus/pci (unless `pci`), no /proc (unless `proc`), and a
    cnmon that hangs, is missing, or answers a table without cards."""
    root, bindir = tmp_path / "root", tmp_path / "bin"
    (root / "dev").mkdir(parents=True)
    if pci:
        (root / "sys/bus/pci/devices").mkdir(parents=True)
    if proc:
        (root / "proc/driver").mkdir(parents=True)
        (root / "proc/modules").write_text("ext4 1 0 - Live 0x0\n")
    bindir.mkdir()
    if cnmon == "hangs":
        hosts.fake_cnmon(bindir, "", sleep=30)
    return hosts.HostFixture(root=root, bindir=bindir, env={"PATH": path_with(bindir)})


def findings(cli, host, *args, lang="en"):
    result = cli(["check", "--root", host.root, *ONLY, "--format", "json", "--lang", lang, *args], env=host.env)
    return result, {f["id"]: f for f in json.loads(result.stdout)["findings"]}


def test_no_evidence_at_all_is_a_skip_that_says_what_could_not_be_looked_at(cli, tmp_path):
    host = blind_root(tmp_path)
    result, found = findings(cli, host)
    present = found["device.present"]
    assert present["status"] == "skip" and result.exit_code == 0
    assert present["summary"] == ("unknown whether a Cambricon card is present: /sys/bus/pci/devices could not be "
                                  "listed; /proc has no driver information (no /proc/modules, no /proc/driver); cnmon timed out "
                                  "after 0.5 s")
    assert "looked at" not in present["summary"]
    human = cli(["check", "--root", host.root, *ONLY], env=host.env)
    assert "skip   device.present" in human.stdout and "FAIL" not in human.stdout
    assert "not judged: device.present, driver.loaded" in human.stdout


def test_no_evidence_in_chinese(cli, tmp_path):
    _, found = findings(cli, blind_root(tmp_path), lang="zh")
    assert found["device.present"]["summary"] == (
        "无法确定是否有寒武纪卡：无法列出 /sys/bus/pci/devices；/proc 中没有驱动信息（没有 /proc/modules，也没有 "
        "/proc/driver）；cnmon 在 0.5 秒后超时")


def test_no_evidence_makes_npd_say_unknown_not_problem(cli, tmp_path):
    host = blind_root(tmp_path)
    result = cli(["npd", "--root", host.root, "--only", "device.present", "--timeout", "0.5"], env=host.env)
    assert result.exit_code == 2, result.stdout


def test_a_missing_cnmon_and_a_driverless_proc_still_prove_nothing(cli, tmp_path):
    _, found = findings(cli, blind_root(tmp_path, proc=True, cnmon="missing"))
    assert found["device.present"]["status"] == "skip"
    assert found["device.present"]["summary"].endswith(
        "/sys/bus/pci/devices could not be listed; no /proc/driver/cambricon (no driver to list the cards); "
        "cnmon not found")


def test_a_listed_pci_bus_without_a_card_is_a_fail_that_does_not_claim_cnmon(cli, tmp_path):
    host = blind_root(tmp_path, pci=True, proc=True)
    add_pci_card(host.root, "0000:00:02.0", 0x1234).joinpath("vendor").write_text("0x8086\n")
    result, found = findings(cli, host, "-v")
    present = found["device.present"]
    assert result.exit_code == 1 and present["status"] == "fail"
    assert present["summary"] == "no Cambricon device found; looked at PCI, /proc/driver/cambricon, /dev"
    assert "Not looked at: no /proc/driver/cambricon (no driver to list the cards); cnmon timed out after 0.5 s." \
        in present["details"]


@pytest.mark.parametrize("cnmon, proc_dir, status", [
    ("ok", None, Status.FAIL),  # cnmon answered with its card table: no card
    ("missing", True, Status.FAIL),  # the driver's own list is there and empty
    ("no-driver", None, Status.SKIP),  # says the driver is missing, not that the card is
    ("timeout", False, Status.SKIP),
])
def test_which_sources_can_prove_there_is_no_card(cnmon, proc_dir, status):
    facts = Facts(device=DeviceFacts(looked_at=["/dev"], proc_dir=proc_dir),
                  driver=DriverFacts(cnmon=CnmonFacts(status=cnmon)))
    assert run_check(device_present, facts, Config()).status == status


@pytest.mark.parametrize("lang, text", [
    ("en", "unknown whether the driver is loaded: cnmon hung (cnmon timed out after 0.5 s) and nothing else shows "
           "the driver (no /proc/modules; no /proc/driver/cambricon)"),
    ("zh", "无法确定驱动是否已加载：cnmon 卡住了（cnmon 在 0.5 秒后超时），也没有其他迹象表明驱动已加载"
           "（没有 /proc/modules；没有 /proc/driver/cambricon）"),
])
def test_a_hung_cnmon_with_nothing_else_is_a_skip_saying_cnmon_hung(cli, tmp_path, lang, text):
    host = hosts.blind_host(tmp_path)
    _, found = findings(cli, host, lang=lang)
    assert found["device.present"]["status"] == "ok"  # the card is in sysfs
    assert found["driver.loaded"]["status"] == "skip"
    assert found["driver.loaded"]["summary"] == text


def test_a_hung_cnmon_while_the_kernel_shows_the_driver_warns(cli, tmp_path):
    host = hosts.cnmon_hangs_host(tmp_path)
    _, found = findings(cli, host)
    loaded = found["driver.loaded"]
    assert loaded["status"] == "warn"
    assert loaded["summary"].startswith("driver loaded (module cambricon_drv loaded (/proc/modules); /proc lists 1 card(s))")
    assert "cnmon timed out after 0.5 s" in loaded["summary"]


@pytest.mark.slow  # waits out hung cnmons (1.5 s)
def test_a_hung_cnmon_is_never_ok(cli, tmp_path):
    for build in (hosts.blind_host, hosts.cnmon_hangs_host, lambda p: blind_root(p)):
        _, found = findings(cli, build(tmp_path / build.__name__))
        assert found["driver.loaded"]["status"] != "ok"
