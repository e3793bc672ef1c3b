"""`check --container NAME --runtime`: the runtime probe runs inside the container through exec (the container
System's `run`), with the container's environment; fake torch / torch_mlu on a bind mount, the image's python3."""

from __future__ import annotations

import json

import pytest

from tests.kit import pyenvs

pytestmark = pytest.mark.docker

DEVICES = ["/dev/null:/dev/cambricon_ctl:rwm", "/dev/null:/dev/cambricon_dev0:rwm"]


@pytest.fixture(scope="module")
def python_image(docker_client):
    from tests.kit import docker as dockerkit

    return dockerkit.python_rootfs_image(docker_client)


def runtime_findings(cli, root, name, code):
    result = cli(["check", "--root", root, "--container", name, "--runtime", "--only", "runtime.", "--format", "json"])
    assert result.exit_code == code, (result.stdout, result.stderr)
    data = json.loads(result.stdout)
    return {f["id"]: f for f in data["findings"]}, data


def test_runtime_probe_runs_in_the_container(cli, start, python_image, mlu220_root, tmp_path):
    site = pyenvs.runtime_site(tmp_path / "site")
    ctr = start(python_image, devices=DEVICES, environment={"PYTHONPATH": "/site"},
                volumes={str(site): {"bind": "/site", "mode": "ro"}})
    found, data = runtime_findings(cli, mlu220_root, ctr.name, code=0)
    assert found["runtime.import"]["status"] == "ok", found["runtime.import"]
    assert found["runtime.import"]["scope"] == f"container:{ctr.name}"
    assert found["runtime.device-op"]["status"] == "ok"
    assert data["facts"]["container"]["runtime"]["python"].startswith("/usr/bin/python3")
    assert data["facts"]["runtime"] is None  # nothing ran on the host


def test_import_error_in_the_container(cli, start, python_image, mlu220_root, tmp_path):
    site = pyenvs.runtime_site(tmp_path / "site", torch_mlu="raise ImportError('libcnnl.so.1: cannot open shared "
                                                            "object file: No such file or directory')\n")
    ctr = start(python_image, devices=DEVICES, environment={"PYTHONPATH": "/site"},
                volumes={str(site): {"bind": "/site", "mode": "ro"}})
    found, _ = runtime_findings(cli, mlu220_root, ctr.name, code=1)
    assert found["runtime.import"]["status"] == "fail"
    assert found["runtime.import"]["summary"].startswith("libcnnl.so.1 cannot be loaded")  # explain's finding
    assert "libcnnl.so.1: cannot open shared object file" in found["runtime.import"]["details"]
