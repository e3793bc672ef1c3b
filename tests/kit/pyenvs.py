"""Fixture builders: Python environments with Cambricon PyTorch, yolov3/yolov5 trees, COCO trees, proc cards."""

from __future__ import annotations

import struct
from pathlib import Path

from tests.kit import elf as elfkit
from tests.kit.files import DATA, write

CNML_VENV = "torch/venv3/pytorch/lib/python3.6/site-packages"


def elf_with_needed(needed: list[str]) -> bytes:
    """A minimal 64-bit little-endian ELF shared object whose dynamic section lists `needed`."""
    strtab = b"\x00"
    offsets = []
    for name in needed:
        offsets.append(len(strtab))
        strtab += name.encode() + b"\x00"
    base, ph_off, vaddr = 64, 64, 0x1000
    str_off = ph_off + 2 * 56
    dyn_off = (str_off + len(strtab) + 7) // 8 * 8
    dyn = b"".join(struct.pack("<qQ", 1, o) for o in offsets)
    dyn += struct.pack("<qQ", 5, vaddr + str_off) + struct.pack("<qQ", 10, len(strtab)) + struct.pack("<qQ", 0, 0)
    total = dyn_off + len(dyn)
    header = struct.pack("<16sHHIQQQIHHHHHH", b"\x7fELF\x02\x01\x01" + b"\x00" * 9, 3, 62, 1, 0, ph_off, 0, 0,
                         base, 56, 2, 64, 0, 0)
    load = struct.pack("<IIQQQQQQ", 1, 5, 0, vaddr, vaddr, total, total, 0x1000)
    dynamic = struct.pack("<IIQQQQQQ", 2, 6, dyn_off, vaddr + dyn_off, vaddr + dyn_off, len(dyn), len(dyn), 8)
    body = header + load + dynamic + strtab
    return body + b"\x00" * (dyn_off - len(body)) + dyn


