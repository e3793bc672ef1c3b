"""Static ld.so resolution on trees of real shared objects built with cc: search order, caches, bad input."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from mlu_doctor.facts import linkage
from mlu_doctor.facts.elf import dynamic_info, elf_kind
from mlu_doctor.facts.ldso import cache_lookup, parse_conf_lines, parse_ld_cache, read_ld_conf
from mlu_doctor.facts.linkage import probe_linkage, resolve_linkage
from mlu_doctor.facts.sonames import component_of, soname_stem
from mlu_doctor.system.local import LocalSystem
from tests.kit.files import write

SITE = "usr/local/lib/python3.10/dist-packages"
PKG = f"/{SITE}/torch_mlu"
NEUWARE = "/usr/local/neuware/lib64"
MLUC = "_MLUC.cpython-310-x86_64-linux-gnu.so"


def torch_mlu_tree(root: Path, elf, cnnl: str = "libcnnl.so.1", mluc_runpath: str | None = "$ORIGIN/csrc/lib",
                   mluc_rpath: str | None = None) -> Path:
    """torch/lib (loaded first by `import torch`) and a torch_mlu wheel whose _MLUC needs libtorch_mlu.so -> CNNL."""
    site = root / SITE
    for name in ("libtorch.so", "libc10.so", "libtorch_python.so"):
        elf.install(site / "torch/lib" / name, name)
    elf.install(site / "torch_mlu/csrc/lib/libtorch_mlu.so", "libtorch_mlu.so", [cnnl, "libc10.so"], runpath="$ORIGIN")
    elf.install(site / "torch_mlu" / MLUC, MLUC, ["libtorch_mlu.so", "libtorch_python.so"],
                runpath=mluc_runpath if mluc_rpath is None else None, rpath=mluc_rpath)
    return site


def neuware(root: Path, elf, cnnl: str = "1.21.1") -> Path:
    lib64 = root / NEUWARE.lstrip("/")
    elf.install_versioned(lib64, "cndrv", "2.7.1")
    elf.install_versioned(lib64, "cnrt", "6.7.0", ["libcndrv.so.2"])
    elf.install_versioned(lib64, "cnnl", cnnl, ["libcnrt.so.6", "libcndrv.so.2"])
    return lib64


def resolve(root: Path, environ: dict | None = None):
    fs = LocalSystem(str(root))
    return probe_linkage(fs, environ or {}, PKG, f"/{SITE}/torch")


def test_elf_reader_sees_what_the_linker_wrote(elf, tmp_path):
    path = elf.install(tmp_path / "libx.so", "libx.so.3", ["libcnnl.so.1"], runpath="$ORIGIN/../lib")
    with open(path, "rb") as fh:
        data = fh.read()
    dyn = dynamic_info(lambda off, n: data[off:off + n])
    assert dyn.soname == "libx.so.3" and "libcnnl.so.1" in dyn.needed
    assert dyn.runpath == "$ORIGIN/../lib" and dyn.rpath is None and dyn.search_rpath is None
    old = elf.shared_object("liby.so", rpath="/opt/y")
    dyn = dynamic_info(lambda off, n: old[off:off + n])
    assert dyn.rpath == "/opt/y" and dyn.runpath is None and dyn.search_rpath == "/opt/y"
    readelf = shutil.which("readelf")
    if readelf:  # binutils agrees
        out = subprocess.run([readelf, "-d", str(path)], capture_output=True, text=True).stdout
        assert "[libcnnl.so.1]" in out and "[$ORIGIN/../lib]" in out


def test_healthy_tree_resolves_through_runpath_origin_and_ld_library_path(elf, tmp_path):
    torch_mlu_tree(tmp_path, elf)
    neuware(tmp_path, elf)
    lk = resolve(tmp_path, {"LD_LIBRARY_PATH": NEUWARE})
    assert lk.missing == [] and lk.problems == [] and not lk.truncated
    assert lk.resolved["libtorch_mlu.so"] == f"{PKG}/csrc/lib/libtorch_mlu.so"
    assert lk.resolved["libcnnl.so.1"] == f"{NEUWARE}/libcnnl.so.1.21.1"  # the link followed inside the root
    assert lk.resolved["libcndrv.so.2"] == f"{NEUWARE}/libcndrv.so.2.7.1"  # followed into the toolkit
    assert "libtorch.so" not in lk.resolved  # loaded by `import torch`: found by name, not searched


def test_missing_library_says_where_it_looked_and_names_another_major(elf, tmp_path):
    torch_mlu_tree(tmp_path, elf)
    neuware(tmp_path, elf, cnnl="2.0.0")  # only libcnnl.so.2
    lk = resolve(tmp_path, {"LD_LIBRARY_PATH": NEUWARE})
    [miss] = lk.missing
    assert miss.name == "libcnnl.so.1" and miss.needed_by == f"{PKG}/csrc/lib/libtorch_mlu.so"
    assert miss.component == "CNNL"
    assert miss.searched[:2] == [f"{NEUWARE} (LD_LIBRARY_PATH)", f"{PKG}/csrc/lib (RUNPATH of libtorch_mlu.so)"]
    assert any(s.endswith("(default)") for s in miss.searched)
    assert f"{NEUWARE}/libcnnl.so.2" in miss.other_versions


def test_toolkit_not_on_any_path_is_found_elsewhere(elf, tmp_path):
    torch_mlu_tree(tmp_path, elf)
    neuware(tmp_path, elf)
    lk = resolve(tmp_path, {})
    assert [m.name for m in lk.missing] == ["libcnnl.so.1"]
    assert lk.missing[0].elsewhere == [f"{NEUWARE}/libcnnl.so.1"]
    assert NEUWARE in lk.toolkit_dirs


def test_ld_so_conf_with_include_is_used_when_there_is_no_cache(elf, tmp_path):
    torch_mlu_tree(tmp_path, elf)
    neuware(tmp_path, elf)
    write(tmp_path / "etc/ld.so.conf", "# comment\ninclude ld.so.conf.d/*.conf\n")
    write(tmp_path / "etc/ld.so.conf.d/neuware.conf", f"{NEUWARE}  # toolkit\n")
    lk = resolve(tmp_path)
    assert lk.missing == [] and lk.cache is None and lk.conf_dirs == [NEUWARE]


def test_include_loops_and_garbage_in_ld_so_conf_terminate(tmp_path):
    write(tmp_path / "etc/ld.so.conf", "include /etc/ld.so.conf\ninclude /etc/a.conf\n\x00\xff garbage\n/lib64\n")
    write(tmp_path / "etc/a.conf", "include /etc/ld.so.conf\n/opt/a:/opt/b,/opt/c=libc6\nhwcap 0 nosegneg\n")
    dirs, files = read_ld_conf(LocalSystem(str(tmp_path)))
    assert dirs == ["/opt/a", "/opt/b", "/opt/c", "/lib64"] and files == ["/etc/ld.so.conf", "/etc/a.conf"]
    assert parse_conf_lines("include\tx/*.conf\n/usr/lib\n") == [("include", "x/*.conf"), ("dir", "/usr/lib")]


@pytest.mark.parametrize("fmt", ["new", "old", "compat"])
def test_ld_so_cache_parser_agrees_with_ldconfig(elf, tmp_path, fmt):
    ldconfig = shutil.which("ldconfig") or "/sbin/ldconfig"
    if not os.path.exists(ldconfig):
        pytest.fail("ldconfig is part of libc-bin; it must be installed")
    libdir = tmp_path / "lib"
    elf.install_versioned(libdir, "cnnl", "1.21.1")
    write(tmp_path / "ld.conf", f"{libdir}\n")
    cache = tmp_path / f"cache.{fmt}"
    subprocess.run([ldconfig, "-c", fmt, "-X", "-i", "-C", str(cache), "-f", str(tmp_path / "ld.conf")],
                   check=True, capture_output=True, timeout=60)
    printed = subprocess.run([ldconfig, "-p", "-C", str(cache)], capture_output=True, text=True, timeout=60).stdout
    want = {(line.split()[0], line.rsplit("=> ", 1)[1]) for line in printed.splitlines() if "=> " in line}
    got_fmt, entries = parse_ld_cache(cache.read_bytes())
    assert got_fmt == fmt and {(e.name, e.path) for e in entries} == want
    data = (libdir / "libcnnl.so.1.21.1").read_bytes()
    machine = elf_kind(lambda o, n: data[o:o + n])[1]
    assert cache_lookup(entries, machine)["libcnnl.so.1"] == f"{libdir}/libcnnl.so.1"
    other = 183 if machine == 62 else 62  # entries of another architecture are not the loader's
    assert "libcnnl.so.1" not in cache_lookup(entries, other)


def test_ld_so_cache_built_inside_the_root_is_what_the_loader_uses(elf, tmp_path):
    if os.geteuid() != 0:
        pytest.skip("ldconfig -r chroots into the tree: needs root (CI runs as root)")
    torch_mlu_tree(tmp_path, elf)
    neuware(tmp_path, elf)
    write(tmp_path / "etc/ld.so.conf", "include /etc/ld.so.conf.d/*.conf\n")
    write(tmp_path / "etc/ld.so.conf.d/neuware.conf", f"{NEUWARE}\n")
    subprocess.run(["ldconfig", "-r", str(tmp_path), "-X"], check=True, capture_output=True, timeout=60)
    lk = resolve(tmp_path)
    assert lk.missing == [] and lk.cache.startswith("/etc/ld.so.cache (new format")
    # a directory added to ld.so.conf.d after ldconfig ran is not in the cache: the loader does not see it
    other = tmp_path / "opt/cn/lib64"
    elf.install_versioned(other, "cnnl", "1.21.1")
    shutil.rmtree(tmp_path / NEUWARE.lstrip("/"), ignore_errors=True)
    neuware_dir = tmp_path / NEUWARE.lstrip("/")
    elf.install_versioned(neuware_dir, "cnrt", "6.7.0")
    write(tmp_path / "etc/ld.so.conf.d/neuware.conf", "/opt/cn/lib64\n")
    lk = resolve(tmp_path)
    [miss] = lk.missing
    assert miss.name == "libcnnl.so.1" and "/opt/cn/lib64/libcnnl.so.1" in miss.elsewhere
    assert "/opt/cn/lib64" in lk.conf_dirs and any(s.startswith("/etc/ld.so.cache") for s in miss.searched)


def test_rpath_is_inherited_by_dependencies_but_runpath_is_not(elf, tmp_path):
    lib = tmp_path / "opt/cn"
    elf.install_versioned(lib, "cnnl", "1.21.1")
    site = tmp_path / SITE
    for name in ("libtorch.so", "libc10.so", "libtorch_python.so"):
        elf.install(site / "torch/lib" / name, name)
    elf.install(site / "torch_mlu/libtorch_mlu.so", "libtorch_mlu.so", ["libcnnl.so.1"])  # no RPATH/RUNPATH
    elf.install(site / "torch_mlu" / MLUC, MLUC, ["libtorch_mlu.so"], rpath="$ORIGIN:/opt/cn")
    assert resolve(tmp_path).missing == []  # DT_RPATH of the loader is searched for its dependencies
    elf.install(site / "torch_mlu" / MLUC, MLUC, ["libtorch_mlu.so"], runpath="$ORIGIN:/opt/cn")
    assert [m.name for m in resolve(tmp_path).missing] == ["libcnnl.so.1"]  # DT_RUNPATH is not inherited


def test_runpath_loop_and_dependency_cycle_terminate(elf, tmp_path):
    site = tmp_path / SITE
    elf.install(site / "torch_mlu/liba.so", "liba.so", ["libb.so"], runpath="$ORIGIN:$ORIGIN/.:$ORIGIN/../torch_mlu")
    elf.install(site / "torch_mlu/libb.so", "libb.so", ["liba.so"], runpath="$ORIGIN")
    elf.install(site / "torch_mlu" / MLUC, MLUC, ["liba.so"], runpath="$ORIGIN")
    lk = resolve(tmp_path)
    assert lk.missing == [] and lk.objects == 3 and not lk.truncated


def test_chains_deeper_than_the_bound_are_cut_and_said(elf, tmp_path, monkeypatch):
    monkeypatch.setattr(linkage, "MAX_DEPTH", 3)
    site = tmp_path / SITE
    for i in range(6):
        elf.install(site / f"torch_mlu/lib{i}.so", f"lib{i}.so", [f"lib{i + 1}.so"] if i < 5 else [], runpath="$ORIGIN")
    elf.install(site / "torch_mlu" / MLUC, MLUC, ["lib0.so"], runpath="$ORIGIN")
    lk = resolve(tmp_path)
    assert lk.truncated and lk.missing == []


def test_bad_candidates_are_skipped_as_ld_so_does(elf, tmp_path):
    torch_mlu_tree(tmp_path, elf)
    lib64 = neuware(tmp_path, elf)
    first = tmp_path / "opt/first"
    (first / "libcnnl.so.1").mkdir(parents=True)  # a directory with the library's name
    write(tmp_path / "opt/second/libcnnl.so.1", b"\x7fELF\x02\x01\x01 truncated garbage")
    real = (lib64 / "libcnnl.so.1.21.1").read_bytes()
    other_machine = real[:18] + (183).to_bytes(2, "little") + real[20:]  # the same library built for aarch64
    write(tmp_path / "opt/third/libcnnl.so.1", other_machine)
    lk = resolve(tmp_path, {"LD_LIBRARY_PATH": f"/opt/first:/opt/second:/opt/third:{NEUWARE}"})
    assert lk.missing == [] and lk.resolved["libcnnl.so.1"] == f"{NEUWARE}/libcnnl.so.1.21.1"
    shutil.rmtree(lib64)
    [miss] = resolve(tmp_path, {"LD_LIBRARY_PATH": "/opt/first:/opt/second:/opt/third"}).missing
    reasons = "\n".join(miss.rejected)
    assert "/opt/first/libcnnl.so.1: a directory" in reasons
    assert "/opt/second/libcnnl.so.1: not a loadable ELF object" in reasons
    assert "/opt/third/libcnnl.so.1: ELF 64-bit machine 183" in reasons


@pytest.mark.parametrize("content", [b"", b"not an ELF", b"\x7fELF\x02\x01\x01" + b"\xff" * 100, None])
def test_malformed_or_directory_extension_module_is_a_problem_not_a_crash(tmp_path, content):
    target = tmp_path / SITE / "torch_mlu" / MLUC
    if content is None:
        target.mkdir(parents=True)
    else:
        write(target, content)
    lk = resolve(tmp_path)
    assert lk.objects == 0 and lk.missing == [] and len(lk.problems) == 1 and MLUC in lk.problems[0]


def test_c_runtime_is_not_judged_in_a_partial_tree(elf, tmp_path):
    site = tmp_path / SITE
    elf.install(site / "torch_mlu" / MLUC, MLUC, ["libstdc++.so.6", "libgcc_s.so.1"])
    assert resolve(tmp_path).missing == []


def test_names_and_components():
    assert soname_stem("libcnnl.so.1.21.1") == ("libcnnl.so", "1") and soname_stem("libcnnl.so") == ("libcnnl.so", None)
    assert component_of("libcnnl.so.1") == "CNNL" and component_of("libcnnl_extra.so.1") == "CNNL_Extra"
    assert component_of("libtorch_mlu_python.so") == "torch_mlu" and component_of("libtorch_cpu.so") == "torch"
    assert component_of("libmluops.so.0") == "MLU-OPS" and component_of("libfoo.so") is None


def test_resolve_without_read_range_reads_bounded_whole_files(elf, tmp_path):
    class Plain(LocalSystem):
        read_range = None  # a file source without ranged reads

    torch_mlu_tree(tmp_path, elf)
    neuware(tmp_path, elf)
    fs = Plain(str(tmp_path))
    lk = resolve_linkage(fs, [f"{PKG}/{MLUC}"], {"LD_LIBRARY_PATH": NEUWARE}, [NEUWARE], [PKG],
                         {"libtorch.so": "x", "libc10.so": "x", "libtorch_python.so": "x"})
    assert lk.missing == []


def test_without_ranged_reads_a_big_library_is_accepted_but_not_followed(elf, tmp_path, monkeypatch):
    """A container read through its archive: a library whose dynamic section lies past the bounded read."""
    class Plain(LocalSystem):
        read_range = None

    monkeypatch.setattr(linkage, "ELF_READ_LIMIT", 200)  # every cc-built library is bigger than this
    torch_mlu_tree(tmp_path, elf)
    neuware(tmp_path, elf)
    lk = resolve_linkage(Plain(str(tmp_path)), [f"{PKG}/{MLUC}"], {"LD_LIBRARY_PATH": NEUWARE}, [NEUWARE], [PKG],
                         {"libtorch.so": "x", "libc10.so": "x", "libtorch_python.so": "x"})
    assert lk.missing == [] and lk.truncated and "dependencies were not followed" in lk.problems[0]
