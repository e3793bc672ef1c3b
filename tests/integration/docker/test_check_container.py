"""`check --container` / `facts --container` against a real dockerd and locally built images.

Images are built once per session; containers are named mlu-doctor-test-container-* and removed.
Tests marked AFTER-MERGE read toolkit/framework facts from the probes of the host issue (hostA/hostB):
they pass once those probes are merged (the container side runs them unchanged).
"""

from __future__ import annotations

import json
import uuid

import pytest

from mlu_doctor.system.container import ContainerSystem
from tests.kit import docker as dockerkit
from tests.kit.files import write
from tests.kit.seed import SEED_ENV, SEED_FILES, SP, TORCH

pytestmark = pytest.mark.docker

DEVICES = ["/dev/null:/dev/cambricon_ctl:rwm", "/dev/null:/dev/cambricon_dev0:rwm"]


@pytest.fixture(scope="session")
def images(docker_client):
    """Test images, built once: seed (MLU270-era contents, busybox, no Python), no-shell, big-dir, python."""
    tag = f"mlu-doctor-test/container-{uuid.uuid4().hex[:6]}"
    with open(dockerkit.BUSYBOX, "rb") as fh:
        busybox = fh.read()
    built = {
        "seed": dockerkit.busybox_image(docker_client, f"{tag}-seed", SEED_FILES, env=SEED_ENV),
        "noshell": dockerkit.busybox_image(docker_client, f"{tag}-noshell",
                                           {**SEED_FILES, "/opt/bin/busybox": busybox}, env=SEED_ENV, shell=False),
        "bigdir": dockerkit.busybox_image(docker_client, f"{tag}-bigdir",
                                          {f"/data/coco/images/train2014/{i:06d}.jpg": b"\xff" * 40_000 for i in range(12)}),
        "bigdir2": dockerkit.busybox_image(docker_client, f"{tag}-bigdir2", {
            "/data/coco/annotations/instances_val2017.json": "{}",
            **{f"/data/coco/images/val2017/{i:06d}.jpg": b"\xff" * 40_000 for i in range(6)}}),
        "python": dockerkit.python_rootfs_image(docker_client),
    }
    yield built
    for key, image in built.items():
        if key != "python":  # the debootstrap image is cached across sessions on purpose
            docker_client.images.remove(image, force=True)


def check_json(cli, root, container, *extra, env=None):
    """`check --format json` of the container: (findings by id, document). The exit code must be the findings'
    verdict: 1 when one fails (or a check crashed), else 0."""
    result = cli(["check", "--root", root, "--container", container, "--format", "json", *extra], env=env)
    assert result.stdout.startswith("{"), (result.exit_code, result.stderr)
    data = json.loads(result.stdout)
    findings = {f["id"]: f for f in data["findings"]}
    failing = sorted(i for i, f in findings.items() if f["status"] in ("fail", "error") and not f.get("acknowledged"))
    assert result.exit_code == (1 if failing else 0), (result.exit_code, failing, result.stderr)
    return findings, data


def test_seed_container_without_devices_fails_with_docker_run_flags(cli, images, start, mlu220_root):
    ctr = start(images["seed"])
    findings, data = check_json(cli, mlu220_root, ctr.name)
    dev = findings["container.devices"]
    assert dev["status"] == "fail" and dev["scope"] == f"container:{ctr.name}"
    assert "--device /dev/cambricon_ctl --device /dev/cambricon_dev0" in dev["remedy"]
    assert findings["device.present"]["scope"] == "host" and findings["device.present"]["status"] == "ok"
    c = data["facts"]["container"]
    assert c["exec_status"] == "no-python" and c["nodes_source"] == "exec" and c["running"]
    assert data["summary"]["container"] == ctr.name


def test_seed_human_output_names_the_container_scope(cli, images, start, mlu220_root):
    ctr = start(images["seed"])
    result = cli(["check", "--root", mlu220_root, "--container", ctr.name])
    assert result.exit_code == 1
    line = next(x for x in result.stdout.splitlines() if "container.devices" in x)
    assert f"[container:{ctr.name}]" in line and "FAIL" in line


