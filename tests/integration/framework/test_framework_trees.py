"""Whole trees through `mlu-doctor check --root`: a healthy tree of each Cambricon PyTorch generation raises no
false alarm, and the failures users post most are caught (fake package, wrong CNNL, torch 2.x beside a 1.13 build,
a CUDA-only framework on an MLU host). Every ELF file is a real shared object built with cc in this run."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.kit import hosts, pyenvs
from tests.kit.files import write

pytestmark = pytest.mark.fast  # in-process CLI on fixture trees

FRAMEWORK = ("framework.installed", "framework.arch-match", "framework.libraries", "framework.requirements",
             "framework.torch-pairing")


def check(cli, host, *extra):
    result = cli(["check", "--root", host.root, "--format", "json", "--only", "framework.", *extra], env=host.env)
    assert "Traceback" not in result.stderr, result.stderr
    return result, {f["id"]: f for f in json.loads(result.stdout)["findings"]}


def no_false_alarm(out):
    bad = {k: (v["status"], v["summary"]) for k, v in out.items() if v["status"] not in ("ok", "skip")}
    assert not bad, bad
    assert set(out) == set(FRAMEWORK)


def test_cnml_era_image_on_an_mlu270_host(cli, tmp_path):
    host = hosts.mlu220_m2_host(tmp_path)  # CNML-era toolkit in /usr/local/neuware, LD_LIBRARY_PATH set
    shutil.rmtree(host.root / "proc/driver/cambricon")
    for p in (host.root / "sys/bus/pci/devices").iterdir():
        (p / "device").write_text("0x0270\n")
    pyenvs.cnml_env(host.root)
    _, out = check(cli, host)
    no_false_alarm(out)
    assert out["framework.libraries"]["status"] == "ok" and "libcnml.so" in out["framework.libraries"]["summary"]


def test_catch_on_mlu370(cli, tmp_path):
    host = hosts.mlu370_host(tmp_path)
    pyenvs.catch_env(host.root)
    _, out = check(cli, host)
    no_false_alarm(out)
    assert out["framework.requirements"]["status"] == "ok" and "CNNL 1.21.1 >= 1.8.2-1" in out["framework.requirements"]["summary"]


@pytest.mark.parametrize("build", ["1.17.0-torch1.13", "1.24.1+torch2.5.0", "1.33.1+torch2.11.0"])
def test_torch_mlu_of_both_version_spellings(cli, tmp_path, build):
    host = hosts.mlu370_host(tmp_path)
    if build.startswith("1.17"):
        pyenvs.torch_mlu_env(host.root)
    else:
        torch = build.split("+torch")[1]
        pyenvs.torch_mlu_plus_env(host.root, version=build, torch=torch + "+cpu")
    _, out = check(cli, host)
    no_false_alarm(out)
    assert out["framework.torch-pairing"]["status"] == "ok"


def test_fake_torch_mlu_with_no_library_behind_it(cli, tmp_path):
    host = hosts.mlu370_host(tmp_path)
    site = host.root / "usr/local/lib/python3.10/dist-packages"
    pyenvs.torch_pkg(site, "2.1.0", libs=False)
    write(site / "torch_mlu/__init__.py", "")
    pyenvs.dist_info(site, "torch_mlu", "1.22.2+torch2.1.0")
    result, out = check(cli, host)
    assert out["framework.libraries"]["status"] == "fail" and "no extension module" in out["framework.libraries"]["summary"]
    assert result.exit_code == 1


def test_stub_torch_under_a_real_torch_mlu(cli, tmp_path):
    host = hosts.mlu370_host(tmp_path)
    site = pyenvs.torch_mlu_env(host.root)
    shutil.rmtree(site / "torch/lib")
    _, out = check(cli, host)
    lib = out["framework.libraries"]
    assert lib["status"] == "fail" and lib["summary"].startswith("libtorch_python.so not found")


def test_build_property_needs_a_newer_cnnl_than_installed(cli, tmp_path):
    host = hosts.mlu370_host(tmp_path, driver="6.2.1")
    site = pyenvs.torch_mlu_env(host.root, "1.22.2", "2.1.0", driver_requires="6.2.0")
    prop = site / "torch_mlu/share/build.property"
    prop.write_text(prop.read_text().replace('"1.21.1-1"', '"1.26.6-1"'))
    result, out = check(cli, host)
    req = out["framework.requirements"]
    assert req["status"] == "fail" and "CNNL 1.21.1 < 1.26.6-1" in req["summary"] and result.exit_code == 1
    assert "/usr/local/neuware/lib64/libcnnl.so.1.21.1" in req["details"]


def test_torch_2_beside_a_torch_mlu_built_for_1_13(cli, tmp_path):
    host = hosts.mlu370_host(tmp_path)
    site = pyenvs.torch_mlu_env(host.root)
    pyenvs.torch_pkg(site, "2.1.0")
    shutil.rmtree(site / "torch-1.13.1.dist-info")
    pyenvs.dist_info(site, "torch", "2.1.0")
    _, out = check(cli, host)
    pair = out["framework.torch-pairing"]
    assert pair["status"] == "fail" and pair["summary"].startswith("torch 2.1.0 replaced the 1.13")


def test_requirements_file_pulled_a_cuda_torch_into_a_cambricon_image(cli, tmp_path):
    host = hosts.mlu370_host(tmp_path)
    site = pyenvs.torch_mlu_plus_env(host.root)
    pyenvs.torch_pkg(site, "2.6.0+cu124", cuda="12.4")
    shutil.rmtree(site / "torch-2.5.0+cpu.dist-info")
    pyenvs.dist_info(site, "torch", "2.6.0+cu124")
    pyenvs.dist_info(site, "nvidia-cudnn-cu12", "9.1.0.70")
    pyenvs.dist_info(site, "triton", "3.2.0")
    shutil.rmtree(site / "triton-3.0.0+mlu1.3.1.dist-info")
    _, out = check(cli, host)
    pair = out["framework.torch-pairing"]
    assert pair["status"] == "fail" and "CUDA build" in pair["summary"]
    assert "torchvision 0.20.0+cpu was built for torch==2.5.0" in pair["details"]
    assert "pip install torch==2.5.0 --index-url https://download.pytorch.org/whl/cpu" in pair["remedy"]


def test_stock_vllm_cuda_build_on_an_mlu_host(cli, tmp_path):
    host = hosts.mlu370_host(tmp_path)
    site = host.root / "usr/local/lib/python3.10/dist-packages"
    pyenvs.torch_pkg(site, "2.5.1+cu124", cuda="12.4")
    pyenvs.dist_info(site, "torch", "2.5.1+cu124")
    pyenvs.dist_info(site, "vllm", "0.6.6")
    pyenvs.dist_info(site, "nvidia-cuda-runtime-cu12", "12.4.127")
    result, out = check(cli, host)
    pair = out["framework.torch-pairing"]
    assert pair["status"] == "fail" and "this build cannot use the MLU" in pair["summary"] and result.exit_code == 1
