"""framework.libraries on constructed linkage facts: verdicts, the named library, where the loader looked, the fix."""

from __future__ import annotations

from mlu_doctor.checks.linkage import framework_libraries
from mlu_doctor.checks.runner import run_check
from mlu_doctor.config import Config
from mlu_doctor.facts.model import Facts, FrameworkFacts, LinkageFacts, MissingLibrary, Requirement
from mlu_doctor.findings import Status

PKG = "/usr/local/lib/python3.10/dist-packages/torch_mlu"
LIB64 = "/usr/local/neuware/lib64"


def run(linkage, **kw):
    fw = FrameworkFacts(torch_mlu_path=PKG, torch_version="2.1.0", linkage=linkage, **kw)
    return run_check(framework_libraries, Facts(framework=fw), Config())


def miss(name="libcnnl.so.1", **kw):
    kw.setdefault("searched", [f"{PKG}/csrc/lib (RUNPATH of libtorch_mlu.so)", "/lib64 (default)"])
    return MissingLibrary(name=name, needed_by=f"{PKG}/csrc/lib/libtorch_mlu.so", component="CNNL", **kw)


def test_another_major_version_is_named_with_the_required_version():
    lk = LinkageFacts(roots=[f"{PKG}/_MLUC.so"], objects=3, toolkit_dirs=[LIB64],
                      missing=[miss(other_versions=[f"{LIB64}/libcnnl.so.2"])])
    f = run(lk, requirements=[Requirement("cnnl", "1.26.6-1", "file:build.property")])
    assert f.status is Status.FAIL
    assert f.summary == ("libcnnl.so.1 not found (needed by libtorch_mlu.so); only another major version is "
                         "installed: libcnnl.so.2")
    assert "RUNPATH of libtorch_mlu.so" in f.details and "/lib64 (default)" in f.details
    assert "install CNNL 1.26.6-1" in f.remedy and "libcnnl.so.2" in f.remedy
    assert "ImportError: libcnnl.so.1: cannot open shared object file" in f.details


def test_library_in_the_toolkit_but_off_the_path_gives_the_ld_path_line_and_recipe():
    lk = LinkageFacts(objects=3, toolkit_dirs=[LIB64], ld_library_path="/opt/x",
                      missing=[miss(elsewhere=[f"{LIB64}/libcnnl.so.1"])])
    f = run(lk)
    assert f.status is Status.FAIL and f.recipe == "toolkit.ld-path"
    assert f"export LD_LIBRARY_PATH={LIB64}:$LD_LIBRARY_PATH" in f.remedy
    assert any(e.source == "env:LD_LIBRARY_PATH" and e.excerpt == "/opt/x" for e in f.evidence)


def test_the_summary_says_where_the_library_is_before_any_other_version():
    # seen on the seed host: libcnml.so is in lib64 (off the path) and libcnml.so.7 beside it
    m = MissingLibrary("libcnml.so", f"{PKG}/_MLUC.so", component="CNML", searched=["/lib64 (default)"],
                       other_versions=[f"{LIB64}/libcnml.so.7"], elsewhere=[f"{LIB64}/libcnml.so"])
    f = run(LinkageFacts(objects=1, toolkit_dirs=[LIB64], missing=[m, MissingLibrary("libcnrt.so", f"{PKG}/_MLUC.so", component="CNRT")]))
    assert f.summary == (f"libcnml.so not found (needed by _MLUC.so): it is in {LIB64}, which the loader does "
                         "not search (1 more missing: libcnrt.so)")
    assert f.recipe == "toolkit.ld-path" and "another version is installed: " in f.details
    assert "another major version" not in f.details  # a bare .so name has no major version


def test_a_bare_so_name_with_only_versioned_files_asks_for_the_link():
    m = MissingLibrary("libcnrt.so", f"{PKG}/_MLUC.so", component="CNRT", searched=[f"{LIB64} (LD_LIBRARY_PATH)"],
                       other_versions=[f"{LIB64}/libcnrt.so.4"])
    f = run(LinkageFacts(objects=1, toolkit_dirs=[LIB64], missing=[m]))
    assert f.summary == ("libcnrt.so not found (needed by _MLUC.so): only libcnrt.so.4 is installed, without the "
                         "libcnrt.so link")
    assert f.remedy.startswith("libcnrt.so.4 is installed but not the libcnrt.so link") and f.recipe is None
    assert "reinstall CNRT" in f.remedy


def test_listed_in_ld_so_conf_but_not_cached_says_run_ldconfig():
    lk = LinkageFacts(objects=3, cache="/etc/ld.so.cache (new format, 9 entries)", conf_dirs=[LIB64],
                      missing=[miss(elsewhere=[f"{LIB64}/libcnnl.so.1"])])
    assert "run ldconfig" in run(lk).remedy


def test_missing_everywhere_names_the_component_and_counts_the_rest():
    lk = LinkageFacts(objects=3, missing=[miss(), miss("libmluops.so.1"), miss("libcncl.so.1")])
    f = run(lk, requirements=[Requirement("cnnl", "1.21.1-1", "f")])
    assert f.summary == ("libcnnl.so.1 not found (needed by libtorch_mlu.so) "
                         "(2 more missing: libmluops.so.1, libcncl.so.1)")
    assert f.remedy.startswith("Install CNNL 1.21.1-1")


def test_torch_mlu_own_library_missing_means_reinstall_the_wheel():
    m = MissingLibrary("libtorch_mlu.so", f"{PKG}/_MLUC.so", component="torch_mlu")
    assert "reinstall the torch_mlu wheel" in run(LinkageFacts(objects=1, missing=[m])).remedy


def test_stub_torch_without_its_libraries():
    m = MissingLibrary("libtorch_python.so", f"{PKG}/_MLUC.so", component="torch")
    f = run(LinkageFacts(objects=1, missing=[m]))
    assert f.status is Status.FAIL and "stub or broken install" in f.remedy


def test_torch_mlu_without_any_extension_module_fails():
    f = run(None)
    assert f.status is Status.FAIL and "has no extension module" in f.summary


def test_unreadable_and_truncated_walks_are_skips_not_ok():
    f = run(LinkageFacts(roots=["x"], problems=["x: not an ELF file"]))
    assert f.status is Status.SKIP and "not an ELF file" in f.summary
    f = run(LinkageFacts(objects=200, truncated=True))
    assert f.status is Status.SKIP and "the bound of 200 libraries" in f.summary and "not judged" in f.summary


def test_all_resolved_is_ok_with_what_resolved_where():
    lk = LinkageFacts(roots=[f"{PKG}/_MLUC.cpython-310-x86_64-linux-gnu.so"], objects=4,
                      resolved={"libcnnl.so.1": f"{LIB64}/libcnnl.so.1.21.1", "libtorch_mlu.so": f"{PKG}/csrc/lib/x"})
    f = run(lk)
    assert f.status is Status.OK and f"libcnnl.so.1 -> {LIB64}/libcnnl.so.1.21.1" in f.summary


def test_no_torch_mlu_is_a_skip():
    f = run_check(framework_libraries, Facts(framework=FrameworkFacts(torch_version="2.1.0")), Config())
    assert f.status is Status.SKIP
