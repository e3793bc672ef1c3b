"""`mlu-doctor fix dataset.coco` end to end: the fetch-coco engine against a real nginx on 127.0.0.1."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml

from tests.kit.coco import Nginx, build_dataset
from tests.kit.files import write

pytestmark = pytest.mark.skipif(not os.path.exists("/usr/sbin/nginx"), reason="nginx not installed")


@pytest.fixture(scope="module")
def mirror(tmp_path_factory):
    root = tmp_path_factory.mktemp("coco-mirror-fix")
    build_dataset(root, base_url="")  # the test manifest names no official host: only our mirror is used
    server = Nginx(tmp_path_factory.mktemp("nginx-fix"), root / "www")
    yield server, str(root / "manifest.yaml")
    server.stop()


def env_for(tmp_path, **extra):
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    return {"HOME": str(home), "SHELL": "/bin/bash", "XDG_CONFIG_HOME": None, "XDG_STATE_HOME": None,
            "MLU_DOCTOR_CONFIG": None, "MLU_DOCTOR_COCO_MIRROR": "", **extra}


def test_fix_dataset_coco_downloads_from_the_configured_mirror_and_the_check_passes(cli, mirror, tmp_path):
    server, manifest = mirror
    dest = tmp_path / "datasets/coco"
    cfg = write(tmp_path / "cfg.yaml", f"datasets:\n  coco: {dest}\ncoco:\n  mirrors: [{server.url}]\n"
                                       f"  manifest: {manifest}\n")
    env = env_for(tmp_path)
    assert cli(["check", "--only", "dataset.coco", "--config", cfg], env=env).exit_code == 1
    plan = cli(["fix", "dataset.coco", "--config", cfg, "--format", "json"], env=env)
    doc = json.loads(plan.stdout)
    assert doc["mode"] == "plan" and not dest.exists()
    [recipe] = doc["recipes"]
    [step] = recipe["steps"]
    sizes = sum(a["size"] for a in yaml.safe_load(Path(manifest).read_text())["years"]["2017"]["archives"])
    assert step["kind"] == "call" and step["bytes"] == sizes > 0 and str(dest) in step["description"]
    assert step["command"][:6] == ["mlu-doctor", "fetch-coco", "--year", "2017", "--dest", str(dest)]
    assert any(n.startswith("train2017.zip: download") for n in recipe["notes"])
    assert f"mirrors, in order: {server.url}" in recipe["notes"]
    res = cli(["fix", "dataset.coco", "--config", cfg, "--yes"], env=env)
    assert res.exit_code == 0, res.stdout + res.stderr
    assert "dataset.coco: applied" in res.stdout and "re-check dataset.coco: ok COCO 2017" in res.stdout
    assert len(server.served("train2017.zip")) >= 1
    assert cli(["check", "--only", "dataset.coco", "--config", cfg], env=env).exit_code == 0
    again = cli(["fix", "dataset.coco", "--config", cfg, "--yes"], env=env)
    assert again.exit_code == 0 and "nothing to do: already in place" in again.stdout


def test_mirror_from_the_environment_and_a_failing_fetch_exits_3(cli, mirror, tmp_path):
    server, manifest = mirror
    dest = tmp_path / "coco"
    write(dest / "images/val2017/junk.jpg", b"x")  # a partial root: the check fails, the recipe completes it
    cfg = write(tmp_path / "cfg.yaml", f"datasets:\n  coco: {dest}\ncoco:\n  manifest: {manifest}\n")
    env = env_for(tmp_path, MLU_DOCTOR_COCO_MIRROR=server.url + "no-such-folder/")
    res = cli(["fix", "dataset.coco", "--config", cfg, "--yes"], env=env)
    assert res.exit_code == 3, res.stdout + res.stderr
    assert "dataset.coco: FAILED" in res.stdout and "every mirror failed" in res.stdout
    env = env_for(tmp_path, MLU_DOCTOR_COCO_MIRROR=server.url)
    res = cli(["fix", "dataset.coco", "--config", cfg, "--yes"], env=env)
    assert res.exit_code == 0, res.stdout + res.stderr
    assert "re-check dataset.coco: ok" in res.stdout
