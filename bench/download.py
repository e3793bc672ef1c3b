"""Download throughput and memory: fetch-coco (1, 4, 8 connections) vs curl, on a capped and an uncapped mirror.

Starts its own nginx on 127.0.0.1 (a location with `limit_rate 1m` per connection and an unlimited one),
serves generated zip files from a temp dir, runs every client as a child process, and prints seconds,
throughput, ratio to curl (single stream), where fetch-coco's seconds went (probe, transfer, the SHA-256
tail left after the background hasher, rename, then extraction) and the child's peak RSS (from wait4).
Runs are repeated (--repeat, uncapped only) and the median run is shown: the machine may be shared.
Rows: curl (one stream, no checks), fetch-coco at the default (auto: it starts with one connection and adds
one a second while the throughput grows; the row shows how many it settled on) and at 1, 4, 8 connections.
Usage: .venv/bin/python bench/download.py [--capped-mib 32] [--uncapped-mib 256] [--repeat 3]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.kit.coco import Nginx  # noqa: E402


def make_zip(path: Path, mib: int) -> dict:
    """A stored zip holding one incompressible member, with its manifest entry."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as zf, \
            zf.open("val2017/blob.jpg", "w", force_zip64=True) as out:
        for _ in range(mib):
            out.write(os.urandom(1 << 20))
    sha = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 22), b""):
            sha.update(block)
    return {"name": path.name, "path": f"zips/{path.name}", "part": "val", "split": "val2017",
            "extract_to": "images", "size": path.stat().st_size, "images": 1, "sha256": sha.hexdigest()}


def run_child(argv: list[str]) -> tuple[float, int, str]:
    """(seconds, peak RSS in KiB, stdout) of one child process."""
    started = time.monotonic()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "NO_COLOR": "1"})
    out = proc.stdout.read().decode()
    err = proc.stderr.read().decode()
    _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.monotonic() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{argv[:4]} failed: {err.strip()[-400:]}")
    return seconds, usage.ru_maxrss, out


def fetch_coco(manifest: Path, base: str, dest: Path, connections: int) -> tuple[float, dict, int]:
    """(wall seconds, the JSON's figures: fetch seconds, timing breakdown, extraction seconds; peak RSS KiB)."""
    argv = [sys.executable, "-m", "mlu_doctor", "fetch-coco", "--year", "2017", "--dest", str(dest),
            "--manifest", str(manifest), "--parts", "val", "--mirror", base, "--connections", str(connections),
            "--format", "json"]
    wall, rss, out = run_child(argv)
    data = json.loads(out)
    subprocess.run(["rm", "-rf", str(dest)], check=True)
    figures = {"fetch": data["files"][0]["seconds"], **data["files"][0]["timing"],
               "extract": sum(e["seconds"] for e in data["extracted"]), "conns": data["files"][0]["connections"]}
    return wall, figures, rss


def curl(url: str, dest: Path) -> tuple[float, int]:
    wall, rss, _out = run_child(["curl", "-sS", "--fail", "-o", str(dest), url])
    dest.unlink()
    return wall, rss


HEADER = (f"  {'client':17} {'wall s':>6} {'vs curl':>7} {'fetch s':>7} {'vs curl':>7} {'probe':>6} {'xfer':>6} "
          f"{'verify':>6} {'rename':>6} {'extract':>7} {'RSS MiB':>7}")


def bench(nginx: Nginx, work: Path, label: str, location: str, entry: dict, repeat: int) -> list[str]:
    manifest = work / f"manifest-{label[:6]}.yaml"
    manifest.write_text(json.dumps({"official": "", "years": {"2017": {"archives": [entry]}}}))
    base = nginx.url + location
    size = entry["size"]
    rows = [f"{label}: {size / 2**20:.0f} MiB file via {base}, median of {repeat} run(s)", HEADER]
    results: dict[object, list] = {"curl": [], 0: [], 1: [], 4: [], 8: []}
    for _ in range(repeat):  # interleaved, so a busy moment on a shared machine hits every client alike
        results["curl"].append(curl(base + entry["path"], work / "curl.bin"))
        for n in (0, 1, 4, 8):
            results[n].append(fetch_coco(manifest, base, work / f"dest-{n}", n))
    c_wall, c_rss = sorted(results["curl"])[len(results["curl"]) // 2]
    rows.append(f"  {'curl (1 stream)':17} {c_wall:6.2f} {1.0:7.2f} {'':7} {'':7} {'':6} {'':6} {'':6} {'':6} "
                f"{'':7} {c_rss / 1024:7.1f}")
    for n in (0, 1, 4, 8):
        wall, f, rss = sorted(results[n], key=lambda r: r[1]["fetch"])[len(results[n]) // 2]
        name = f"fetch-coco auto:{f['conns']}" if n == 0 else f"fetch-coco {n} conn"
        rows.append(f"  {name:17} {wall:6.2f} {c_wall / wall:7.2f} {f['fetch']:7.2f} "
                    f"{c_wall / f['fetch']:7.2f} {f['probe']:6.2f} {f['transfer']:6.2f} {f['verify']:6.2f} "
                    f"{f['rename']:6.2f} {f['extract']:7.2f} {rss / 1024:7.1f}")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--capped-mib", type=int, default=32)
    parser.add_argument("--uncapped-mib", type=int, default=256)
    parser.add_argument("--repeat", type=int, default=3, help="runs per client on the uncapped mirror")
    parser.add_argument("--skip-capped", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mlu-doctor-bench-") as tmp:
        work = Path(tmp)
        www = work / "www"
        small = make_zip(www / "zips" / "capped.zip", args.capped_mib)
        big = make_zip(www / "zips" / "uncapped.zip", args.uncapped_mib)
        nginx = Nginx(work / "nginx", www)
        try:
            print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
            print("wall s: the whole child process (fetch-coco: interpreter start-up, probe, transfer, SHA-256,"
                  " extraction); fetch s: probe + xfer + verify + rename as fetch-coco reports them (verify: the"
                  " SHA-256 tail the background hasher had not reached); curl: transfer only, no check. Peak RSS"
                  " of curl includes the forked Python parent (ru_maxrss before exec).")
            if not args.skip_capped:
                for line in bench(nginx, work, "capped (limit_rate 1m per connection)", "capped/", small, 1):
                    print(line, flush=True)
            for line in bench(nginx, work, "uncapped", "", big, args.repeat):
                print(line, flush=True)
            print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        finally:
            nginx.stop()


if __name__ == "__main__":
    main()
