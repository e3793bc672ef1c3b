"""Framework facts: site dirs, versions from files, build.property, era classification, the --python interpreter (failing, hanging, on PATH)."""

from __future__ import annotations

import json
import os
import sys

from mlu_doctor.facts.context import host_context
from mlu_doctor.facts.framework import probe
from tests.kit import pyenvs
from tests.kit.files import fake_tool, path_with, write


def gather(root, **kw):
    kw.setdefault("environ", {"PATH": "/nonexistent"})
    return probe(host_context(str(root), **kw))


def test_cnml_era_under_root(tmp_path):
    pyenvs.cnml_env(tmp_path)
    pyenvs.plain_torch_env(tmp_path)  # a system torch too: the venv with torch_mlu is listed first
    f = gather(tmp_path)
    assert f.torch_version == "1.3.0a0+b8a5f1d" and f.has_core_mlu_model is True
    assert f.era == "cnml" and f.generation == "CNML era, torch 1.3"
    assert "libcnml.so" in f.mluc_needed and f.python_version == "3.6"
    assert f.site_dirs[0] == "/" + pyenvs.CNML_VENV
    assert any(e.source.startswith("elf:") and "libcnml" in e.excerpt for e in f.evidence)


def test_cnml_era_without_elf_still_known_from_versions(tmp_path):
    pyenvs.cnml_env(tmp_path, with_elf=False)
    f = gather(tmp_path)
    assert f.era == "cnml" and f.mluc_needed == []


def test_catch_through_easy_install_pth(tmp_path):
    pyenvs.catch_env(tmp_path)
    f = gather(tmp_path)
    assert f.catch_version == "1.1.2" and f.torch_version.startswith("1.6.0")
    assert f.era == "cnnl" and f.generation == "CNNL era, catch 1.1 (torch 1.6)"
    assert f.mluc_needed[0] == "libcnnl.so"


def test_torch_mlu_117_reads_build_property(tmp_path):
    pyenvs.torch_mlu_env(tmp_path)
    f = gather(tmp_path)
    assert f.torch_mlu_version == "1.17.0" and f.driver_requires == "5.10.22"
    assert f.build_requires["cntoolkit"] == "3.7.2" and f.generation == "CNNL era, torch_mlu 1.17 (torch 1.13)"
    assert f.era == "cnnl" and f.has_core_mlu_model is True


def test_torch_mlu_122(tmp_path):
    pyenvs.torch_mlu_122(tmp_path)
    f = gather(tmp_path)
    assert f.driver_requires == "6.2.0" and f.has_core_mlu_model is False and f.generation == "CNNL era, torch_mlu 1.22 (torch 2.1)"


def test_plain_torch_has_no_era(tmp_path):
    pyenvs.plain_torch_env(tmp_path)
    f = gather(tmp_path)
    assert f.torch_version == "2.1.0" and f.era is None and f.generation is None


def test_nothing_found(tmp_path):
    f = gather(tmp_path)
    assert f.site_dirs == [] and f.torch_version is None and f.problems
    assert f.python_error is None  # no interpreter was asked: not an interpreter's failure (a busybox container)


def test_python_option_runs_the_interpreter(tmp_path):
    site = tmp_path / "extra"
    pyenvs.torch_mlu_env(tmp_path / "x")
    os.rename(tmp_path / "x/usr/local/lib/python3.10/dist-packages", site)
    f = gather("/", python=sys.executable, environ={"PYTHONPATH": str(site), "PATH": "/usr/bin"})
    assert f.python and f.python_version.startswith("3.") and str(site) in f.sys_path
    assert f.torch_mlu_version == "1.17.0" and f.driver_requires == "5.10.22"


def test_failing_interpreter_falls_back_to_a_scan_and_says_so(tmp_path):
    pyenvs.cnml_env(tmp_path / "root")
    bad = fake_tool(tmp_path / "bin", "python3", stdout="garbage", code=1)
    f = gather(tmp_path / "root", python=str(bad), environ={"PATH": path_with(tmp_path / "bin")})
    assert f.era == "cnml" and any("exited 1" in p for p in f.problems)
    assert f.python_error is not None and "exited 1" in f.python_error


def test_hanging_interpreter_is_killed(tmp_path):
    slow = fake_tool(tmp_path / "bin", "python3", stdout=json.dumps({"path": []}), sleep=5)
    f = gather(tmp_path, python=str(slow), timeout=0.5, environ={"PATH": "/usr/bin:/bin"})
    assert any("timed out" in p for p in f.problems)


def test_root_slash_uses_python3_on_path(tmp_path):
    bindir = tmp_path / "bin"
    site = tmp_path / "site-packages"
    write(site / "torch/__init__.py", "")
    write(site / "torch/version.py", "__version__ = '2.1.0'\n")
    out = json.dumps({"version": "3.6.9", "executable": "/usr/bin/python3", "prefix": "/usr", "path": [str(site)]})
    fake_tool(bindir, "python3", stdout=out)
    f = gather("/", environ={"PATH": path_with(bindir)})
    assert f.python_version == "3.6.9" and f.site_dirs == [str(site)] and f.torch_version == "2.1.0"


def test_garbage_files_degrade_to_unknown(tmp_path):
    site = pyenvs.torch_mlu_122(tmp_path)
    write(site / "torch/version.py", b"\xff\xfe__version__ = \x00\x81")
    write(site / "torch_mlu/share/build.property", '{"driver_requires": ["release", "6.2')
    write(site / "torch_mlu/_MLUC.cpython-310-x86_64-linux-gnu.so", b"\x7fELF\x02\x01\x01garbage")
    write(site / "torch-2.1.0.dist-info/METADATA", b"Name: torch\nVersion: 2.1.0\n\xff\xff")
    f = gather(tmp_path)
    assert f.torch_version == "2.1.0" and f.driver_requires is None and f.mluc_needed == []
    assert any("_MLUC" in p for p in f.problems) and f.era == "cnnl"
