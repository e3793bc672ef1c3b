"""Whole hosts for capture tests and the shipped examples: fixture roots, the doctor and the oldest Python here.

    host, project = build("mlu220-seed", tmp_path)     # HostFixture and the project folder inside its root
    doctor(["check", "--root", host.root], host.env, cwd=project)   # a real `mlu-doctor` process

`examples/make_examples.py` captures these same scenarios into examples/*.tar.gz.
"""

from __future__ import annotations

import glob
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from tests.kit import hosts, pyenvs
from tests.kit.files import write
from tests.kit.hosts import HostFixture


def _seed(base: Path) -> tuple[HostFixture, Path]:
    """The seed's case: an MLU220-M2 host whose Python is an MLU270-era image's (CNML torch 1.3.0a0), yolov5."""
    host = hosts.mlu220_m2_host(base)
    pyenvs.cnml_env(host.root)
    project = pyenvs.yolov5_tree(host.root / "work/yolov5")
    return host, project


def _mlu370(base: Path) -> tuple[HostFixture, Path]:
    """A healthy host: 2 x MLU370-X4, driver 5.10.22, Neuware 3.7.2, torch_mlu 1.17.0, yolov3 with COCO 2014."""
    host = hosts.mlu370_host(base)
    pyenvs.torch_mlu_env(host.root)
    project = pyenvs.yolov3_tree(host.root / "work/yolov3")
    pyenvs.coco2014(host.root / "work/coco")
    write(host.root / "root/.cache/torch/.keep", "")
    host.env["TORCH_HOME"] = "/root/.cache/torch"
    return host, project


def _no_driver(base: Path) -> tuple[HostFixture, Path]:
    """An MLU370 in PCI without its driver: cnmon prints CNDEV_ERROR_NO_DRIVER."""
    host = hosts.no_driver_host(base)
    project = host.root / "work"
    project.mkdir(parents=True, exist_ok=True)
    return host, project


SCENARIOS: dict[str, Callable[[Path], tuple[HostFixture, Path]]] = {
    "mlu220-seed": _seed, "mlu370-healthy": _mlu370, "no-driver": _no_driver}


def build(name: str, base: Path) -> tuple[HostFixture, Path]:
    """Scenario `name` under `base` (root, bin); its environment is only what a shell there would have."""
    host, project = SCENARIOS[name](base)
    host.env.update(HOME="/root", LANG="C.UTF-8")
    return host, project


def doctor(args: list[object], env: dict[str, str], cwd: Path | str, timeout: float = 120) -> subprocess.CompletedProcess:
    """`mlu-doctor ARGS` in a fresh process with exactly `env` (plus no colour)."""
    return subprocess.run([sys.executable, "-m", "mlu_doctor", *map(str, args)], env={**env, "NO_COLOR": "1"},
                          cwd=str(cwd), capture_output=True, text=True, timeout=timeout)


FREE = re.compile(r"\d+(?:\.\d+)? [KMGT]iB free")  # free space moves between two runs on a shared disk


def findings(result: subprocess.CompletedProcess) -> list[tuple[str, str, str, str]]:
    """(id, status, scope, summary) of a `--format json` run; free space in summaries reads `? free`."""
    data = json.loads(result.stdout)
    return [(f["id"], f["status"], f.get("scope", "host"), FREE.sub("? free", f["summary"])) for f in data["findings"]]


def oldest_python() -> str:
    """The oldest Python 3 interpreter on this machine (pyenv's 3.6 here), else this one."""
    def version(path: str) -> tuple[int, ...]:
        digits = path.split("/versions/")[-1].split("/")[0].split(".")
        return tuple(int(d) for d in digits if d.isdigit())

    candidates = sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.*/bin/python3")), key=version)
    candidates += [shutil.which(f"python3.{minor}") for minor in range(6, 10)]
    for path in candidates:
        if path and _works(path):
            return path
    return sys.executable


def _works(python: str) -> bool:
    try:
        out = subprocess.run([python, "-c", "import sys; print(sys.version_info[:2] < (3, 10))"],
                             capture_output=True, text=True, timeout=20, env={"PATH": "/usr/bin:/bin"})
    except (OSError, subprocess.TimeoutExpired):
        return False
    return out.returncode == 0 and out.stdout.strip() == "True"
