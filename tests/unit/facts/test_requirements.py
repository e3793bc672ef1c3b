"""What torch_mlu declares it needs (build.property in every known shape) and what the system has installed."""

from __future__ import annotations

import struct
import time

import pytest

from mlu_doctor.facts.components import (
    from_library_names,
    header_version,
    installed_components,
    listed_components,
    parse_dpkg,
    parse_rpmdb,
)
from mlu_doctor.facts.requirements import (
    PROPERTY_LIMIT,
    parse_build_property,
    parse_key_values,
    read_requirements,
    torch_from_version,
)
from mlu_doctor.system.local import LocalSystem
from tests.kit.files import DATA, write

# Cambricon/torch_mlu r2.4_develop scripts/release/build.property (a daily entry, genesis under python_wheel_requires)
R24 = """{
  "version": "1.25.0-torch2.4.1",
  "driver_requires": ["release", "6.2.8-1"],
  "build_requires": {
    "cnnl": ["release", "2.0.0-1"],
    "cntoolkit": ["release","4.0.1-1"],
    "cncl": ["release", "1.24.1-1"],
    "cnnlextra": ["daily", "r2.0/2.0.0-20250208_195831-r2.0-base-32-g8b51f9e"],
    "mluops": ["daily", "gitlab_update_to_cnnl2.0/1.5.0-20250208_153105-9b75004"],
    "benchmark": ["release", "0.7.1-torch1.13.1"]
  },
  "python_wheel_requires": {
    "genesis": ["release", "1.4.0", "3.0.0"]
  },
  "package_type": ["whl", "docker"]
}"""
# Cambricon/catch script/release/build.property
CATCH = """{
  "version": "1.1.2-1",
  "driver_requires": ["release", "4.15.12-1"],
  "build_requires": {
    "cnnl": ["release", "1.8.2-1"],
    "cntoolkit": ["release","2.6.4-1"],
    "magicmind": ["release", "0.7.1-1"]},
  "package_type": ["whl", "docker"]
}"""


def reqs(text: str) -> dict[str, str]:
    return {r.component: r.version for r in parse_build_property(text, "f")[1]}


def test_torch_mlu_117_sample():
    version, found = parse_build_property((DATA / "torch_mlu_1.17.0_build.property").read_text(), "file:x")
    got = {r.component: r.version for r in found}
    assert version == "1.17.0-torch1.13"
    assert got == {"driver": "5.10.22-1", "cnnl": "1.21.1-1", "cntoolkit": "3.7.2-1", "cncl": "1.13.0-1",
                   "cncv": "2.2.0-1", "cndali": "0.9.0", "cnnl_extra": "1.5.0-1", "mluops": "0.9.0-1"}
    assert all(r.source == "file:x" and r.channel == "release" for r in found)


def test_daily_entries_and_genesis_pin_triton():
    got = reqs(R24)
    assert got["cnnl_extra"] == "2.0.0" and got["mluops"] == "1.5.0" and got["driver"] == "6.2.8-1"
    assert got["triton"] == "3.0.0+mlu1.4.0"  # the triton wheel torch_mlu installs: <triton>+mlu<genesis>
    assert "benchmark" not in got and "package_type" not in got


def test_catch_shape():
    assert reqs(CATCH) == {"driver": "4.15.12-1", "cnnl": "1.8.2-1", "cntoolkit": "2.6.4-1", "magicmind": "0.7.1-1"}


def test_key_value_shapes():
    text = "# build requirements\nversion=1.2.0-torch1.6\ndriver_requires = 4.20.4-1\ncnnl: 1.10.3-1\nCNCL_VERSION=1.2.1\n"
    version, found = parse_build_property(text, "f")
    assert version == "1.2.0-torch1.6"
    assert {r.component: r.version for r in found} == {"driver": "4.20.4-1", "cnnl": "1.10.3-1", "cncl": "1.2.1"}
    # Cambricon/torch_mlu r2.4_develop scripts/version.info
    _v, info = parse_key_values("version_type:release\npytorch:2.4.1+cpu\nvision:0.19.1+cpu\naudio:2.4.1+cpu\n", "v")
    assert {r.component: r.version for r in info} == {"torch": "2.4.1+cpu", "torchvision": "0.19.1+cpu",
                                                      "torchaudio": "2.4.1+cpu"}


