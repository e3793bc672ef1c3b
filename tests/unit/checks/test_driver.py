"""driver.loaded and driver.version on constructed facts."""

from __future__ import annotations

import pytest

from mlu_doctor.checks.driver import driver_loaded, driver_version
from mlu_doctor.findings import Status
from tests.kit.facts import card_facts, judge

# --- driver.loaded -----------------------------------------------------------------------


def test_loaded_ok():
    f = judge(driver_loaded, card_facts())
    assert f.status is Status.OK and "module cambricon_drv loaded" in f.summary


def test_no_driver_from_cnmon_fails_even_when_module_loaded():
    f = judge(driver_loaded, card_facts(cnmon="no-driver"))
    assert f.status is Status.FAIL and "CNDEV_ERROR_NO_DRIVER" in f.summary
    assert any("CNDEV_ERROR_NO_DRIVER" in e.excerpt for e in f.evidence)


def test_no_driver_in_container_without_ctl_blames_the_docker_run():
    f = judge(driver_loaded, card_facts(cnmon="no-driver", container=True, nodes=()))
    assert f.status is Status.FAIL and "--device" in f.summary


def test_module_not_loaded_with_pci_cards_fails():
    f = judge(driver_loaded, card_facts(module=False, proc=False, cnmon="missing"))
    assert f.status is Status.FAIL and "cambricon_drv is not loaded" in f.summary


def test_proc_missing_while_pci_shows_cards_fails():
    f = judge(driver_loaded, card_facts(module=None, proc=False, cnmon="missing"))
    assert f.status is Status.FAIL and "/proc/driver/cambricon is missing" in f.summary


def test_loaded_unknown_skips():
    facts = card_facts(module=None, proc=False, cnmon="timeout")
    facts.device.proc_dir = None
    assert judge(driver_loaded, facts).status is Status.SKIP


def test_no_cards_and_no_module_skips():
    assert judge(driver_loaded, card_facts(n=0, module=False, proc=False, cnmon="missing")).status is Status.SKIP


# --- driver.version ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "family, version, status",
    [("MLU370", "4.20.9", Status.OK), ("MLU370", "4.20.8", Status.FAIL), ("MLU370", "5.10.22", Status.OK),
     ("MLU590", "4.20.11", Status.FAIL), ("MLU590", "5.0.0", Status.OK), ("MLU220", "4.6.9", Status.OK)],
)
def test_version_minimums(family, version, status):
    f = judge(driver_version, card_facts(family=family, versions={"proc": version}))
    assert f.status is status and version in f.summary


def test_version_disagreement_warns():
    f = judge(driver_version, card_facts(versions={"proc": "5.10.22", "cnmon": "5.10.10"}))
    assert f.status is Status.WARN and "5.10.22 (/proc/driver/cambricon), 5.10.10 (cnmon)" in f.summary


def test_version_unknown_skips_and_unknown_family_never_guesses():
    assert judge(driver_version, card_facts(versions={})).status is Status.SKIP
    f = judge(driver_version, card_facts(family="MLU999", versions={"proc": "1.0.0"}))
    assert f.status is Status.OK and "no known minimum" in f.summary