def test_seed_arch_match_fails_in_container_scope(cli, images, start, mlu220_root):
    """Needs hostB's framework probe and framework.arch-match (torch 1.3.0a0 + torch_mlu.core on MLU220)."""
    ctr = start(images["seed"])
    findings, data = check_json(cli, mlu220_root, ctr.name)
    fw = data["facts"]["container"]["framework"]
    assert fw["torch_version"] == TORCH and fw["has_core_mlu_model"] is True and fw["era"] == "cnml"
    arch = findings["framework.arch-match"]
    assert arch["status"] == "fail" and arch["scope"] == f"container:{ctr.name}"
    assert "MLU220" in arch["summary"] and "-mcore MLU220" in arch["remedy"]


def test_seed_toolkit_read_from_container(cli, images, start, mlu220_root):
    """Needs hostA's toolkit probe: NEUWARE_HOME from the container env, version.txt and lib64 names."""
    ctr = start(images["seed"], run=False)
    result = cli(["facts", "--root", mlu220_root, "--container", ctr.name])
    tk = json.loads(result.stdout)["container"]["toolkit"]
    assert tk["neuware_home"] == "/torch/neuware_home" and tk["version"] == "1.7.602" and tk["era"] == "cnml"


def test_stopped_container_reads_files_and_devices_from_config(cli, images, start, mlu220_root):
    ctr = start(images["seed"], run=False, devices=DEVICES)
    findings, data = check_json(cli, mlu220_root, ctr.name)
    c = data["facts"]["container"]
    assert c["state"] == "created" and c["exec_status"] == "not-running"
    assert c["nodes"] == ["/dev/cambricon_ctl", "/dev/cambricon_dev0"] and c["nodes_source"] == "config"
    assert c["env_facts"]["vars"]["NEUWARE_HOME"] == "/torch/neuware_home"
    assert findings["container.devices"]["status"] == "ok"


def test_container_fs_reads_a_stopped_container_through_the_archive_api(seam, images, start):
    ctr = start(images["seed"], run=False)
    fs = ContainerSystem(seam, ctr.id, "t")
    assert fs.read_text(f"{SP}/torch/version.py").startswith(f"__version__ = '{TORCH}'")
    assert fs.listdir(f"{SP}/torch_mlu/core") == ["__init__.py", "mlu_model.py"]
    assert fs.is_dir(SP) and fs.is_file(f"{SP}/torch_mlu/core/mlu_model.py") and not fs.exists("/nope")
    assert fs.glob("/torch/venv3/*/lib/python3*/site-packages") == [SP]
    assert fs.readlink("/bin/sh") is not None and fs.is_file("/bin/sh")
    assert fs.reader.requests["get"] <= 4  # one tar per directory, then served from the cache


def test_big_directory_is_abandoned_at_the_cap_and_listed_by_exec_when_running(seam, images, start):
    stopped = start(images["bigdir"], run=False)
    fs = ContainerSystem(seam, stopped.id, "t", fetch_cap=100_000)
    assert fs.listdir("/data/coco/images/train2014") is None
    assert any("abandoned after" in p for p in fs.problems)
    assert fs.is_file("/data/coco/images/train2014/000011.jpg")  # a stat, no content
    running = start(images["bigdir"])
    findings_fs = ContainerSystem(seam, running.id, "t", fetch_cap=100_000)
    findings_fs.lister = lambda p: running.exec_run(["ls", "-1A", p]).output.decode().split()
    assert len(findings_fs.listdir("/data/coco/images/train2014")) == 12


def test_container_with_no_shell_is_read_through_the_archive(cli, images, start, mlu220_root):
    ctr = start(images["noshell"], command=["/opt/bin/busybox", "sleep", "3600"])
    findings, data = check_json(cli, mlu220_root, ctr.name)
    c = data["facts"]["container"]
    assert c["running"] and c["exec_status"] == "no-shell" and c["nodes_source"] == "config"
    assert c["env_facts"]["vars"]["LD_LIBRARY_PATH"] == "/torch/neuware_home/lib64"
    assert findings["container.devices"]["status"] == "fail"


