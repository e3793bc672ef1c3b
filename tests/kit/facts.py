"""Facts built in memory for check tests: cards of one family with their nodes, module, versions and cnmon."""

from __future__ import annotations

from mlu_doctor.checks.runner import run_check
from mlu_doctor.config import Config
from mlu_doctor.facts.model import CnmonCard, CnmonFacts, DeviceFacts, DriverFacts, Facts, PciDevice, ProcCard

CTL, DEV0, DEV1 = "/dev/cambricon_ctl", "/dev/cambricon_dev0", "/dev/cambricon_dev1"


def card_facts(family="MLU370", n=1, nodes=(CTL, DEV0), container=False, module=True, versions=None, cnmon="ok",
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


def judge(spec, facts: Facts):
    """One check on `facts` with the default configuration."""
    return run_check(spec, facts, Config())
