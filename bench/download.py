"""Download throughput and memory: fetch-coco (1, 4, 8 connections) vs curl, on a capped and an uncapped mirror.

Starts its own nginx on 127.0.0.1 (a location with `limit_rate 1m` per connection and an unlimited one),
serves generated zip files from a temp dir, runs every client as a child process, and prints seconds,
throughput, ratio to curl (single stream) and the child's peak RSS (from wait4).
Usage: .venv/bin/python bench/download.py [--capped-mib 24] [--uncapped-mib 256]
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

from tests.cocokit import Nginx  # noqa: E402


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


def fetch_coco(manifest: Path, base: str, dest: Path, connections: int) -> tuple[float, float, int]:
    """(wall seconds, seconds the JSON reports for the transfer + verification, peak RSS KiB)."""
    argv = [sys.executable, "-m", "mlu_doctor", "fetch-coco", "--year", "2017", "--dest", str(dest),
            "--manifest", str(manifest), "--parts", "val", "--mirror", base, "--connections", str(connections),
            "--format", "json"]
    wall, rss, out = run_child(argv)
    return wall, json.loads(out)["files"][0]["seconds"], rss


def curl(url: str, dest: Path) -> tuple[float, int]:
    wall, rss, _out = run_child(["curl", "-sS", "--fail", "-o", str(dest), url])
    return wall, rss


def bench(nginx: Nginx, work: Path, label: str, location: str, entry: dict) -> list[str]:
    manifest = work / f"manifest-{label}.yaml"
    manifest.write_text(json.dumps({"official": "", "years": {"2017": {"archives": [entry]}}}))
    base = nginx.url + location
    size = entry["size"]
    c_wall, c_rss = curl(base + entry["path"], work / f"curl-{label}.bin")
    rows = [f"{label}: {size / 2**20:.0f} MiB file via {base}",
            f"  {'client':22} {'wall s':>8} {'MiB/s':>8} {'vs curl':>8} {'fetch s':>8} {'vs curl':>8} {'peak RSS':>9}",
            f"  {'curl (1 stream)':22} {c_wall:8.2f} {size / 2**20 / c_wall:8.1f} {1.0:8.2f} {'':8} {'':8} "
            f"{c_rss / 1024:6.1f} MiB"]
    for n in (1, 4, 8):
        dest = work / f"dest-{label}-{n}"
        wall, transfer, rss = fetch_coco(manifest, base, dest, n)
        rows.append(f"  {f'fetch-coco {n} conn':22} {wall:8.2f} {size / 2**20 / wall:8.1f} {c_wall / wall:8.2f} "
                    f"{transfer:8.2f} {c_wall / transfer:8.2f} {rss / 1024:6.1f} MiB")
        subprocess.run(["rm", "-rf", str(dest)], check=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--capped-mib", type=int, default=32)
    parser.add_argument("--uncapped-mib", type=int, default=256)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mlu-doctor-bench-") as tmp:
        work = Path(tmp)
        www = work / "www"
        small = make_zip(www / "zips" / "capped.zip", args.capped_mib)
        big = make_zip(www / "zips" / "uncapped.zip", args.uncapped_mib)
        nginx = Nginx(work / "nginx", www)
        try:
            print("wall s: the whole child process (fetch-coco: start-up, probe, transfer, SHA-256, extraction);"
                  " fetch s: probe + transfer + SHA-256 as fetch-coco reports it; curl: transfer only, no check."
                  " peak RSS of curl includes the forked Python parent (ru_maxrss before exec).")
            for line in bench(nginx, work, "capped (limit_rate 1m per connection)", "capped/", small):
                print(line, flush=True)
            for line in bench(nginx, work, "uncapped", "", big):
                print(line, flush=True)
        finally:
            nginx.stop()


if __name__ == "__main__":
    main()
