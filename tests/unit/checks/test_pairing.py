"""framework.torch-pairing on constructed facts: the torch torch_mlu was built for, CUDA builds, the pip commands."""

from __future__ import annotations

import pytest

from mlu_doctor.checks.pairing import framework_torch_pairing, matches
from mlu_doctor.checks.runner import run_check
from mlu_doctor.config import Config
from mlu_doctor.facts.model import (
    DeviceFacts,
    DistInfo,
    DriverFacts,
    Facts,
    FrameworkFacts,
    ProcCard,
    Requirement,
)
from mlu_doctor.findings import Status

MLU370 = DeviceFacts(proc=[ProcCard("0000:1b:00.0", "MLU370-X8", "MLU370", "MLU370-X8", "5.10.22")])


def run(fw, device=MLU370):
    return run_check(framework_torch_pairing, Facts(framework=fw, device=device, driver=DriverFacts()), Config())


def dists(**versions):
    return [DistInfo(name, v, f"/site/{name}-{v}.dist-info/METADATA") for name, v in versions.items()]


@pytest.mark.parametrize("have, want, ok", [
    ("2.5.0+cpu", "2.5.0", True), ("2.4.1+cpu", "2.4.1+cpu", True), ("1.13.1", "1.13", True),
    ("2.1.0", "2.1.0", True), ("2.1.0+cu121", "2.1.0", False), ("2.5.1", "2.5.0", False),
    ("3.0.0+mlu1.3.1", "3.0.0+mlu1.3.1", True), ("3.0.0", "3.0.0+mlu1.3.1", False),
])
def test_matches(have, want, ok):
    assert matches(have, want) is ok


@pytest.mark.parametrize("mlu_version, torch", [("1.24.1+torch2.5.0", "2.5.0+cpu"), ("1.17.0-torch1.13", "1.13.1"),
                                                ("1.34.1+torch2.13.0", "2.13.0+cpu"), ("1.33.1+torch2.11.0", "2.11.0")])
def test_healthy_pairs_of_both_spellings_are_ok(mlu_version, torch):
    f = run(FrameworkFacts(torch_version=torch, torch_mlu_version=mlu_version, torch_mlu_path="/s/torch_mlu"))
    assert f.status is Status.OK, f.summary


def test_upgraded_torch_fails_with_the_pip_line_and_the_constraints_advice():
    fw = FrameworkFacts(torch_version="2.6.0", torch_mlu_version="1.24.1+torch2.5.0", torch_mlu_path="/s/torch_mlu",
                        python_version="3.10", dists=dists(torch="2.6.0", torch_mlu="1.24.1+torch2.5.0"))
    f = run(fw)
    assert f.status is Status.FAIL and f.summary.startswith("torch 2.6.0 replaced the 2.5.0 torch_mlu was built for")
    assert "pip install torch==2.5.0 --index-url https://download.pytorch.org/whl/cpu" in f.remedy
    assert "-c constraints.txt" in f.remedy


def test_cuda_wheel_from_a_requirements_file_fails():
    fw = FrameworkFacts(torch_version="2.5.0+cu124", torch_cuda="12.4", torch_mlu_version="1.24.1+torch2.5.0",
                        torch_mlu_path="/s/torch_mlu", dists=dists(torch="2.5.0+cu124", nvidia_cudnn_cu12="9.1.0.70",
                                                                   nvidia_cublas_cu12="12.4.5.8"))
    f = run(fw)
    assert f.status is Status.FAIL and "is a CUDA build" in f.summary
    assert "pip uninstall -y nvidia-cudnn-cu12 nvidia-cublas-cu12" in f.remedy
    assert "(and 1 more)" in f.summary


def test_triton_and_torchvision_pins():
    fw = FrameworkFacts(torch_version="2.4.1+cpu", torch_mlu_version="1.25.0+torch2.4.1", torch_mlu_path="/s/t",
                        python_version="3.10",
                        requirements=[Requirement("triton", "3.0.0+mlu1.4.0", "file:bp"),
                                      Requirement("torchvision", "0.19.1+cpu", "file:version.info")],
                        dists=dists(torch="2.4.1+cpu", triton="3.1.0", torchvision="0.19.1+cpu"))
    f = run(fw)
    assert f.status is Status.FAIL and f.summary == "triton 3.1.0 replaced the 3.0.0+mlu1.4.0 torch_mlu was built for (file:bp)"
    assert "triton-3.0.0+mlu1.4.0-cp310-cp310-linux_x86_64.whl" in f.remedy
    fw.dists = dists(torch="2.4.1+cpu", triton="3.0.0+mlu1.4.0", torchvision="0.20.0")
    f = run(fw)
    assert f.status is Status.FAIL and "torchvision 0.20.0 replaced the 0.19.1+cpu" in f.summary
    assert "pip install --isolated torchvision==0.19.1" in f.remedy


def test_torchvision_built_for_another_torch():
    vision = DistInfo("torchvision", "0.17.0", "/site/torchvision-0.17.0.dist-info/METADATA", requires_torch="2.2.0")
    fw = FrameworkFacts(torch_version="2.1.0", torch_mlu_version="1.22.2+torch2.1.0", torch_mlu_path="/s/t",
                        dists=[vision])
    f = run(fw)
    assert f.status is Status.FAIL and "torchvision 0.17.0 was built for torch==2.2.0" in f.summary


def test_old_torch_needs_cambricons_own_wheel():
    fw = FrameworkFacts(torch_version="2.2.0", torch_mlu_version="1.22.2-torch2.1.0", torch_mlu_path="/s/t",
                        python_version="3.10")
    assert "pip install --force-reinstall torch-2.1.0-cp310-cp310-linux_x86_64.whl" in run(fw).remedy


def test_cuda_framework_without_torch_mlu_on_an_mlu_host():
    fw = FrameworkFacts(torch_version="2.4.0+cu121", torch_cuda="12.1", dists=dists(vllm="0.6.3"))
    f = run(fw)
    assert f.status is Status.FAIL and "this build cannot use the MLU" in f.summary and "vllm" in f.details
    assert run(fw, device=DeviceFacts()).status is Status.SKIP  # no MLU card known: no verdict


def test_cpu_torch_without_torch_mlu_and_unnamed_torch_are_skips():
    assert run(FrameworkFacts(torch_version="2.5.0+cpu")).status is Status.SKIP
    f = run(FrameworkFacts(torch_version="1.3.0a0+b8a5f1d", torch_mlu_path="/s/t", has_core_mlu_model=True))
    assert f.status is Status.SKIP and "does not name the torch" in f.summary


def test_leftover_nvidia_packages_beside_the_right_torch_warn():
    fw = FrameworkFacts(torch_version="2.5.0+cpu", torch_mlu_version="1.24.1+torch2.5.0", torch_mlu_path="/s/t",
                        dists=dists(nvidia_nccl_cu12="2.21.5"))
    f = run(fw)
    assert f.status is Status.WARN and "pip uninstall -y nvidia-nccl-cu12" in f.remedy
