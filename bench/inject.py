"""Benchmark: `docker cp` versus `mlu-doctor inject` on a synthetic COCO-like dataset, in one run.

Prints wall time, MB/s, the throughput ratio, the peak RSS of each client process, and the time of an
inject re-run on complete data. Targets: >= 0.9x docker cp, peak RSS <= 100 MiB, re-run <= 5% of the first.

    .venv/bin/python bench/inject.py                 # 2 GB / 20,000 files of 20-500 KB
    .venv/bin/python bench/inject.py --size 500M --files 5000
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from mlu_doctor.cli.inject import parse_size  # noqa: E402
from tests.dockerkit import busybox_image, client_or_skip, run_container  # noqa: E402

IMAGE = "mlu-doctor-test/fix-busybox"


def make_dataset(root: str, total: int, files: int, seed: int = 1) -> int:
    """`files` files of 20-500 KB (scaled to about `total` bytes) in 100-file folders; returns bytes written."""
    rng = random.Random(seed)
    sizes = [rng.randint(20_000, 500_000) for _ in range(files)]
    scale = total / sum(sizes)
    block = os.urandom(1 << 20)
    written = 0
    for i, size in enumerate(sizes):
        size = max(1, int(size * scale))
        folder = os.path.join(root, f"part{i // 100:04d}")
        os.makedirs(folder, exist_ok=True)
        off = rng.randrange(0, len(block) - 1)
        data = (block[off:] + block)[:size]
        with open(os.path.join(folder, f"{i:06d}.jpg"), "wb") as fh:
            fh.write(i.to_bytes(8, "little") + data[8:])
        written += size
    return written


def timed(argv: list[str]) -> tuple[float, float]:
    """Run argv; return (wall seconds, peak RSS of the process in MiB)."""
    start = time.monotonic()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {proc.stderr.read().decode()[-500:]}")
    return wall, usage.ru_maxrss / 1024


def median(pairs: list[tuple[float, float]]) -> tuple[float, float]:
    """Median wall time and median peak RSS over runs."""
    walls, rss = sorted(p[0] for p in pairs), sorted(p[1] for p in pairs)
    return walls[len(walls) // 2], rss[len(rss) // 2]


def warm(root: str) -> None:
    for folder, _dirs, files in os.walk(root):
        for name in files:
            with open(os.path.join(folder, name), "rb") as fh:
                while fh.read(1 << 20):
                    pass


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", default="2G", help="total dataset size (e.g. 2G, 500M)")
    ap.add_argument("--files", type=int, default=20_000)
    ap.add_argument("--repeat", type=int, default=3, help="runs of each method (medians are reported)")
    ap.add_argument("--dir", default=None, help="where to create the dataset (default: a temp dir)")
    args = ap.parse_args()
    client = client_or_skip()
    busybox_image(client, IMAGE)
    base = tempfile.mkdtemp(prefix="mlu-doctor-bench-", dir=args.dir)
    boxes = []
    try:
        src = os.path.join(base, "coco")
        total = make_dataset(src, parse_size(args.size), args.files)
        warm(src)
        for _ in range(2):
            boxes.append(run_container(client, IMAGE, name=f"mlu-doctor-test-fix-bench-{uuid.uuid4().hex[:6]}"))
        runs = []
        for rep in range(args.repeat):
            boxes[0].exec_run(["mkdir", "-p", f"/data/r{rep}"])
            cp_cmd = ["docker", "cp", src, f"{boxes[0].name}:/data/r{rep}/"]
            inj_cmd = [sys.executable, "-m", "mlu_doctor", "inject", "--container", boxes[1].name, src, f"/data/r{rep}"]
            if rep % 2:  # alternate the order: the machine's load drifts
                inj, cp = timed(inj_cmd), timed(cp_cmd)
            else:
                cp, inj = timed(cp_cmd), timed(inj_cmd)
            runs.append((cp, inj, timed(inj_cmd)))
            for b in boxes:
                b.exec_run(["rm", "-rf", f"/data/r{rep}"])
        report(total, args.files, *(median([r[i] for r in runs]) for i in range(3)))
    finally:
        for b in boxes:
            b.remove(force=True)
        shutil.rmtree(base, ignore_errors=True)


def report(total: int, files: int, cp, inj, rerun) -> None:
    mb = total / 1e6
    print(f"dataset: {mb:.0f} MB in {files} files (warm page cache), {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f}; medians")
    print(f"{'method':<28}{'wall s':>8}{'MB/s':>8}{'peak RSS MiB':>14}")
    print(f"{'docker cp':<28}{cp[0]:>8.2f}{mb / cp[0]:>8.0f}{cp[1]:>14.1f}")
    print(f"{'mlu-doctor inject':<28}{inj[0]:>8.2f}{mb / inj[0]:>8.0f}{inj[1]:>14.1f}")
    print(f"{'inject re-run (complete)':<28}{rerun[0]:>8.2f}{'':>8}{rerun[1]:>14.1f}")
    ratio, rr = cp[0] / inj[0], rerun[0] / inj[0]
    print(f"throughput inject / docker cp: {ratio:.2f}x  (target >= 0.9)  {'PASS' if ratio >= 0.9 else 'MISS'}")
    print(f"peak RSS inject: {inj[1]:.1f} MiB  (target <= 100)  {'PASS' if inj[1] <= 100 else 'MISS'}")
    print(f"re-run / first run: {rr * 100:.1f}%  (target <= 5%)  {'PASS' if rr <= 0.05 else 'MISS'}")


if __name__ == "__main__":
    main()
