#!/usr/bin/env python3
"""Throughput and peak memory of `mlu-doctor explain` on a large generated log streamed through stdin.

    python bench/explain.py [MB]      # default 1024

Prints MB/s and the peak RSS of the explain process, next to the same figures for `wc -l` (a
baseline that only counts lines) and for a tiny log (the interpreter's fixed cost).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

GENERATOR = r"""
import sys
total = int(sys.argv[1])
block = b"".join(b"2024-01-01 12:00:%02d [INFO] epoch 3 step %06d loss 0.1234 lr 0.001 images/s 812.5\n" % (i % 60, i)
                 for i in range(12000))
out, written = sys.stdout.buffer, 0
while written < total:
    out.write(block); out.write(b"[WARNING] Op running on CPU!\n"); written += len(block) + 29
out.write(b"y" * (64 << 20) + b" CNDEV_ERROR_NO_DRIVER\n")
out.write(b"The device you run is MLU290, but the platform in kernel is MLU270!\n")
"""


def run(consumer: list[str], size: int) -> tuple[float, float, bytes]:
    """Pipe the generated log into `consumer`; return (seconds, peak RSS MiB, stdout)."""
    start = time.perf_counter()
    gen = subprocess.Popen([sys.executable, "-c", GENERATOR, str(size)], stdout=subprocess.PIPE)
    proc = subprocess.Popen(consumer, stdin=gen.stdout, stdout=subprocess.PIPE)
    gen.stdout.close()
    out = proc.stdout.read()
    _, _, usage = os.wait4(proc.pid, 0)
    gen.wait()
    return time.perf_counter() - start, usage.ru_maxrss / 1024, out


def main() -> None:
    mb = int(sys.argv[1]) if len(sys.argv) > 1 else 1024
    size = mb << 20
    explain = [sys.executable, "-m", "mlu_doctor", "explain", "-f", "json", "-"]
    t_wc, rss_wc, _ = run(["wc", "-l"], size)
    t_small, rss_small, _ = run(explain, 1 << 20)
    t, rss, out = run(explain, size)
    data = json.loads(out)
    total = data["summary"]["bytes_read"] / 1e6
    print(f"log: {total:.0f} MB, {data['summary']['lines_read']:,} lines, ids: {[f['id'] for f in data['findings']]}")
    print(f"explain: {t:.1f} s, {total / t:.0f} MB/s, peak RSS {rss:.0f} MiB")
    print(f"explain on 1 MB + one 64 MiB line: {t_small:.2f} s, peak RSS {rss_small:.0f} MiB (fixed cost)")
    print(f"wc -l baseline: {t_wc:.1f} s, {total / t_wc:.0f} MB/s (generator included); explain/wc time ratio {t / t_wc:.1f}x")
    print(f"memory growth over that small run: {rss - rss_small:+.0f} MiB for {total / 1:.0f}x more input")


if __name__ == "__main__":
    main()
