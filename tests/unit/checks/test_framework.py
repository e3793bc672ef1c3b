"""framework.* checks on constructed facts: installed, arch-match verdicts (and their limits)."""

from __future__ import annotations

import pytest

from mlu_doctor.checks.framework import (
    framework_arch_match,
    framework_installed,
)
from mlu_doctor.checks.runner import run_check
from mlu_doctor.config import Config
from mlu_doctor.facts.model import (
    CnmonCard,
    CnmonFacts,
    DeviceFacts,
    DriverFacts,
    Facts,
    FrameworkFacts,
    PciDevice,
    ProcCard,
    ProjectFacts,
    WorkloadEvidence,
)
from mlu_doctor.findings import Evidence, Status

CNML = FrameworkFacts(python="/torch/venv3/pytorch/bin/python", torch_version="1.3.0a0+b8a5f1d", has_core_mlu_model=True,
                      era="cnml", generation="CNML era, torch 1.3",
                      evidence=[Evidence("file:/torch/venv3/pytorch/lib/python3.6/site-packages/torch/version.py", "x")])
T117 = FrameworkFacts(site_dirs=["/usr/local/lib/python3.10/dist-packages"], torch_version="1.13.1",
                      torch_mlu_version="1.17.0", has_core_mlu_model=True, era="cnnl", generation="CNNL era, torch_mlu 1.17 (torch 1.13)",
                      driver_requires="5.10.22")
T122 = FrameworkFacts(site_dirs=["/s"], torch_version="2.1.0", torch_mlu_version="1.22.2", has_core_mlu_model=False,
                      era="cnnl", generation="CNNL era, torch_mlu 1.22 (torch 2.1)")


def mlu220_m2():
    return DeviceFacts(proc=[ProcCard("0000:01:00.0", "mlu-220 M2", "MLU220", "MLU220-M2", "4.6.9")])


def facts(fw=CNML, device=None, driver=None, workload=()):
    return Facts(framework=fw, device=device or DeviceFacts(), driver=driver or DriverFacts(),
                 project=ProjectFacts(workload=list(workload)))


def run(spec, f):
    return run_check(spec, f, Config())


def test_seed_cnml_torch_on_mlu220_fails_with_the_remedy():
    f = run(framework_arch_match, facts(device=mlu220_m2()))
    assert f.status is Status.FAIL
    assert f.summary == ("torch 1.3.0a0 (CNML era, kernels for MLU270) on an MLU220-M2 card. MLU220 runs offline .cambricon "
                         "models through CNRT: regenerate with genoff.py -mcore MLU220 -core_number 4 on an MLU270 host.")
    assert "genoff.py -mcore MLU220" in f.remedy and "CNRT" in f.remedy
    assert any("/proc/driver/cambricon/mlus/0000:01:00.0" in e.source for e in f.evidence)
    assert any(e.source.endswith("version.py") for e in f.evidence)


def test_mlu220_seen_only_in_pci_or_cnmon_also_fails():
    pci = DeviceFacts(pci=[PciDevice("0000:01:00.0", "0x0220", "MLU220", "0x0033", "MLU220-M2")])
    assert run(framework_arch_match, facts(device=pci)).status is Status.FAIL
    cn = DriverFacts(cnmon=CnmonFacts("ok", cards=[CnmonCard(0, "MLU220-M2", "MLU220")]))
    assert run(framework_arch_match, facts(driver=cn)).status is Status.FAIL


def test_cnml_inferred_only_from_elf_is_a_warning():
    fw = FrameworkFacts(site_dirs=["/s"], torch_version=None, mluc_needed=["libcnml.so"], era="cnml", generation="CNML era")
    f = run(framework_arch_match, facts(fw=fw, device=mlu220_m2()))
    assert f.status is Status.WARN and "inferred" in f.details


def test_mlu270_workload_on_mlu220_fails_even_with_unknown_framework():
    w = WorkloadEvidence("set_core_version", "MLU270", "/work/run.py:3", "ct.set_core_version('MLU270')")
    f = run(framework_arch_match, facts(fw=FrameworkFacts(), device=mlu220_m2(), workload=[w]))
    assert f.status is Status.FAIL and "/work/run.py:3" in f.summary and f.evidence[0].excerpt == w.excerpt


def test_mixed_workload_targets_on_mlu220_warn():
    ws = [WorkloadEvidence("core_number", "MLU270", "/w/a.py:1", "core_number=16", 16),
          WorkloadEvidence("mcore", "MLU220", "/w/gen.sh:1", "genoff.py -mcore MLU220")]
    assert run(framework_arch_match, facts(fw=FrameworkFacts(), device=mlu220_m2(), workload=ws)).status is Status.WARN


def test_cnnl_torch_mlu_on_mlu270_fails():
    dev = DeviceFacts(pci=[PciDevice("0000:01:00.0", "0x0270", "MLU270", "0x0012", "MLU270-S4")])
    f = run(framework_arch_match, facts(fw=T117, device=dev))
    assert f.status is Status.FAIL and "MLU270-S4" in f.summary and "MLU370" in f.summary


@pytest.mark.parametrize("fw, family, status", [
    (CNML, "MLU270", Status.OK),
    (T117, "MLU370", Status.OK),
    (CNML, "MLU370", Status.WARN),  # inferred: says so
    (FrameworkFacts(torch_version="2.1.0"), "MLU370", Status.SKIP),  # generation unknown -> unknown
])
def test_other_pairs(fw, family, status):
    dev = DeviceFacts(proc=[ProcCard("b", family, family, family)])
    f = run(framework_arch_match, facts(fw=fw, device=dev))
    assert f.status is status, f.summary


def test_no_card_is_unknown_not_a_verdict():
    f = run(framework_arch_match, facts())
    assert f.status is Status.SKIP and f.summary.startswith("unknown")


@pytest.mark.parametrize("fw, status, text", [
    (CNML, Status.OK, "torch 1.3.0a0+b8a5f1d, torch_mlu.core: CNML era, torch 1.3"),
    (T117, Status.OK, "torch_mlu 1.17.0"),
    (FrameworkFacts(python="/usr/bin/python3", torch_version="2.1.0"), Status.WARN, "without torch_mlu or catch"),
    (FrameworkFacts(python="/usr/bin/python3"), Status.WARN, "no torch in /usr/bin/python3"),
    (FrameworkFacts(problems=["no site-packages found"]), Status.SKIP, "no Python environment found"),
])
def test_installed(fw, status, text):
    f = run(framework_installed, Facts(framework=fw))
    assert f.status is status and text in f.summary, f.summary