@pytest.mark.parametrize("text", ["", "{", '{"driver_requires": ["release", "6.2', "\x00\xff garbage", "[1, 2]"])
def test_garbage_gives_nothing(text):
    assert parse_build_property(text, "f") == (None, [])


@pytest.mark.parametrize("version, torch", [
    ("1.17.0-torch1.13", "1.13"), ("1.33.1+torch2.11.0", "2.11.0"), ("1.34.1+torch2.13.0", "2.13.0"),
    ("1.2.0-torch1.6", "1.6"), ("1.25.0+torch2.4.1.cxx11.abi", "2.4.1"), ("1.17.0", None), (None, None),
])
def test_torch_named_by_either_spelling(version, torch):
    assert torch_from_version(version) == torch


def test_a_50_mb_build_property_is_read_bounded(tmp_path):
    head = (DATA / "torch_mlu_1.17.0_build.property").read_text().rstrip().rstrip("}")
    big = head + ',\n  "padding": "' + "x" * (50 * 1024 * 1024) + '"\n}\n'
    pkg = tmp_path / "site/torch_mlu"
    write(pkg / "share/build.property", big)
    start = time.perf_counter()
    version, found, read = read_requirements(LocalSystem(str(tmp_path)), "/site/torch_mlu")
    assert time.perf_counter() - start < 1.0
    assert version == "1.17.0-torch1.13" and {r.component for r in found} >= {"driver", "cnnl", "cntoolkit"}
    assert read == ["/site/torch_mlu/share/build.property"] and PROPERTY_LIMIT < 1024 * 1024


def test_source_tree_layout_and_version_info(tmp_path):
    """A develop install: the package at /torch/src/torch_mlu/torch_mlu, build.property in scripts/release."""
    write(tmp_path / "torch/src/torch_mlu/scripts/release/build.property", R24)
    write(tmp_path / "torch/src/torch_mlu/scripts/version.info", "pytorch:2.4.1+cpu\nvision:0.19.1+cpu\n")
    version, found, read = read_requirements(LocalSystem(str(tmp_path)), "/torch/src/torch_mlu/torch_mlu")
    got = {r.component: r.version for r in found}
    assert version == "1.25.0-torch2.4.1" and got["torch"] == "2.4.1+cpu" and got["torchvision"] == "0.19.1+cpu"
    assert read == ["/torch/src/torch_mlu/scripts/release/build.property", "/torch/src/torch_mlu/scripts/version.info"]


# --- installed versions -------------------------------------------------------------------------


def test_library_file_names():
    got = from_library_names(["libcnnl.so", "libcnnl.so.1", "libcnnl.so.1.21.1", "libcnnl_extra.so.1.5.0",
                              "libmluops.so.0.9.0", "libcncl.so.1.13.0", "libcnrt.so.6.7.0", "libfoo.so.1.2.3"], "/n")
    assert {k: v.version for k, v in got.items()} == {"cnnl": "1.21.1", "cnnl_extra": "1.5.0", "mluops": "0.9.0",
                                                      "cncl": "1.13.0", "cnrt": "6.7.0"}
    assert got["cnnl"].source == "file:/n/libcnnl.so.1.21.1"


@pytest.mark.parametrize("text, prefix, version", [
    ("#define CNNL_MAJOR 1\n#define CNNL_MINOR 21\n#define CNNL_PATCHLEVEL 1\n", "CNNL", "1.21.1"),
    ("#define CNCL_MAJOR_VERSION 1\n#define CNCL_MINOR_VERSION 25\n#define CNCL_PATCH_VERSION 0\n", "CNCL", "1.25.0"),
    ("#define MLUOP_MAJOR 1\n#define MLUOP_MINOR 4\n#define MLUOP_PATCHLEVEL 2\n", "MLUOP", "1.4.2"),
    ("#define CNRT_MAJOR_VERSION 6\n#define CNRT_MINOR_VERSION 14\n", "CNRT", None),  # incomplete: unknown
])
def test_header_versions(text, prefix, version):
    assert header_version(text, prefix) == version


