"""`mlu-doctor fix --container` and `report --container` on real containers (real dockerd, local images).

The seed image (MLU270-era contents, busybox shell, no Python) is the one the container tests use.
"""

from __future__ import annotations

import json
import re
import uuid

import pytest

from tests.kit import docker as dockerkit
from tests.kit.files import write
from tests.kit.seed import SEED_ENV, SEED_FILES

pytestmark = pytest.mark.docker


@pytest.fixture(scope="module")
def seed_image(docker_client):
    tag = f"mlu-doctor-test/glue-seed-{uuid.uuid4().hex[:6]}"
    dockerkit.busybox_image(docker_client, tag, SEED_FILES, env=SEED_ENV)
    yield tag
    docker_client.images.remove(tag, force=True)


@pytest.fixture
def home(tmp_path):
    h = tmp_path / "home"
    h.mkdir()
    return {"HOME": str(h), "SHELL": "/bin/bash", "XDG_CONFIG_HOME": None, "XDG_STATE_HOME": None,
            "TORCH_HOME": None, "MLU_DOCTOR_CONFIG": None}


def sh(ctr, script: str) -> str:
    return ctr.exec_run(["sh", "-c", script]).output.decode("utf-8", "replace")


def test_seed_container_plan_prints_docker_run_and_exec_advice(cli, seed_image, start, mlu220_root, home):
    ctr = start(seed_image)
    res = cli(["fix", "--root", mlu220_root, "--container", ctr.name, "--format", "json"], env=home)
    assert res.exit_code == 1, res.stdout + res.stderr  # only advice: steps remain for the user
    doc = json.loads(res.stdout)
    plans = {r["recipe"]: r for r in doc["recipes"]}
    assert doc["mode"] == "nothing"
    run = next(s["command"] for s in plans["container.devices"]["steps"] if s["command"][:2] == ["docker", "run"])
    line = " ".join(run)
    assert "--device /dev/cambricon_ctl --device /dev/cambricon_dev0" in line
    assert "cnmon" not in line and "--shm-size 8g" in line and run[-1] == seed_image  # the host root has no cnmon
    assert any("no cnmon to bind-mount" in n for n in plans["container.devices"]["notes"])
    assert all(s["kind"] == "advice" for s in plans["container.devices"]["steps"])
    torch = plans["env.torch-home"]["steps"]
    # CNML-era torch in the container: the model zoo folder under the container's working directory
    assert torch[0]["command"][:4] == ["docker", "exec", "-e", "TORCH_HOME=/models/pytorch"]
    assert torch[0]["command"][4] == ctr.name and torch[1]["command"][:3] == ["docker", "run", "-e"]
    human = cli(["fix", "--root", mlu220_root, "--container", ctr.name], env=home)
    assert "fixes container.devices (fail)" in human.stdout and "(run it yourself)" in human.stdout
    assert "no recipe for framework.arch-match (fail)" in human.stdout  # the seed's case: genoff advice


def test_dataset_inject_copies_the_missing_dataset_and_the_recheck_passes(cli, seed_image, start, tmp_path, home):
    coco = tmp_path / "coco"
    write(coco / "images/val2017/000000000139.jpg", b"\xff\xd8" * 500)
    write(coco / "val2017.txt", "./images/val2017/000000000139.jpg\n")
    cfg = write(tmp_path / "cfg.yaml", f"datasets:\n  coco: {coco}\n")
    ctr = start(seed_image)
    plan = cli(["fix", "dataset.inject", "--container", ctr.name, "--config", cfg], env=home)
    assert plan.exit_code == 0, plan.stderr
    assert f"copy {coco} into {ctr.name}:{coco}" in plan.stdout and "1.0 KiB" in plan.stdout
    assert f"docker run -v {coco}:{coco}:ro" in plan.stdout
    res = cli(["fix", "dataset.inject", "--container", ctr.name, "--config", cfg, "--yes"], env=home)
    assert res.exit_code == 0, res.stdout + res.stderr
    assert re.search(r"re-check container\.dataset: ok .*\(copy\)", res.stdout), res.stdout
    assert sh(ctr, f"wc -c < {coco}/images/val2017/000000000139.jpg").strip() == "1000"
    again = cli(["fix", "dataset.inject", "--container", ctr.name, "--config", cfg, "--yes"], env=home)
    assert again.exit_code == 0 and "nothing to do: already in place" in again.stdout