def dist_info(site: Path, name: str, version: str, requires: tuple[str, ...] = ()) -> None:
    extra = "".join(f"Requires-Dist: {r}\n" for r in requires)
    write(site / f"{name}-{version}.dist-info" / "METADATA", f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n{extra}")


TORCH_LIBS = ("libtorch.so", "libc10.so", "libtorch_cpu.so", "libtorch_python.so")


def torch_pkg(site: Path, version: str, libs: bool = True, cuda: str | None = None) -> None:
    """torch/{__init__,version}.py and (libs=True) torch/lib/*.so as real shared objects, as a torch wheel has."""
    write(site / "torch/__init__.py", "")
    write(site / "torch/version.py", f"__version__ = '{version}'\ndebug = False\ncuda = {cuda and repr(cuda)}\n")
    for name in TORCH_LIBS if libs else ():
        elfkit.install(site / "torch/lib" / name, name)


def cnml_env(root: Path, with_elf: bool = True) -> Path:
    """MLU270-era image contents: torch 1.3.0a0 in /torch/venv3/pytorch, torch_mlu.core, _MLUC linking libcnml."""
    site = root / CNML_VENV
    torch_pkg(site, "1.3.0a0+b8a5f1d")
    write(site / "torch-1.3.0a0+b8a5f1d-py3.6.egg-info/PKG-INFO", "Metadata-Version: 1.0\nName: torch\nVersion: 1.3.0a0+b8a5f1d\n")
    write(site / "torch_mlu/__init__.py", "")
    write(site / "torch_mlu/core/__init__.py", "")
    write(site / "torch_mlu/core/mlu_model.py", "def set_core_version(v):\n    pass\n")
    if with_elf:
        elfkit.install(site / "torch_mlu/_MLUC.cpython-36m-x86_64-linux-gnu.so", "_MLUC.cpython-36m-x86_64-linux-gnu.so",
                       ["libcnml.so", "libcnrt.so", "libtorch.so"])
    return site


# Cambricon/catch script/release/build.property
CATCH_BUILD_PROPERTY = """{
  "version": "1.1.2-1",
  "driver_requires": ["release", "4.15.12-1"],
  "build_requires": {
    "cnnl": ["release", "1.8.2-1"],
    "cntoolkit": ["release","2.6.4-1"],
    "cncl": ["release", "1.0.1-1"],
    "cnlight": ["release", "0.9.0-1"],
    "magicmind": ["release", "0.7.1-1"]},
  "package_type": ["whl", "docker"]
}
"""


def catch_env(root: Path) -> Path:
    """catch 1.1 on torch 1.6 (CNNL era), installed as a develop egg-link via easy-install.pth."""
    site = root / "torch/venv3/pytorch/lib/python3.7/site-packages"
    torch_pkg(site, "1.6.0a0+ab70945")
    src = root / "torch/src/catch"
    write(src / "torch_mlu/__init__.py", "")
    write(src / "torch_mlu/core/mlu_model.py", "")
    elfkit.install(src / "torch_mlu/_MLUC.cpython-37m-x86_64-linux-gnu.so", "_MLUC.cpython-37m-x86_64-linux-gnu.so",
                   ["libcnnl.so", "libcnrt.so", "libtorch.so"])
    write(src / "catch.egg-info/PKG-INFO", "Name: catch\nVersion: 1.1.2\n")
    write(src / "script/release/build.property", CATCH_BUILD_PROPERTY)
    write(site / "catch.egg-link", "/torch/src/catch\n.\n")
    write(site / "easy-install.pth", "/torch/src/catch\n")
    dist_info(site, "catch", "1.1.2")
    return site


def torch_mlu_env(root: Path, version: str = "1.17.0", torch: str = "1.13.1", driver_requires: str | None = None,
                  core: bool = True, py: str = "3.10") -> Path:
    """torch_mlu wheel layout in /usr/local/lib/pythonX/dist-packages, with build.property."""
    site = root / f"usr/local/lib/python{py}/dist-packages"
    torch_pkg(site, torch)
    dist_info(site, "torch", torch)
    dist_info(site, "torch_mlu", version)
    write(site / "torch_mlu/__init__.py", "")
    if core:
        write(site / "torch_mlu/core/mlu_model.py", "")
    prop = (DATA / "torch_mlu_1.17.0_build.property").read_text()
    if driver_requires:
        prop = prop.replace('"5.10.22-1"', f'"{driver_requires}-1"').replace("1.17.0-torch1.13", f"{version}-torch{torch}")
    write(site / "torch_mlu/share/build.property", prop)
    mlu_libs(site / "torch_mlu")
    return site


def mlu_libs(pkg: Path, cnnl: str = "libcnnl.so.1", cnrt: str = "libcnrt.so.6") -> None:
    """torch_mlu's compiled parts as a wheel has them: _MLUC (RUNPATH $ORIGIN/csrc/lib) -> csrc/lib/libtorch_mlu.so
    -> the toolkit's CNNL / CNRT and torch's own libraries (loaded by `import torch` first)."""
    elfkit.install(pkg / "csrc/lib/libtorch_mlu.so", "libtorch_mlu.so", [cnnl, cnrt, "libc10.so", "libtorch.so"],
                   runpath="$ORIGIN")
    elfkit.install(pkg / "_MLUC.cpython-310-x86_64-linux-gnu.so", "_MLUC.cpython-310-x86_64-linux-gnu.so",
                   [cnnl, cnrt, "libtorch_mlu.so", "libtorch_python.so"], runpath="$ORIGIN/csrc/lib")


def torch_mlu_plus_env(root: Path, version: str = "1.24.1+torch2.5.0", torch: str = "2.5.0+cpu",
                       vision: str = "0.20.0+cpu", triton: str | None = "3.0.0+mlu1.3.1") -> Path:
    """A current Cambricon image: a `+cpu` torch wheel paired with torch_mlu `X+torchY` (no build.property in the
    wheel), torchvision pinning that torch, Cambricon's triton."""
    site = root / "usr/local/lib/python3.10/dist-packages"
    torch_pkg(site, torch)
    dist_info(site, "torch", torch)
    dist_info(site, "torch_mlu", version, ("torch",))
    dist_info(site, "torchvision", vision, (f"torch=={torch.split('+')[0]}",))
    if triton:
        dist_info(site, "triton", triton)
    write(site / "torch_mlu/__init__.py", "")
    mlu_libs(site / "torch_mlu")
    return site


def torch_mlu_122(root: Path) -> Path:
    return torch_mlu_env(root, "1.22.2", "2.1.0", driver_requires="6.2.0", core=False)


def plain_torch_env(root: Path) -> Path:
    site = root / "usr/local/lib/python3.10/dist-packages"
    torch_pkg(site, "2.1.0")
    dist_info(site, "torch", "2.1.0")
    return site


def yolov5_tree(top: Path) -> Path:
    """A yolov5-style checkout: utils/ and models/ packages, train.py, data/coco.yaml."""
    write(top / "utils/__init__.py", "")
    write(top / "utils/google_utils.py", "")
    write(top / "utils/general.py", "")
    write(top / "models/__init__.py", "")
    write(top / "models/yolo.py", "class Model: pass\n")
    write(top / "train.py", "from utils.google_utils import *\nfrom models.yolo import Model\n")
    write(top / "data/coco.yaml", "path: ../datasets/coco  # dataset root dir\ntrain: train2017.txt\n"
                                  "val: val2017.txt\ntest: test-dev2017.txt\nnames:\n  0: person\n")
    return top


def yolov3_tree(top: Path) -> Path:
    write(top / "utils/__init__.py", "")
    write(top / "utils/google_utils.py", "")
    write(top / "models.py", "class Darknet: pass\n")  # the archive yolov3 has a models module, not a package
    write(top / "train.py", "from models import *\nfrom utils.google_utils import *\n")
    write(top / "data/coco2014.data", "classes=80\ntrain=../coco/trainvalno5k.txt\nvalid=../coco/5k.txt\n"
                                      "names=data/coco.names\nbackup=backup/\neval=coco\n")
    return top


def coco2014(root: Path, n: int = 3, skip: tuple[str, ...] = ()) -> Path:
    """COCO 2014 in the yolov3 layout; `skip` leaves out splits' images and labels (e.g. ("val2014",))."""
    for split in ("train2014", "val2014"):
        if split in skip:
            continue
        for i in range(n):
            write(root / f"images/{split}/COCO_{split}_{i:012d}.jpg", b"\xff\xd8")
            write(root / f"labels/{split}/COCO_{split}_{i:012d}.txt", "0 0.5 0.5 0.1 0.1\n")
    write(root / "trainvalno5k.txt", "".join(f"../coco/images/train2014/COCO_train2014_{i:012d}.jpg\n" for i in range(n)))
    write(root / "5k.txt", "".join(f"../coco/images/val2014/COCO_val2014_{i:012d}.jpg\n" for i in range(n)))
    write(root / "annotations/instances_val2014.json", "{}")
    return root


def add_proc_card(root: Path, bus: str, name: str, driver: str = "v4.6.9") -> Path:
    """/proc/driver/cambricon/mlus/<bus>/information as the driver writes it."""
    text = (f"Device name: {name}\nDevice inode path: /dev/cambricon_dev0\nDriver Version: {driver}\n"
            f"MCU Version: v1.1.4\nBoard Serial Number: SN/000\nMLU Firmware Version: 1.1.4\n"
            f"Bus Location: {bus}\nBus Type: PCIE\n")
    return write(root / f"proc/driver/cambricon/mlus/{bus}/information", text)


# --- fake torch / torch_mlu packages for the runtime probe (run by a real interpreter) -------------------------

FAKE_TORCH = '''\
import os
__version__ = {version!r}
if os.environ.get("MLU_DOCTOR_TEST_IMPORTED"):
    open(os.environ["MLU_DOCTOR_TEST_IMPORTED"], "a").write("torch imported\\n")
class _Version:
    cuda = None
version = _Version()
class device:
    def __init__(self, spec):
        self.spec = str(spec)
        self.type = self.spec.split(":")[0]
    def __str__(self):
        return self.spec
class Tensor:
    def __init__(self, values, dev="cpu"):
        self.values = list(values)
        self.device = dev if isinstance(dev, device) else device(dev)
    def to(self, dev):
        return Tensor(self.values, dev)
    def __add__(self, other):
        return Tensor([a + b for a, b in zip(self.values, other.values)], self.device)
    def cpu(self):
        return Tensor(self.values, "cpu")
    def tolist(self):
        return list(self.values)
def tensor(values):
    return Tensor(values)
'''

TORCH_MLU_OK = '''\
import sys, types, torch
__version__ = {version!r}
torch.mlu = types.SimpleNamespace(is_available=lambda: {available!r}, device_count=lambda: {count!r},
                                  get_device_name=lambda i: "MLU370-X8")
'''


def runtime_site(base: Path, torch_mlu: str | None = None, torch_version: str = "2.5.0+cpu",
                 mlu_version: str = "1.24.1+torch2.5.0", available: bool = True, count: int = 1) -> Path:
    """A site dir with a fake torch (tensors as lists) and a torch_mlu whose __init__ is `torch_mlu` when given,
    else one that registers torch.mlu with `available` / `count`; run by a real interpreter via PYTHONPATH."""
    write(base / "torch/__init__.py", FAKE_TORCH.format(version=torch_version))
    code = torch_mlu if torch_mlu is not None else TORCH_MLU_OK.format(version=mlu_version, available=available,
                                                                         count=count)
    write(base / "torch_mlu/__init__.py", code)
    return base
