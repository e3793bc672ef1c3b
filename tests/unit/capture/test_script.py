"""The probe script records all the framework probe reads: the static ld.so resolution of torch_mlu (linkage),
build.property / version.info, installed component versions (lib64, headers, dpkg, rpm), distributions.

Each tree is probed live and through the script's capture (its `capture()` run in this process; the integration
test runs the script itself under Python 3.6); the toolkit and framework facts must be equal, field for field.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from mlu_doctor.capture.archive import load_capture
from mlu_doctor.capture.replay import replay_facts
from mlu_doctor.capture.script import probe_script
from mlu_doctor.config import Config
from mlu_doctor.facts import framework, gather
from mlu_doctor.facts.context import host_context
from mlu_doctor.facts.elf import dynamic_info
from mlu_doctor.facts.ldso import parse_conf_lines, parse_ld_cache
from mlu_doctor.serde import to_data
from tests.kit import hosts, pyenvs
from tests.kit.capture import oldest_python
from tests.kit.files import write

SITE = "usr/local/lib/python3.10/dist-packages"
PKG = f"/{SITE}/torch_mlu"
MLUC = "_MLUC.cpython-310-x86_64-linux-gnu.so"
NEUWARE = "/usr/local/neuware"
LIB64 = f"{NEUWARE}/lib64"
SECTIONS = ("toolkit", "framework")


@pytest.fixture(scope="module")
def script() -> dict:
    namespace: dict = {}
    text = probe_script().replace('if __name__ == "__main__":', "if False:")
    exec(compile(text, "probe.py", "exec"), namespace)
    return namespace


def both(script: dict, root: Path, env: dict[str, str], tmp_path: Path):
    """(live facts, facts replayed from the script's capture, the capture) of the tree at `root`."""
    (root / "work").mkdir(parents=True, exist_ok=True)
    live = gather(host_context(str(root), environ=env, project_dir="/work", cwd="/work"), SECTIONS)
    opts = {"root": str(root), "python": None, "project": None, "coco": [], "timeout": 3.0, "output": None,
            "environ": env, "cwd": str(root / "work")}
    data = script["capture"](script["PLAN"], opts)
    path = write(tmp_path / "facts.json", json.dumps(data))
    return live, replay_facts(load_capture(str(path)), Config(), SECTIONS), data


def assert_same(live, replayed) -> None:
    assert live.framework is not None and live.framework.torch_mlu_path == PKG
    assert to_data(replayed.framework) == to_data(live.framework)
    assert to_data(replayed.toolkit) == to_data(live.toolkit)
    assert replayed.errors == live.errors


# --- trees: each returns the environment the probes see -------------------------------------------------


def healthy(root: Path, elf) -> dict[str, str]:
    pyenvs.torch_mlu_env(root)
    hosts.add_neuware(root)
    return {"LD_LIBRARY_PATH": LIB64, "NEUWARE_HOME": NEUWARE}


def off_every_path(root: Path, elf) -> dict[str, str]:
    pyenvs.torch_mlu_env(root)
    hosts.add_neuware(root)
    return {}  # found only in the toolkit's lib64: "elsewhere"


def another_major(root: Path, elf) -> dict[str, str]:
    pyenvs.torch_mlu_env(root)
    hosts.add_neuware(root, libs={**hosts.CNNL_LIBS, "cnnl": "2.0.0"})
    return {"LD_LIBRARY_PATH": f"/nonexistent:{LIB64}"}


def ld_so_conf_include(root: Path, elf) -> dict[str, str]:
    pyenvs.torch_mlu_env(root)
    hosts.add_neuware(root, home="/opt/cambricon/neuware")
    write(root / "etc/ld.so.conf", "# comment\ninclude ld.so.conf.d/*.conf\ninclude /etc/more/*.conf\n")
    write(root / "etc/ld.so.conf.d/neuware.conf", "/opt/cambricon/neuware/lib64  # toolkit\n")
    write(root / "etc/more/loop.conf", "include /etc/ld.so.conf\n/opt/empty:/opt/also,/usr/lib/x86_64-linux-gnu\n")
    elf.install(root / "usr/lib/x86_64-linux-gnu/libtorch_python.so", "libtorch_python.so")
    return {}


def ld_so_cache(root: Path, elf) -> dict[str, str]:
    """ldconfig -r run inside the tree; then a directory added to ld.so.conf.d that the cache does not know."""
    if os.geteuid() != 0:
        pytest.skip("ldconfig -r chroots into the tree: needs root (CI runs as root)")
    pyenvs.torch_mlu_env(root)
    hosts.add_neuware(root, home="/opt/cn", libs={"cnrt": "6.7.0", "cndrv": "2.7.1"})
    elf.install_versioned(root / "opt/old/lib64", "cnnl", "1.21.1", ["libcnrt.so.6"])
    write(root / "etc/ld.so.conf", "include /etc/ld.so.conf.d/*.conf\n")
    write(root / "etc/ld.so.conf.d/cn.conf", "/opt/cn/lib64\n/opt/old/lib64\n")
    subprocess.run(["ldconfig", "-r", str(root), "-X"], check=True, capture_output=True, timeout=60)
    write(root / "etc/ld.so.conf.d/cn.conf", "/opt/cn/lib64\n/opt/new/lib64\n")
    elf.install_versioned(root / "opt/new/lib64", "cncl", "1.13.0")
    return {}


def stale_ld_so_cache(root: Path, elf) -> dict[str, str]:
    ld_so_cache(root, elf)
    shutil.rmtree(root / "opt/old")  # the cache still names it
    return {}


def rpath_inherited(root: Path, elf) -> dict[str, str]:
    site = root / SITE
    pyenvs.torch_pkg(site, "1.13.1")
    write(site / "torch_mlu/__init__.py")
    elf.install_versioned(root / "opt/cn", "cnnl", "1.21.1", ["libcnrt.so.6"])
    elf.install_versioned(root / "opt/cn", "cnrt", "6.7.0")
    elf.install(site / "torch_mlu/libtorch_mlu.so", "libtorch_mlu.so", ["libcnnl.so.1"])  # no RPATH/RUNPATH
    elf.install(site / "torch_mlu" / MLUC, MLUC, ["libtorch_mlu.so", "libc10.so"], rpath="$ORIGIN:/opt/cn")
    return {}


def runpath_not_inherited(root: Path, elf) -> dict[str, str]:
    rpath_inherited(root, elf)
    elf.install(root / SITE / "torch_mlu" / MLUC, MLUC, ["libtorch_mlu.so"], runpath="${ORIGIN}:/opt/cn")
    return {}


def bad_candidates(root: Path, elf) -> dict[str, str]:
    pyenvs.torch_mlu_env(root)
    lib64 = hosts.add_neuware(root) / "lib64"
    (root / "opt/first/libcnnl.so.1").mkdir(parents=True)  # a directory with the library's name
    write(root / "opt/second/libcnnl.so.1", b"\x7fELF\x02\x01\x01 truncated garbage")
    real = (lib64 / "libcnnl.so.1.21.1").read_bytes()
    write(root / "opt/third/libcnnl.so.1", real[:18] + (183).to_bytes(2, "little") + real[20:])  # aarch64
    os.symlink("/opt/nowhere/libcnrt.so.6", root / "opt/first/libcnrt.so.6")  # dangling
    shutil.rmtree(lib64)
    return {"LD_LIBRARY_PATH": "/opt/first:/opt/second:/opt/third"}


def lib_platform_loops(root: Path, elf) -> dict[str, str]:
    site = root / SITE
    pyenvs.torch_pkg(site, "2.1.0")
    write(site / "torch_mlu/__init__.py")
    pkg = site / "torch_mlu"
    elf.install(pkg / "lib64/liba.so", "liba.so", ["libb.so"], runpath="$ORIGIN:$ORIGIN/.:$ORIGIN/../x86_64")
    elf.install(pkg / "x86_64/libb.so", "libb.so", ["liba.so", "libcnrt.so.6"], runpath="$ORIGIN/../lib64")
    elf.install(pkg / MLUC, MLUC, ["liba.so"], runpath="$ORIGIN/$LIB:$ORIGIN/$PLATFORM")
    elf.install(pkg / "_other.abi3.so", "_other.abi3.so", ["libmissing.so.3"])
    hosts.add_neuware(root, libs={"cnrt": "6.7.0", "cndrv": "2.7.1"})
    os.symlink("libcnrt.so.6", root / LIB64.lstrip("/") / "libcnrt.so.6.link")
    return {"LD_LIBRARY_PATH": LIB64}


def installed_elsewhere(root: Path, elf) -> dict[str, str]:
    """build.property needs CNNL_Extra, MLU-OPS, CNCL, CNCV: headers, dpkg and rpm say the rest."""
    pyenvs.torch_mlu_env(root)
    hosts.add_neuware(root, libs={"cnrt": "6.7.0", "cnnl": "1.21.1", "cndrv": "2.7.1"})
    write(root / NEUWARE.lstrip("/") / "include/cnnl_extra.h",
          "#define CNNL_EXTRA_MAJOR 1\n#define CNNL_EXTRA_MINOR 5\n#define CNNL_EXTRA_PATCHLEVEL 0\n")
    write(root / "var/lib/dpkg/status", "Package: cncl\nStatus: install ok installed\nVersion: 1.13.0-1\n\n")
    blob = b"\x00" * 5000 + b"mluops\x000.9.0\x001.el8\x00" + b"\x01" * 7000 + b"cncv\x002.2.0\x001\x00" + b"\xff" * 9000
    write(root / "var/lib/rpm/rpmdb.sqlite", blob)
    write(root / "var/lib/rpm/Packages", b"cnnlextra\x009.9.9\x001\x00")  # never read: the first database wins
    return {"LD_LIBRARY_PATH": LIB64}


def rpm_without_cambricon(root: Path, elf) -> dict[str, str]:
    installed_elsewhere(root, elf)
    write(root / "var/lib/rpm/rpmdb.sqlite", b"bash\x005.1\x001\x00" * 100)
    write(root / "var/lib/rpm/Packages", b"mluops\x000.9.0\x001\x00")
    return {"LD_LIBRARY_PATH": LIB64}


def paired_dists(root: Path, elf) -> dict[str, str]:
    site = pyenvs.torch_mlu_plus_env(root)
    pyenvs.dist_info(site, "nvidia_cudnn_cu12", "9.1.0.70")
    pyenvs.dist_info(site, "torchaudio", "2.5.0", ("torch==2.4.0",))
    hosts.add_neuware(root)
    return {"LD_LIBRARY_PATH": LIB64}


TREES: dict[str, Callable[[Path, object], dict[str, str]]] = {
    f.__name__: f for f in (healthy, off_every_path, another_major, ld_so_conf_include, ld_so_cache,
                            stale_ld_so_cache, rpath_inherited,
                            runpath_not_inherited, bad_candidates, lib_platform_loops, installed_elsewhere,
                            rpm_without_cambricon, paired_dists)}


@pytest.mark.parametrize("name", sorted(TREES))
def test_the_framework_probe_finds_the_same_through_the_script(script, elf, tmp_path, name):
    root = tmp_path / "root"
    env = TREES[name](root, elf)
    live, replayed, data = both(script, root, env, tmp_path)
    assert_same(live, replayed)
    ranges = data["systems"]["host"]["ranges"]
    for parts in ranges.values():  # merged: one recorded range answers any read that falls inside it
        ends = [(r["offset"], r["offset"] + len(base64.b64decode(r["b64"]))) for r in parts]
        assert all(a[1] < b[0] for a, b in zip(ends, ends[1:]))


def test_what_the_trees_show(script, elf, tmp_path):
    """The trees above do exercise the paths they are named for (else equality proves little)."""
    seen = {}
    for name, build in sorted(TREES.items()):
        root = tmp_path / name / "root"
        live, _replayed, data = both(script, root, build(root, elf), tmp_path / name)
        seen[name] = (live.framework, data)
    lk = seen["healthy"][0].linkage
    assert lk.missing == [] and lk.resolved["libcnnl.so.1"] == f"{LIB64}/libcnnl.so.1.21.1"
    assert [m.name for m in seen["off_every_path"][0].linkage.missing][:1] == ["libcnnl.so.1"]
    assert any(m.other_versions for m in seen["another_major"][0].linkage.missing)
    lk = seen["ld_so_conf_include"][0].linkage
    assert lk.missing == [] and "/opt/cambricon/neuware/lib64" in lk.conf_dirs
    assert seen["ld_so_cache"][0].linkage.missing == [] and seen["ld_so_cache"][0].linkage.cache
    assert [m.name for m in seen["stale_ld_so_cache"][0].linkage.missing] == ["libcnnl.so.1"]
    assert seen["rpath_inherited"][0].linkage.missing == []
    assert [m.name for m in seen["runpath_not_inherited"][0].linkage.missing] == ["libcnnl.so.1"]
    reasons = "\n".join(r for m in seen["bad_candidates"][0].linkage.missing for r in m.rejected)
    assert "a directory" in reasons and "not a loadable ELF" in reasons and "machine 183" in reasons
    lk = seen["lib_platform_loops"][0].linkage
    assert [m.name for m in lk.missing] == ["libmissing.so.3"] and len(lk.roots) == 2 and lk.objects >= 4
    installed = seen["installed_elsewhere"][0].installed
    assert {c: [v.source.split(":")[0] for v in vs] for c, vs in installed.items()} == {
        "cnnl_extra": ["header"], "cncl": ["dpkg"], "mluops": ["rpm"], "cncv": ["rpm"]}
    assert seen["rpm_without_cambricon"][0].installed.get("mluops") is None
    dists = {d.name: d.requires_torch for d in seen["paired_dists"][0].dists}
    assert dists["torchaudio"] == "2.4.0" and "nvidia_cudnn_cu12" in dists and dists["torchvision"]
    paths = seen["installed_elsewhere"][1]["systems"]["host"]["paths"]
    kept = base64.b64decode(paths["/var/lib/rpm/rpmdb.sqlite"]["data"]["b64"])
    assert kept.endswith(b"cncv\x002.2.0\x001\x00") and len(kept) < 13000, "kept up to its last Cambricon header"
    assert "data" not in paths.get("/var/lib/rpm/Packages", {}), "the doctor stops at the first database"
    assert "data" not in seen["rpm_without_cambricon"][1]["systems"]["host"]["paths"]["/var/lib/rpm/rpmdb.sqlite"]


@pytest.mark.parametrize("name", ["installed_elsewhere", "ld_so_conf_include", "stale_ld_so_cache", "bad_candidates"])
def test_the_script_itself_on_the_oldest_python(elf, tmp_path, name):
    """The new readers (ld.so.conf, ld.so.cache, ELF, rpm) run on Python 3.6 and give the same facts."""
    root = tmp_path / "root"
    env = TREES[name](root, elf)
    (root / "work").mkdir(parents=True, exist_ok=True)
    probe = write(tmp_path / "probe.py", probe_script())
    ran = subprocess.run([oldest_python(), str(probe), "--root", str(root), "-o", str(tmp_path / "facts.json")],
                         env={**env, "PATH": "/usr/bin:/bin"}, cwd=root / "work", capture_output=True, timeout=120)
    assert ran.returncode == 0 and ran.stderr == b"", ran.stderr
    live = gather(host_context(str(root), environ={**env, "PATH": "/usr/bin:/bin"}, project_dir="/work",
                               cwd="/work"), SECTIONS)
    assert_same(live, replay_facts(load_capture(str(tmp_path / "facts.json")), Config(), SECTIONS))


@pytest.mark.parametrize("fmt", ["new", "old", "compat"])
def test_the_scripts_ld_so_cache_reader_agrees_with_the_doctors(script, elf, tmp_path, fmt):
    ldconfig = shutil.which("ldconfig") or "/sbin/ldconfig"
    libdir = tmp_path / "lib"
    elf.install_versioned(libdir, "cnnl", "1.21.1")
    elf.install_versioned(libdir, "cnrt", "6.7.0")
    write(tmp_path / "ld.conf", f"{libdir}\n")
    cache = tmp_path / f"cache.{fmt}"
    subprocess.run([ldconfig, "-c", fmt, "-X", "-i", "-C", str(cache), "-f", str(tmp_path / "ld.conf")],
                   check=True, capture_output=True, timeout=60)
    data = cache.read_bytes()
    want: dict[str, list[str]] = {}
    for e in parse_ld_cache(data)[1]:
        want.setdefault(e.name, []).append(e.path)
    assert script["cache_paths"](data) == want and want
    assert script["cache_paths"](data[:40]) == {} and script["cache_paths"](b"garbage") == {}


def test_the_scripts_elf_and_ld_so_conf_readers_agree_with_the_doctors(script, elf, tmp_path):
    class Rec:  # read_range over one file, as the Recorder does it
        def read_range(self, _path, offset, length):
            return data[offset:offset + length] or None

    lk = script["PLAN"]["linkage"]
    for soname, needed, runpath, rpath in [("libx.so.3", ["libcnnl.so.1", "libc10.so"], "$ORIGIN/../lib", None),
                                           ("liby.so", [], None, "/opt/y:$ORIGIN"), ("libz.so", ["liba.so"], None, None)]:
        data = elf.shared_object(soname, needed, runpath, rpath)
        dyn = dynamic_info(lambda off, n, data=data: data[off:off + n])
        info = script["elf_info"](Rec(), "/x", lk)
        assert (info["is64"], info["machine"], info["needed"], info["soname"], info["rpath"], info["runpath"]) == (
            dyn.is64, dyn.machine, dyn.needed, dyn.soname, dyn.rpath, dyn.runpath)
    text = "# c\ninclude\tx/*.conf\ninclude a.conf b.conf\n/usr/lib:/opt/a,/opt/b=libc6\nhwcap 0 x\n relative\n"
    assert script["conf_lines"](text) == parse_conf_lines(text)


def test_the_plan_reads_the_distributions_the_framework_probe_reads(script):
    plan = script["PLAN"]
    for name in ["torch", "torch_mlu", "catch", "torchvision", "triton", "pytorch_triton", "vllm", "mmcv_full",
                 "nvidia_cudnn_cu12", "numpy", "nvidia", "torchtext"]:
        wanted = name in plan["dists"] or name.startswith(tuple(plan["dist_prefixes"]))
        assert wanted == framework._wanted(name), name


def test_the_script_never_writes_what_the_loader_refuses(script, tmp_path, monkeypatch, capsys):
    from mlu_doctor.capture.archive import FILE_LIMIT
    from mlu_doctor.capture.script import MAX_BYTES

    assert script["PLAN"]["max_output"] == FILE_LIMIT
    assert MAX_BYTES * 4 // 3 < FILE_LIMIT * 0.9  # the bytes it may read fit inline (base64) with room to spare
    monkeypatch.setitem(script["PLAN"], "max_output", 100)  # any real capture is larger
    (tmp_path / "root").mkdir()
    out = tmp_path / "facts.json"
    assert script["main"](["--root", str(tmp_path / "root"), "-o", str(out)]) == 4
    assert not out.exists() and list(tmp_path.iterdir()) == [tmp_path / "root"]
    assert capsys.readouterr().err == ("probe.py: the capture would be 1 MiB, more than the 0 MiB mlu-doctor "
                                       "reads; nothing was written\n")
