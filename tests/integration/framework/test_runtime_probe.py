"""The runtime probe end to end: fake torch / torch_mlu packages (with real cc-built extension modules where a
real dlopen error is wanted) run by a real interpreter in a child, judged by runtime.import / runtime.device-op."""

from __future__ import annotations

import importlib.machinery
import json
import os
import sys
import time
from pathlib import Path

import pytest

from mlu_doctor.checks.runner import run_check
from mlu_doctor.checks.runtime import runtime_device_op, runtime_import
from mlu_doctor.config import Config
from mlu_doctor.facts import gather
from mlu_doctor.facts.context import host_context
from mlu_doctor.findings import Status
from tests.kit import pyenvs
from tests.kit.files import write

SUFFIX = importlib.machinery.EXTENSION_SUFFIXES[0]  # what this interpreter imports as an extension module
LOAD_MLUC = "from torch_mlu import _MLUC\n"


def probe(site: Path, timeout: float = 20.0, env: dict | None = None, runtime: bool = True):
    environ = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(site), **(env or {})}
    ctx = host_context("/", environ=environ, python=sys.executable,
                       config=Config(runtime=runtime, runtime_timeout=timeout))
    facts = gather(ctx, ["runtime"])
    return facts, run_check(runtime_import, facts, Config()), run_check(runtime_device_op, facts, Config())


def test_healthy_plus_cpu_torch_with_torch_mlu(tmp_path):
    facts, imp, op = probe(pyenvs.runtime_site(tmp_path / "site"))
    rt = facts.runtime
    assert rt.status == "ran" and rt.returncode == 0 and rt.torch_version == "2.5.0+cpu"
    assert imp.status is Status.OK and "torch 2.5.0+cpu and torch_mlu 1.24.1+torch2.5.0 succeeded" in imp.summary
    assert op.status is Status.OK and op.summary.startswith("MLU370-X8: added two tensors on mlu:0 and copied back "
                                                            "[11.0, 22.0, 33.0]")


def test_cnml_era_api(tmp_path):
    site = tmp_path / "site"
    write(site / "torch/__init__.py", pyenvs.FAKE_TORCH.format(version="1.3.0a0+b8a5f1d"))
    write(site / "torch_mlu/__init__.py", "")
    write(site / "torch_mlu/core/__init__.py", "")
    write(site / "torch_mlu/core/mlu_model.py", "import torch\ndef mlu_device():\n    return torch.device('mlu:0')\n"
                                                "def device_count():\n    return 1\n")
    facts, imp, op = probe(site)
    assert facts.runtime.api == "torch_mlu.core" and imp.status is Status.OK and op.status is Status.OK


@pytest.mark.parametrize("needed", ["libcnnl.so.1", "libmluops.so.1", "libtorch_mlu.so"])
def test_a_library_missing_at_import_is_the_real_dlopen_error(tmp_path, elf, needed):
    site = pyenvs.runtime_site(tmp_path / "site", torch_mlu=LOAD_MLUC)
    elf.install(site / f"torch_mlu/_MLUC{SUFFIX}", f"_MLUC{SUFFIX}", [needed])
    facts, imp, op = probe(site)
    assert imp.status is Status.FAIL and needed in imp.summary  # the explain signature's title
    assert (f"import torch_mlu failed: ImportError: {needed}: cannot open shared object file: No such file or directory"
            in imp.details)
    assert "framework.libraries" in imp.remedy and op.status is Status.SKIP


def test_undefined_symbol_names_the_extension(tmp_path, elf):
    site = pyenvs.runtime_site(tmp_path / "site", torch_mlu=LOAD_MLUC)
    elf.install(site / f"torch_mlu/_MLUC{SUFFIX}", f"_MLUC{SUFFIX}", undefined="_ZN3c1010Dispatcher9singletonEv")
    _, imp, _ = probe(site)
    assert imp.status is Status.FAIL and "undefined symbol _ZN3c1010Dispatcher9singletonEv" in imp.summary
    assert f"_MLUC{SUFFIX}" in imp.summary and "ABI mismatch" in imp.details


def test_cuda_only_build_misses_libcuda(tmp_path, elf):
    site = tmp_path / "site"
    write(site / "torch/__init__.py", "from torch import _C\n")
    elf.install(site / f"torch/_C{SUFFIX}", f"_C{SUFFIX}", ["libcuda.so.1"])
    _, imp, _ = probe(site)
    assert imp.status is Status.FAIL and "libcuda.so.1" in imp.summary and "CUDA build" in imp.summary
    assert "cannot use the MLU" in imp.details


def test_no_torch_mlu_goes_through_the_explain_signature(tmp_path):
    site = tmp_path / "site"
    write(site / "torch/__init__.py", pyenvs.FAKE_TORCH.format(version="2.5.1+cu124"))
    _, imp, _ = probe(site)
    assert imp.status is Status.FAIL and imp.summary.startswith("Cambricon PyTorch is not installed in this Python")
    assert "import torch_mlu failed: ModuleNotFoundError: No module named 'torch_mlu'" in imp.details


def test_version_gate_warning_at_import_becomes_the_explain_finding(tmp_path):
    warning = ("[WARNING][/torch/src/torch_mlu/csrc/utils/version.cpp][checkRequirements] Cambricon NEUWARE minimum "
               "version requirements not met! Require DRIVER minimum verion is 4.20.4-1, but current version is 4.15.14-1")
    code = f"import os\nos.write(2, {(warning + chr(10)).encode()!r})\n" + pyenvs.TORCH_MLU_OK.format(
        version="1.2.0-torch1.6", available=True, count=1)
    _, imp, op = probe(pyenvs.runtime_site(tmp_path / "site", torch_mlu=code))
    assert imp.status is Status.FAIL
    assert imp.summary == "the driver or Neuware is older than torch_mlu requires (DRIVER 4.15.14-1 < 4.20.4-1)"
    assert "succeeded" in imp.details and op.status is Status.OK
    assert any("Require DRIVER minimum verion is 4.20.4-1" in e.excerpt for e in imp.evidence)


