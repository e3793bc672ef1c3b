"""Median wall time of `mlu-doctor check --container` on running containers, next to `docker inspect`.

Starts two throw-away containers (no network): the debootstrap Python image (exec-agent path) and a
busybox image with MLU270-era files and no Python (archive + ls path); removes them at the end.
Usage: python bench/check_container.py [runs]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from tests import dockerkit  # noqa: E402
from tests.test_container_docker import SEED_ENV, SEED_FILES  # noqa: E402

DOCTOR = [sys.executable, "-m", "mlu_doctor"]


def median_seconds(argv: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 9
    client = dockerkit.client_or_skip()
    tag = f"mlu-doctor-test/container-bench-{uuid.uuid4().hex[:6]}"
    seed = dockerkit.busybox_image(client, tag, SEED_FILES, env=SEED_ENV)
    containers = []
    host_only = median_seconds([*DOCTOR, "check", "--format", "json"], runs)
    print(f"baseline: mlu-doctor check (host only) median {host_only * 1000:.0f} ms")
    try:
        for label, image in (("python image (exec agent)", dockerkit.python_rootfs_image(client)),
                             ("busybox seed image (no Python)", seed)):
            ctr = dockerkit.run_container(client, image, name=f"mlu-doctor-test-container-bench-{uuid.uuid4().hex[:6]}",
                                          devices=["/dev/null:/dev/cambricon_dev0:rwm"])
            containers.append(ctr)
            inspect = median_seconds(["docker", "inspect", ctr.name], runs)
            doctor = median_seconds([*DOCTOR, "check", "--container", ctr.name, "--format", "json"], runs)
            print(f"{label}: mlu-doctor check --container median {doctor * 1000:.0f} ms; "
                  f"docker inspect median {inspect * 1000:.0f} ms; ratio {doctor / inspect:.1f}x "
                  f"(target <= 1000 ms: {'met' if doctor <= 1.0 else 'MISSED'}; {runs} runs)")
    finally:
        for ctr in containers:
            ctr.remove(force=True)
        client.images.remove(seed, force=True)


if __name__ == "__main__":
    main()
