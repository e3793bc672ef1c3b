"""Write examples/*.tar.gz: `mlu-doctor capture` of the test fixture hosts (tests/kit/capture.py).

Run from the repo root: `.venv/bin/python examples/make_examples.py`. Each scenario is built under
/tmp/mlu-doctor-demo/<name> (a fixed place, so the captures name readable paths), captured with the
environment a shell there would have, and replayed by the README's examples:

    mlu-doctor check --capture examples/mlu220-seed.tar.gz

mlu220-seed-container.tar.gz also needs a Docker daemon: the seed host plus a container `yolo-train` of
a small image holding the MLU270-era contents (tests/kit/seed.py SEED_FILES), started the way
the seed's users started it (no --device, no cnmon, Docker's 64 MiB /dev/shm). It is skipped without one.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.kit.capture import SCENARIOS, build, doctor  # noqa: E402

DEMO = Path("/tmp/mlu-doctor-demo")
IMAGE = "mlu-doctor-demo/pytorch-cnml:0.15.602"
CONTAINER = "yolo-train"


def capture(name: str, *extra: str) -> None:
    base = DEMO / name
    shutil.rmtree(base, ignore_errors=True)
    base.mkdir(parents=True)
    host, project = build(name.replace("-container", ""), base)
    made = doctor(["capture", "-o", REPO / "examples" / f"{name}.tar.gz", "--root", host.root, *extra],
                  host.env, project)
    sys.stdout.write(made.stdout)
    if made.returncode != 0:
        sys.exit(made.stderr)


def with_container() -> None:
    from tests.kit import docker as dockerkit
    from tests.kit.seed import SEED_ENV, SEED_FILES

    try:
        client = dockerkit.client_or_skip()
    except BaseException as exc:  # no daemon: pytest's skip is an exception too
        sys.stdout.write(f"skipped mlu220-seed-container: no Docker daemon ({exc})\n")
        return
    dockerkit.busybox_image(client, IMAGE, SEED_FILES, env=SEED_ENV)
    for old in client.containers.list(all=True, filters={"name": f"^/{CONTAINER}$"}):
        old.remove(force=True)
    container = dockerkit.run_container(client, IMAGE, name=CONTAINER)
    try:
        capture("mlu220-seed-container", "--container", CONTAINER)
    finally:
        container.remove(force=True)
        client.images.remove(IMAGE, force=True)


def main() -> None:
    for name in SCENARIOS:
        capture(name)
    with_container()


if __name__ == "__main__":
    main()
