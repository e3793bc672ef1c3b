"""The doctor image: built offline from local wheels on a local base, it checks a host root mounted at /host."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import yaml
from prometheus_client.parser import text_string_to_metric_families

from tests.kit.files import REPO
from tests.kit.hosts import healthy_root

pytestmark = [pytest.mark.docker, pytest.mark.slow]

DOCTOR = str(Path(sys.executable).parent / "mlu-doctor")
NODE_CHECKS = ["--only", "device", "--only", "driver", "--only", "toolkit"]


def run_in_image(client, image, command, volumes, **kw):
    """Run to completion with no network; return (exit code, stdout)."""
    container = client.containers.run(image, command, name=f"mlu-doctor-test-ci-{uuid.uuid4().hex[:8]}",
                                      volumes=volumes, network_mode="none", detach=True, **kw)
    try:
        code = container.wait(timeout=120)["StatusCode"]
        return code, container.logs(stdout=True, stderr=False).decode()
    finally:
        container.remove(force=True)


def card_root(path: Path) -> Path:
    return healthy_root(path)


def findings(text: str, root: str) -> list[tuple[str, str, str]]:
    return [(f["id"], f["status"], f["summary"].replace(root, "/host")) for f in json.loads(text)["findings"]]


def test_the_build_leaves_no_untagged_build_stage_behind(docker_client, doctor_image):
    # the legacy builder kept the build stage as an untagged ~200 MB image on every build
    assert docker_client.images.list(filters={"dangling": True, "label": "mlu-doctor.stage=build"}) == []
    assert "mlu-doctor.stage" not in (docker_client.images.get(doctor_image).labels or {})


@pytest.mark.parametrize("kind", ["card", "bare"])
def test_check_inside_the_image_matches_the_check_outside(docker_client, doctor_image, tmp_path, kind):
    root = card_root(tmp_path / "root") if kind == "card" else tmp_path / "root"
    (root / "sys/bus/pci/devices").mkdir(parents=True, exist_ok=True)  # bare: a PCI bus without a card
    args = ["check", "--format", "json", *NODE_CHECKS]
    outside = subprocess.run([DOCTOR, *args, "--root", str(root)], capture_output=True, text=True, timeout=60)
    code, inside = run_in_image(docker_client, doctor_image, [*args, "--root", "/host"],
                                {str(root): {"bind": "/host", "mode": "ro"}})
    assert code == outside.returncode == (0 if kind == "card" else 1)
    assert findings(inside, str(root)) == findings(outside.stdout, str(root))
    assert findings(inside, str(root))  # something was actually compared


def test_the_daemonset_loop_runs_in_the_image(docker_client, doctor_image, tmp_path):
    """The DaemonSet's own command, on a read-only image with /host read-only, writes the textfile."""
    ds = yaml.safe_load((REPO / "deploy/k8s/daemonset.yaml").read_text())
    spec = ds["spec"]["template"]["spec"]["containers"][0]
    textfile = tmp_path / "textfile"
    textfile.mkdir()
    container = docker_client.containers.run(
        doctor_image, spec["args"], entrypoint=spec["command"], name=f"mlu-doctor-test-ci-{uuid.uuid4().hex[:8]}",
        environment={"INTERVAL_SECONDS": "3600", "NO_COLOR": "1"}, network_mode="none", detach=True,
        read_only=True, tmpfs={"/tmp": ""},
        volumes={str(card_root(tmp_path / "root")): {"bind": "/host", "mode": "ro"},
                 str(textfile): {"bind": "/textfile", "mode": "rw"}})
    try:
        prom = textfile / "mlu_doctor.prom"
        deadline = time.time() + 60
        while not prom.exists() and time.time() < deadline:
            time.sleep(0.2)
        assert prom.exists(), container.logs().decode()
        fams = {f.name: f for f in text_string_to_metric_families(prom.read_text())}
        status = {s.labels["check"]: s.value for s in fams["mlu_doctor_check_status"].samples}
        assert status["device.present"] == 0 and fams["mlu_doctor_healthy"].samples[0].value == 1
        assert fams["mlu_doctor_info"].samples[0].labels["device"] == "MLU220-M2"
    finally:
        container.remove(force=True)


def test_the_docker_socket_works_through_a_read_only_host_mount(docker_client, doctor_image):
    """The DaemonSet reaches Docker at /host/var/run/docker.sock, inside a read-only mount."""
    base_url = docker_client.api.base_url
    sock = "/var/run/docker.sock"
    if not base_url.startswith("http+docker://localhost") or not os.path.exists(sock):
        pytest.skip(f"docker is not on {sock} here ({base_url})")
    probe = "import docker; print(docker.from_env().ping())"
    code, out = run_in_image(docker_client, doctor_image, ["-c", probe], {"/var/run": {"bind": "/host/var/run", "mode": "ro"}},
                             entrypoint=["/opt/mlu-doctor/bin/python"],
                             environment={"DOCKER_HOST": "unix:///host/var/run/docker.sock"})
    assert code == 0 and out.strip() == "True"


def test_the_dockerfile_defaults_to_a_public_base_and_installs_offline():
    text = (REPO / "Dockerfile").read_text()
    assert "ARG BASE=python:3.11-slim" in text and "FROM ${BASE}" in text
    assert "--no-index --find-links /wheels" in text