def test_python_container_runs_the_exec_agent_and_is_healthy(cli, images, start, mlu220_root, tmp_path):
    cnmon = write(tmp_path / "cnmon", "#!/bin/sh\necho cnmon\n")
    ctr = start(images["python"], devices=DEVICES, shm_size="8g", environment={"MLU_VISIBLE_DEVICES": "0"},
                volumes={str(cnmon): {"bind": "/usr/bin/cnmon", "mode": "ro"}})
    findings, data = check_json(cli, mlu220_root, ctr.name)
    c = data["facts"]["container"]
    assert c["exec_status"] == "ok" and c["python_version"].startswith("3.") and c["sys_path"]
    assert c["nodes"] == ["/dev/cambricon_ctl", "/dev/cambricon_dev0"] and c["nodes_source"] == "exec"
    for cid in ("container.devices", "container.cnmon", "container.visible-devices", "container.shm"):
        assert findings[cid]["status"] == "ok", findings[cid]
    assert c["mounts"][0]["destination"] == "/usr/bin/cnmon" and c["mounts"][0]["read_only"]


def test_dataset_on_host_but_not_in_container(cli, images, start, tmp_path):
    coco = tmp_path / "coco"
    write(coco / "images/val2017/000000000139.jpg", b"\xff\xd8")
    cfg = write(tmp_path / "cfg.yaml", f"datasets:\n  coco: {coco}\n")
    bare = start(images["seed"])
    findings, _ = check_json(cli, "/", bare.name, "--config", cfg)
    ds = findings["container.dataset"]
    assert ds["status"] == "fail" and ds["recipe"] == "dataset.inject" and f"-v {coco}:{coco}:ro" in ds["remedy"]
    mounted = start(images["seed"], run=False, volumes={str(coco): {"bind": "/coco", "mode": "ro"}})
    findings, data = check_json(cli, "/", mounted.name, "--config", cfg)
    assert findings["container.dataset"]["status"] == "ok"
    assert data["facts"]["container"]["datasets_access"][0]["container_path"] == "/coco"


def test_unknown_container_exits_2_listing_the_containers(cli, images, start):
    ctr = start(images["seed"], run=False)
    result = cli(["check", "--container", "mlu-doctor-test-no-such-thing"])
    assert result.exit_code == 2 and ctr.name in result.stderr and "no container named" in result.stderr


def test_unreachable_daemon_exits_4_with_one_line(cli):
    result = cli(["check", "--container", "x"], env={"DOCKER_HOST": "unix:///nonexistent"})
    assert result.exit_code == 4 and "Docker daemon" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_container_removed_mid_check_says_so(cli, images, start, mlu220_root, monkeypatch):
    from mlu_doctor.system import container_probe

    ctr = start(images["seed"])
    real = container_probe._find_python

    def remove_then_find(system):
        ctr.remove(force=True)
        return real(system)

    monkeypatch.setattr(container_probe, "_find_python", remove_then_find)
    result = cli(["check", "--root", mlu220_root, "--container", ctr.name])
    assert result.exit_code == 4 and "was removed while mlu-doctor was checking it" in result.stderr


def test_directories_walked_in_full_before_the_cap_stay_usable(seam, images, start):
    """The tar is depth-first and lexical: /data/coco/annotations ('a' < 'i') is complete before the cap hits."""
    ctr = start(images["bigdir2"], run=False)
    fs = ContainerSystem(seam, ctr.id, "t", fetch_cap=100_000)
    reader = fs.reader
    assert fs.listdir("/data/coco") is None
    gets = reader.requests["get"]
    assert fs.listdir("/data/coco/annotations") == ["instances_val2017.json"]
    assert fs.read_text("/data/coco/annotations/instances_val2017.json") == "{}"
    assert reader.requests["get"] == gets  # served from the abandoned fetch
