"""The DaemonSet's own command in the doctor image: read-only image, host root read-only at /host, and the
host's cnmon run through chroot, so fleet mode sees CNDEV_ERROR_NO_DRIVER on a node whose driver does not answer.

Kubernetes runs the container privileged (cnmon must open the host's /dev/cambricon_ctl); this sandbox's Docker
cannot start privileged containers, so here it gets the one capability the chroot needs (SYS_CHROOT); the fake
cnmon opens no device."""

from __future__ import annotations

import shutil
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
import yaml
from prometheus_client.parser import text_string_to_metric_families

from tests.kit.docker import BUSYBOX
from tests.kit.files import DATA, write
from tests.kit.fleet import DEPLOY
from tests.kit.hosts import healthy_root

pytestmark = [pytest.mark.docker, pytest.mark.slow]


def container_spec() -> dict[str, Any]:
    return yaml.safe_load((DEPLOY / "k8s/daemonset.yaml").read_text())["spec"]["template"]["spec"]["containers"][0]


def wedged_host(root: Path) -> Path:
    """/proc, sysfs and /dev say the MLU220's driver is up, but the host's own cnmon (a static busybox shell
    script, run inside the host root) says CNDEV_ERROR_NO_DRIVER: the driver does not answer."""
    healthy_root(root)
    (root / "bin").mkdir(exist_ok=True)
    shutil.copy2(BUSYBOX, root / "bin/busybox")
    (root / "bin/sh").symlink_to("busybox")
    write(root / "usr/share/cnmon.txt", (DATA / "cnmon_no_driver.txt").read_text())
    cnmon = write(root / "usr/bin/cnmon", "#!/bin/sh\n/bin/busybox cat /usr/share/cnmon.txt\n")
    cnmon.chmod(0o755)
    return root


def run_loop(docker_client, image: str, root: Path, textfile: Path, env: dict[str, str]) -> dict[str, Any]:
    """Start the DaemonSet's command; return the metric families of the first textfile it writes."""
    spec = container_spec()
    environment = {e["name"]: e["value"] for e in spec["env"]}
    environment.update(INTERVAL_SECONDS="3600", **env)
    container = docker_client.containers.run(
        image, spec["args"], entrypoint=spec["command"], name=f"mlu-doctor-test-ds-{uuid.uuid4().hex[:8]}",
        environment=environment, network_mode="none", detach=True, read_only=True,
        tmpfs={"/tmp": "rw,exec"},  # an emptyDir: writable, and the cnmon wrapper in it may run
        cap_drop=["ALL"], cap_add=["SYS_CHROOT"],
        volumes={str(root): {"bind": "/host", "mode": "ro"}, str(textfile): {"bind": "/textfile", "mode": "rw"}})
    try:
        prom = textfile / "mlu_doctor.prom"
        deadline = time.time() + 90
        while not prom.exists() and time.time() < deadline:
            time.sleep(0.2)
        assert prom.exists(), container.logs().decode()
        return {f.name: f for f in text_string_to_metric_families(prom.read_text())}
    finally:
        container.remove(force=True)


def health(fams: dict[str, Any]) -> dict[str, str]:
    return {s.labels["check"]: s.labels["state"] for s in fams["mlu_doctor_check_health"].samples if s.value == 1}


def test_the_hosts_cnmon_shows_a_driver_that_does_not_answer(docker_client, doctor_image, tmp_path):
    textfile = tmp_path / "textfile"
    textfile.mkdir()
    fams = run_loop(docker_client, doctor_image, wedged_host(tmp_path / "root"), textfile, {})
    assert health(fams)["driver.loaded"] == "problem"
    status = {s.labels["check"]: s.value for s in fams["mlu_doctor_check_status"].samples}
    assert status["driver.loaded"] == 3 and status["device.present"] == 0
    assert [s.labels["state"] for s in fams["mlu_doctor_health"].samples if s.value == 1] == ["problem"]


def test_without_the_hosts_cnmon_the_same_node_looks_healthy(docker_client, doctor_image, tmp_path):
    """What HOST_CNMON="" (an unprivileged DaemonSet) gives up: the wedged driver goes unseen."""
    textfile = tmp_path / "textfile"
    textfile.mkdir()
    fams = run_loop(docker_client, doctor_image, wedged_host(tmp_path / "root"), textfile, {"HOST_CNMON": ""})
    assert health(fams)["driver.loaded"] == "healthy"