def test_dpkg_status():
    text = ("Package: bash\nStatus: install ok installed\nVersion: 5.1\n\n"
            "Package: cnnl\nStatus: install ok installed\nVersion: 1.21.1-1.ubuntu20.04\n\n"
            "Package: cncl\nStatus: deinstall ok config-files\nVersion: 1.13.0-1\n\n"
            "Package: cntoolkit-cloud\nStatus: install ok installed\nVersion: 3.7.2-1.ubuntu20.04\n")
    got = parse_dpkg(text)
    assert {k: v.version for k, v in got.items()} == {"cnnl": "1.21.1", "cntoolkit": "3.7.2"}
    assert got["cnnl"].source == "dpkg:cnnl 1.21.1-1.ubuntu20.04"


def rpm_header(name: str, version: str, release: str) -> bytes:
    """An rpm header blob as rpmdb stores it: index count, data size, (tag, type, offset, count) entries, data."""
    strings = [("100", "C"), ("1000", name), ("1001", version), ("1002", release)]
    index, data = b"", b""
    for tag, value in strings:
        index += struct.pack(">iiii", int(tag), 8 if tag == "100" else 6, len(data), 1)
        data += value.encode() + b"\x00"
    return struct.pack(">ii", len(strings), len(data)) + index + data


def test_rpm_database_blobs(tmp_path):
    blob = b"\x00" * 100 + rpm_header("cnnl", "1.21.1", "1.el7") + b"\xff" * 50 + rpm_header("cntoolkit", "3.7.2", "1.el7")
    got = parse_rpmdb(blob, "/var/lib/rpm/rpmdb.sqlite")
    assert {k: v.version for k, v in got.items()} == {"cnnl": "1.21.1", "cntoolkit": "3.7.2"}
    assert parse_rpmdb(rpm_header("libcnnl", "9.9.9", "1"), "x") == {}  # another package whose name ends in cnnl


def test_installed_components_reads_only_what_is_wanted_and_unknown(tmp_path, elf):
    lib64 = tmp_path / "usr/local/neuware/lib64"
    elf.install_versioned(lib64, "cnnl", "1.21.1")
    write(tmp_path / "usr/local/neuware/include/cncl.h",
          "#define CNCL_MAJOR_VERSION 1\n#define CNCL_MINOR_VERSION 13\n#define CNCL_PATCH_VERSION 0\n")
    write(tmp_path / "var/lib/dpkg/status", "Package: cnnl\nStatus: install ok installed\nVersion: 1.20.0-1\n\n"
                                            "Package: mluops\nStatus: install ok installed\nVersion: 0.9.0-1\n")
    write(tmp_path / "var/lib/rpm/Packages", rpm_header("cntoolkit", "3.7.2", "1.el7"))
    fs = LocalSystem(str(tmp_path))
    listed = listed_components(fs.listdir("/usr/local/neuware/lib64"), "/usr/local/neuware")
    assert listed["cnnl"][0].source == "file:/usr/local/neuware/lib64/libcnnl.so.1.21.1"
    got = installed_components(fs, "/usr/local/neuware", {"cnnl", "cncl", "mluops", "cntoolkit"}, set(listed))
    assert "cnnl" not in got  # known from lib64: neither the header nor dpkg is consulted for it
    assert got["cncl"][0].source == "header:/usr/local/neuware/include/cncl.h"
    assert got["mluops"][0].version == "0.9.0" and got["cntoolkit"][0].source.startswith("rpm:cntoolkit 3.7.2-1.el7")
    assert installed_components(fs, "/usr/local/neuware", {"cnnl"}, {"cnnl"}) == {}


def test_package_databases_are_not_read_when_nothing_is_missing(tmp_path):
    class Counting(LocalSystem):
        reads: list[str] = []

        def read_bytes(self, path, limit=1 << 20):
            self.reads.append(path)
            return super().read_bytes(path, limit)

    fs = Counting(str(tmp_path))
    assert installed_components(fs, None, {"cnnl"}, {"cnnl"}) == {} and fs.reads == []


def test_build_property_sample():
    version, reqs = parse_build_property((DATA / "torch_mlu_1.17.0_build.property").read_text(), "f")
    got = {r.component: r.version for r in reqs}
    assert got["driver"] == "5.10.22-1" and version == "1.17.0-torch1.13"
    assert got["cnnl"] == "1.21.1-1" and got["cndali"] == "0.9.0" and got["cnnl_extra"] == "1.5.0-1"
    assert parse_build_property("{truncated", "f") == (None, []) and parse_build_property("[1]", "f") == (None, [])