def test_not_available(tmp_path):
    _, imp, op = probe(pyenvs.runtime_site(tmp_path / "site", available=False, count=0))
    assert imp.status is Status.OK and op.status is Status.FAIL
    assert "torch.mlu.is_available() is False and 0 device(s)" in op.summary and "--device" in op.remedy


def test_cnrt_platform_warning_with_cpu_fallback_is_the_explain_finding(tmp_path):
    cnrt = ("2021-04-21 11:42:31.831007: [cnrtWarning] [66132] [Card : 0] The device you run is MLU290, but the "
            "platform in kernel is MLU270!\n[WARNING] Op running on CPU!\n")
    code = pyenvs.TORCH_MLU_OK.format(version="0.15.602", available=True, count=1) + (
        "import os\n_add = torch.Tensor.__add__\n"
        f"def add(a, b):\n    os.write(2, {cnrt.encode()!r})\n    return _add(a, b)\ntorch.Tensor.__add__ = add\n")
    facts, imp, op = probe(pyenvs.runtime_site(tmp_path / "site", torch_mlu=code))
    assert imp.status is Status.OK
    assert op.status is Status.FAIL and op.summary == "CNRT kernels were built for MLU270, but the device is MLU290"
    assert "copied back [11.0, 22.0, 33.0]" in op.details and "The device you run is MLU290" in facts.runtime.stderr["device op"]


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(") ", 1)[1][0] != "Z"
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False


def test_a_hang_is_killed_at_the_timeout_grandchild_too(tmp_path):
    pidfile = tmp_path / "grandchild.pid"
    code = ("import os, subprocess, sys, time\n"
            "p = subprocess.Popen(['sleep', '300'])\n"
            f"open({str(pidfile)!r}, 'w').write(str(p.pid))\n"
            "sys.stderr.write('initialising the MLU...\\n'); sys.stderr.flush()\n"
            "time.sleep(300)\n")
    start = time.monotonic()
    facts, imp, op = probe(pyenvs.runtime_site(tmp_path / "site", torch_mlu=code), timeout=2.0)
    assert time.monotonic() - start < 15
    assert facts.runtime.status == "timeout" and facts.runtime.stderr["import torch_mlu"] == "initialising the MLU...\n"
    assert imp.status is Status.FAIL and imp.summary.startswith("import torch_mlu did not finish within 2.0 s")
    assert op.status is Status.SKIP
    pid = int(pidfile.read_text())
    deadline = time.monotonic() + 5
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(pid), "the grandchild outlived the timeout"


def test_without_runtime_nothing_is_executed(tmp_path):
    marker = tmp_path / "imported"
    facts, imp, op = probe(pyenvs.runtime_site(tmp_path / "site"), env={"MLU_DOCTOR_TEST_IMPORTED": str(marker)},
                           runtime=False)
    assert facts.runtime.status == "not-requested" and not marker.exists()
    assert imp.status is Status.SKIP and "not probed" in imp.summary and "--runtime" in imp.summary
    assert op.status is Status.SKIP


def test_cli_runtime_under_a_root_runs_the_python_given(cli, tmp_path):
    site = pyenvs.runtime_site(tmp_path / "site")
    root = tmp_path / "root"
    root.mkdir()
    env = {"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"}
    args = ["check", "--root", root, "--python", sys.executable, "--only", "runtime.", "--format", "json"]
    result = cli([*args, "--runtime", "--runtime-timeout", "30"], env=env)
    out = {f["id"]: f["status"] for f in json.loads(result.stdout)["findings"]}
    assert out == {"runtime.import": "ok", "runtime.device-op": "ok"} and result.exit_code == 0
    facts = json.loads(cli(["facts", "--root", root, "--python", sys.executable], env=env).stdout)
    assert facts["runtime"]["status"] == "not-requested"
    result = cli([*args], env=env)
    assert {f["status"] for f in json.loads(result.stdout)["findings"]} == {"skip"}


def test_cli_runtime_flag_misuse_is_one_line_and_exit_2(cli, tmp_path):
    for args in (["--runtime-timeout", "5"], ["--runtime", "--runtime-timeout", "0"],
                 ["--runtime", "--facts", str(tmp_path / "f.json")]):
        result = cli(["check", *args])
        assert result.exit_code == 2 and len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_config_sets_the_runtime_timeout(cli, tmp_path):
    from mlu_doctor.config import parse_config

    assert parse_config("timeouts:\n  runtime: 45\n").runtime_timeout == 45.0
    assert Config().runtime_timeout == 20.0
    write(tmp_path / "c.yaml", "timeouts:\n  runtime: -1\n")
    result = cli(["check", "--config", tmp_path / "c.yaml", "--runtime"])
    assert result.exit_code == 2 and "timeouts.runtime must be greater than 0 and at most 3600" in result.stderr


def test_the_child_gets_the_users_environment(tmp_path):
    site = pyenvs.runtime_site(tmp_path / "site", torch_mlu="import os\nassert os.environ['NEUWARE_HOME'] == '/x'\n"
                               + pyenvs.TORCH_MLU_OK.format(version="1", available=True, count=1))
    _, imp, _ = probe(site, env={"NEUWARE_HOME": "/x"})
    assert imp.status is Status.OK
    assert os.environ.get("NEUWARE_HOME") != "/x"
