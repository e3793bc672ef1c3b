"""Startup benchmark: median wall time of a cold `mlu-doctor check --root <fixture>` next to `python -c pass`.

Run from the repo root: `.venv/bin/python bench/check_startup.py [--runs N]`. Prints both medians (same run,
interleaved), the ratio and whether the check meets the 120 ms target.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests import pyenvs  # noqa: E402
from tests.conftest import add_pci_card  # noqa: E402

TARGET_MS = 120.0


def fixture(base: Path) -> Path:
    """The seed's root: CNML torch 1.3.0a0 image contents on an MLU220-M2 host, plus a yolov5 tree."""
    root = base / "root"
    pyenvs.cnml_env(root)
    add_pci_card(root, "0000:01:00.0", 0x0220, 0x0033)
    pyenvs.add_proc_card(root, "0000:01:00.0", "mlu-220 M2", "v4.6.9")
    pyenvs.yolov5_tree(root / "work/yolov5")
    (root / "dev").mkdir(exist_ok=True)
    return root


def doctor_argv() -> list[str]:
    script = Path(sys.executable).parent / "mlu-doctor"
    return [str(script)] if script.exists() else [sys.executable, "-m", "mlu_doctor"]


def timed(argv: list[str], cwd: Path) -> float:
    env = dict(os.environ, NO_COLOR="1")
    start = time.perf_counter()
    subprocess.run(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return (time.perf_counter() - start) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="mlu-doctor-bench-"))
    try:
        root = fixture(base)
        check = [*doctor_argv(), "check", "--root", str(root), "--project", str(root / "work/yolov5")]
        baseline = [sys.executable, "-c", "pass"]
        timed(check, base), timed(baseline, base)  # warm the page cache once; each run is still a new process
        ours, ref = [], []
        for _ in range(args.runs):
            ref.append(timed(baseline, base))
            ours.append(timed(check, base))
        med, ref_med = statistics.median(ours), statistics.median(ref)
        print(f"command:              {' '.join(check[:2])} ... (root {root})")
        print(f"runs:                 {args.runs}")
        print(f"python -c pass:       median {ref_med:7.1f} ms  (min {min(ref):.1f})")
        print(f"mlu-doctor check:     median {med:7.1f} ms  (min {min(ours):.1f})")
        print(f"ratio:                {med / ref_med:.1f}x python startup")
        verdict = "meets" if med <= TARGET_MS else "misses"
        print(f"target:               {verdict} the {TARGET_MS:.0f} ms target ({med - TARGET_MS:+.1f} ms)")
        return 0
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
