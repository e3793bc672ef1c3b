"""Benchmark: `docker cp` versus `mlu-doctor inject` on a synthetic COCO-like dataset, in one run.

Prints wall time, MB/s, the throughput ratio, the peak RSS of each client process, and the time of an
inject re-run on complete data, with the phases of both inject runs. Targets: >= 0.9x docker cp, peak RSS <= 100 MiB, re-run <= 5% of the first.

    .venv/bin/python bench/inject.py                 # 2 GB / 20,000 files of 20-500 KB
    .venv/bin/python bench/inject.py --size 500M --files 5000
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

try:  # the test venv: the project (typer), the docker SDK and pytest (tests/dockerkit.py builds the image)
    import docker  # noqa: F401
    import pytest  # noqa: F401
    import typer  # noqa: F401
except ImportError as missing:
    sys.stderr.write(f"bench/inject.py needs the project's test venv ({missing.name} is not installed for "
                     f"{sys.executable}): run `bash scripts/test.sh` once, then `.venv/bin/python bench/inject.py`\n")
    sys.exit(2)

from mlu_doctor.cli.inject import parse_size  # noqa: E402
from tests.kit.docker import busybox_image, client_or_skip, run_container  # noqa: E402

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


def timed(argv: list[str], tree: str | None = None) -> tuple[float, float, dict]:
    """Run argv; return (wall seconds, peak RSS of the process in MiB, its JSON result if it printed one).

    The peak is VmHWM from /proc, sampled every 10 ms: getrusage's ru_maxrss of a child started from
    this process includes this process's own RSS (vfork/exec keep the high-water mark), so it is useless here.
    """
    start = time.monotonic()
    env = dict(os.environ, PYTHONPATH=tree) if tree else None  # another checkout: the baseline
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    streams: dict[str, bytes] = {}
    readers = [threading.Thread(target=lambda n=n: streams.__setitem__(n, getattr(proc, n).read()))
               for n in ("stdout", "stderr")]
    for t in readers:
        t.start()
    peak = 0
    while proc.poll() is None:
        peak = max(peak, vm_hwm_kib(proc.pid))
        time.sleep(0.01)
    wall = time.monotonic() - start
    for t in readers:
        t.join()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {streams['stderr'].decode()[-500:]}")
    out = streams["stdout"]
    doc = json.loads(out)["inject"] if out.startswith(b"{") else {}
    return wall, peak / 1024, doc


def vm_hwm_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def median(runs: list[tuple[float, float, dict]]) -> tuple[float, float, dict]:
    """Median wall time, median peak RSS, and the per-phase seconds of the run with the median wall time."""
    walls, rss = sorted(runs, key=lambda r: r[0]), sorted(r[1] for r in runs)
    mid = walls[len(walls) // 2]
    return mid[0], rss[len(rss) // 2], mid[2]


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
    ap.add_argument("--exec", action="store_true", help="also time inject --via exec (tar inside the container)")
    ap.add_argument("--baseline-tree", default=None, help="also time inject (archive) from another checkout")
    args = ap.parse_args()
    print(f"load average at start: {' '.join(f'{x:.1f}' for x in os.getloadavg())}", flush=True)
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
        vias = ["archive", "exec"] if args.exec else ["archive"]
        for rep in range(args.repeat):
            boxes[0].exec_run(["mkdir", "-p", f"/data/r{rep}"])
            cmds: list[tuple[list[str], str | None]] = [(["docker", "cp", src, f"{boxes[0].name}:/data/r{rep}/"], None)]
            for via in vias:
                cmds.append(([sys.executable, "-m", "mlu_doctor", "inject", "--container", boxes[1].name,
                              "--via", via, "--format", "json", src, f"/data/{via}{rep}"], None))
            if args.baseline_tree:
                cmds.append(([sys.executable, "-m", "mlu_doctor", "inject", "--container", boxes[1].name,
                              "--format", "json", src, f"/data/base{rep}"], args.baseline_tree))
            order = list(range(len(cmds)))
            if rep % 2:  # alternate the order: the machine's load drifts
                order.reverse()
            first = {i: timed(*cmds[i]) for i in order}
            runs.append([first[i] for i in range(len(cmds))] + [timed(*cmds[1])])
            for b in boxes:
                b.exec_run(["rm", "-rf", f"/data/r{rep}", f"/data/base{rep}", *(f"/data/{via}{rep}" for via in vias)])
        report(total, args.files, [median([r[i] for r in runs]) for i in range(len(runs[0]))], vias,
               bool(args.baseline_tree))
    finally:
        for b in boxes:
            b.remove(force=True)
        shutil.rmtree(base, ignore_errors=True)


def report(total: int, files: int, results: list, vias: list[str], baseline: bool = False) -> None:
    mb = total / 1e6
    cp, inj, rerun = results[0], results[1], results[-1]
    print(f"dataset: {mb:.0f} MB in {files} files (warm page cache), {os.cpu_count()} CPUs, "
          f"load average at the end {' '.join(f'{x:.1f}' for x in os.getloadavg())}; medians")
    print(f"{'method':<30}{'wall s':>8}{'MB/s':>8}{'ratio':>7}{'peak RSS MiB':>14}")
    rows = [("docker cp", cp)] + [(f"mlu-doctor inject ({r[2].get('via', via)})", r)
                                  for via, r in zip(vias, results[1:1 + len(vias)])]
    if baseline:
        rows.append(("baseline tree inject (archive)", results[1 + len(vias)]))
    for name, r in rows:
        print(f"{name:<30}{r[0]:>8.2f}{mb / r[0]:>8.0f}{cp[0] / r[0]:>7.2f}{r[1]:>14.1f}")
    print(f"{'inject re-run (complete)':<30}{rerun[0]:>8.2f}{'':>8}{'':>7}{rerun[1]:>14.1f}")
    for name, r in (("first run", inj), ("re-run", rerun)):
        print(f"phases of the {name} (s): " + phases(r))
    ratio, rr = cp[0] / inj[0], rerun[0] / inj[0]
    print(f"throughput inject / docker cp: {ratio:.2f}x  (target >= 1.0)  {'PASS' if ratio >= 1.0 else 'MISS'}")
    print(f"peak RSS inject: {inj[1]:.1f} MiB  (target <= 100)  {'PASS' if inj[1] <= 100 else 'MISS'}")
    print(f"re-run / first run: {rr * 100:.1f}%  (target <= 10%)  {'PASS' if rr <= 0.10 else 'MISS'}")


def phases(run: tuple[float, float, dict]) -> str:
    """Start-up (interpreter, CLI, imports, output, exit) is the wall time the inject call itself did not take."""
    wall, _rss, doc = run
    parts = [f"start-up+exit {wall - doc.get('seconds', 0):.3f}"]
    parts += [f"{k} {v:.3f}" for k, v in (doc.get("phases") or {}).items()]
    return ", ".join(parts) + "  (scan runs during survey)"


if __name__ == "__main__":
    main()
