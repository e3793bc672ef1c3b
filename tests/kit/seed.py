"""The seed scenario: an MLU270-era image (CNML torch 1.3.0a0, Neuware 1.7) on a host with an MLU220-M2 card.

`seed_root(tmp_path)` builds it as a host root; SEED_FILES and SEED_ENV are the same image contents as files of
a test image (tests/kit/docker.py busybox_image) and the environment it runs with.
"""

from __future__ import annotations

from pathlib import Path

from tests.kit import pyenvs
from tests.kit.files import write
from tests.kit.hosts import add_pci_card

SP = "/torch/venv3/pytorch/lib/python3.6/site-packages"
TORCH = "1.3.0a0+b8a5f1d"
SEED_FILES = {
    f"{SP}/torch/__init__.py": "from .version import __version__\n",
    f"{SP}/torch/version.py": f"__version__ = '{TORCH}'\ndebug = False\ncuda = None\ngit_version = 'b8a5f1d'\n",
    f"{SP}/torch-{TORCH}.dist-info/METADATA": f"Metadata-Version: 2.1\nName: torch\nVersion: {TORCH}\n",
    f"{SP}/torch-{TORCH}.dist-info/RECORD": "",
    f"{SP}/torch_mlu/__init__.py": "",
    f"{SP}/torch_mlu/core/__init__.py": "",
    f"{SP}/torch_mlu/core/mlu_model.py": "def set_core_version(v):\n    pass\n",
    "/torch/neuware_home/version.txt": "Neuware Version 1.7.602\n",
    "/torch/neuware_home/lib64/libcnrt.so.4.10.1": "",
    "/torch/neuware_home/lib64/libcnml.so.7.10.2": "",
    "/torch/examples/offline/genoff/genoff.py": "# genoff\n",
}
SEED_ENV = {"NEUWARE_HOME": "/torch/neuware_home", "LD_LIBRARY_PATH": "/torch/neuware_home/lib64",
            "PATH": "/torch/venv3/pytorch/bin:/usr/local/bin:/usr/bin:/bin"}


def seed_root(tmp_path: Path) -> Path:
    """MLU270-era image contents (CNML torch 1.3.0a0) on a host with an MLU220-M2 card."""
    root = tmp_path / "root"
    pyenvs.cnml_env(root)
    add_pci_card(root, "0000:01:00.0", 0x0220, 0x0033)
    pyenvs.add_proc_card(root, "0000:01:00.0", "mlu-220 M2", "v4.6.9")
    write(root / "dev/cambricon_ctl", "")
    write(root / "dev/cambricon_dev0", "")
    return root
