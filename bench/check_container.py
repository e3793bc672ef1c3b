"""Median wall time of `mlu-doctor check --container` on running containers, next to `docker inspect`.

Starts two throw-away containers (no network): the debootstrap Python image (exec-agent path) and a
busybox image with MLU270-era files and no Python (archive + ls path); removes them at the end. The doctor
talks to Docker through the docker SDK (system/docker.py): its import and the API version negotiation are
part of every run. Baselines from the same run: `check` of the host alone, `docker inspect`, and with
`--baseline-tree DIR` the same command from another checkout (e.g. one with the hand-written Engine client),
interleaved run by run.
Usage: python bench/check_container.py [runs] [--baseline-tree DIR]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from tests.kit import docker as dockerkit  # noqa: E402
from tests.kit.seed import SEED_ENV, SEED_FILES  # noqa: E402

DOCTOR = [sys.executable, "-m", "mlu_doctor"]


def seconds(argv: list[str], tree: str | None = None) -> float:
    env = dict(os.environ, PYTHONPATH=tree) if tree else None
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=env)
    return time.perf_counter() - start


def interleaved(commands: list[tuple[list[str], str | None]], runs: int) -> list[float]:
    """Median seconds of each (argv, PYTHONPATH) command, the commands taking turns run by run."""
    times: list[list[float]] = [[] for _ in commands]
    for _ in range(runs):
        for i, (argv, tree) in enumerate(commands):
            times[i].append(seconds(argv, tree))
    return [statistics.median(t) for t in times]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("runs", nargs="?", type=int, default=9)
    ap.add_argument("--baseline-tree", default=None, help="another checkout to time the same commands from")
    args = ap.parse_args()
    client = dockerkit.client_or_skip()
    tag = f"mlu-doctor-test/container-bench-{uuid.uuid4().hex[:6]}"
    seed = dockerkit.busybox_image(client, tag, SEED_FILES, env=SEED_ENV)
    containers = []
    print(f"load average at start: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    try:
        for label, image in (("python image (exec agent)", dockerkit.python_rootfs_image(client)),
                             ("busybox seed image (no Python)", seed)):
            ctr = dockerkit.run_container(client, image, name=f"mlu-doctor-test-container-bench-{uuid.uuid4().hex[:6]}",
                                          devices=["/dev/null:/dev/cambricon_dev0:rwm"])
            containers.append(ctr)
            check = [*DOCTOR, "check", "--container", ctr.name, "--format", "json"]
            commands = [(check, None), ([*DOCTOR, "check", "--format", "json"], None), (["docker", "inspect", ctr.name], None)]
            if args.baseline_tree:
                commands.append((check, args.baseline_tree))
            medians = interleaved(commands, args.runs)
            doctor, host, inspect = medians[:3]
            line = (f"{label}: check --container median {doctor * 1000:.0f} ms (target <= 1000 ms: "
                    f"{'met' if doctor <= 1.0 else 'MISSED'}); host-only check {host * 1000:.0f} ms "
                    f"(+{(doctor - host) * 1000:.0f} ms for the container); docker inspect {inspect * 1000:.0f} ms")
            if args.baseline_tree:
                line += f"; baseline tree {medians[3] * 1000:.0f} ms (ratio {doctor / medians[3]:.2f}x)"
            print(line + f"; {args.runs} runs")
    finally:
        for ctr in containers:
            ctr.remove(force=True)
        client.images.remove(seed, force=True)
    print(f"load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