def test_dataset_inject_targets_the_containers_coco_dir(cli, seed_image, start, tmp_path, home):
    coco = tmp_path / "coco"
    write(coco / "images/val2017/1.jpg", b"x")
    cfg = write(tmp_path / "cfg.yaml", f"datasets:\n  coco: {coco}\n")
    ctr = start(seed_image, environment={"COCO_DIR": "/datasets/coco"})
    res = cli(["fix", "--container", ctr.name, "--config", cfg, "--yes", "--format", "json"], env=home)
    doc = json.loads(res.stdout)
    inject = next(r for r in doc["recipes"] if r["recipe"] == "dataset.inject")
    assert inject["applied"] is True and inject["steps"][0]["command"][-1] == "/datasets/coco", res.stdout
    assert inject["recheck"] == [{"id": "container.dataset", "status": "ok", "scope": f"container:{ctr.name}",
                                  "summary": inject["recheck"][0]["summary"]}]
    assert sh(ctr, "cat /datasets/coco/images/val2017/1.jpg") == "x"
    # env.torch-home in the container is advice only: steps remain for the user -> 1, not 3
    assert res.exit_code == 1, res.stdout


def test_inject_into_a_stopped_container_fails_the_fix_with_exit_3(cli, seed_image, start, tmp_path, home):
    coco = tmp_path / "coco"
    write(coco / "images/val2017/1.jpg", b"x")
    cfg = write(tmp_path / "cfg.yaml", f"datasets:\n  coco: {coco}\n")
    ctr = start(seed_image)
    real = dockerkit.client_or_skip()
    from mlu_doctor.recipes import dataset_recipes

    original = dataset_recipes.InjectDataset.call

    def stop_first(self, step, gateways):
        real.containers.get(ctr.name).stop(timeout=0)
        return original(self, step, gateways)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(dataset_recipes.InjectDataset, "call", stop_first)
        res = cli(["fix", "dataset.inject", "--container", ctr.name, "--config", cfg, "--yes"], env=home)
    assert res.exit_code == 3, res.stdout + res.stderr
    assert "dataset.inject: FAILED" in res.stdout and "not running" in res.stdout
    assert "Traceback" not in res.stderr


def test_report_on_a_running_container_with_redact(cli, seed_image, start, mlu220_root, tmp_path, home):
    secret = "ghp_0123456789abcdefghijABCDEFGHIJ"
    ctr = start(seed_image, environment={"GITHUB_TOKEN": secret, "DB_PASSWORD": "hunter2-x"})
    out = tmp_path / "r.md"
    res = cli(["report", "--root", mlu220_root, "--container", ctr.name, "-o", out], env=home)
    assert res.exit_code == 0, res.stderr
    md, data = out.read_text(), json.loads((tmp_path / "r.json").read_text())
    assert f"container {ctr.name}" in md and data["summary"]["container"] == ctr.name
    assert "1.3.0a0+b8a5f1d" in md  # the container's torch in the versions table
    ids = {(f["id"], f["scope"]) for f in data["findings"]}
    assert ("container.devices", f"container:{ctr.name}") in ids and ("device.present", "host") in ids
    assert secret in md  # unredacted: the container's environment is in the facts
    res = cli(["report", "--root", mlu220_root, "--container", ctr.name, "-o", out, "--redact"], env=home)
    assert res.exit_code == 0, res.stderr
    text = out.read_text() + (tmp_path / "r.json").read_text()
    for value in (secret, "hunter2-x"):
        assert value not in text, value
    json.loads((tmp_path / "r.json").read_text())


def test_container_advice_on_a_host_without_a_card_names_only_what_exists(cli, seed_image, start, empty_root, home):
    """Issue 19: a /dev/shm warning on a host with no card gets --shm-size only (no /dev/cambricon_* node or
    cnmon the host lacks), and the LD_LIBRARY_PATH advice creates no folder."""
    ctr = start(seed_image, environment={"LD_LIBRARY_PATH": ""})
    res = cli(["fix", "--root", empty_root, "--container", ctr.name, "--format", "json"], env=home)
    assert res.exit_code == 1, res.stdout + res.stderr
    plans = {r["recipe"]: r for r in json.loads(res.stdout)["recipes"]}
    run = next(s["command"] for s in plans["container.devices"]["steps"] if s["command"][:2] == ["docker", "run"])
    assert "--shm-size" in run and not any("cambricon" in a or "cnmon" in a for a in run), run
    ld = [" ".join(s["command"]) for s in plans["toolkit.ld-path"]["steps"]]
    assert ld[0].startswith("docker exec -e LD_LIBRARY_PATH=/torch/neuware_home/lib64") and "mkdir" not in ld[0]
