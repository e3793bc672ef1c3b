"""The captures shipped in examples/ (README's `check --capture examples/...`) replay with the verdicts the README
shows, and still match what a fresh capture of the same fixture host says (rebuild them with
examples/make_examples.py when a probe or check changes)."""

from __future__ import annotations

import json

import pytest

from tests.kit.capture import build, doctor, findings
from tests.kit.files import REPO

EXAMPLES = REPO / "examples"
CLEAN = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
EXPECTED = {  # example -> exit code, findings that must be there
    "mlu220-seed": (1, {("framework.arch-match", "fail"), ("device.present", "ok"), ("driver.version", "ok")}),
    "mlu370-healthy": (0, {("framework.requirements", "ok"), ("framework.libraries", "ok"),
                           ("dataset.coco", "warn"), ("env.torch-home", "ok")}),  # a 3-image COCO: maybe a subset
    "no-driver": (1, {("driver.loaded", "fail"), ("device.nodes", "fail"), ("device.present", "ok")}),
    "mlu220-seed-container": (1, {("framework.arch-match", "fail"), ("container.devices", "fail"),
                                  ("container.shm", "warn"), ("driver.loaded", "ok")}),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_replays_as_the_readme_says(cli, name):
    result = cli(["check", "--capture", EXAMPLES / f"{name}.tar.gz", "--format", "json"])
    code, wanted = EXPECTED[name]
    got = {(f["id"], f["status"]) for f in json.loads(result.stdout)["findings"]}
    assert result.exit_code == code and wanted <= got, result.stderr


def test_container_example_scopes_the_environment_checks(cli):
    result = cli(["check", "--capture", EXAMPLES / "mlu220-seed-container.tar.gz", "--only", "framework.arch-match"])
    assert "[container:yolo-train] torch 1.3.0a0 (CNML era, kernels for MLU270) on an MLU220-M2 card" in result.stdout
    assert "host + container:yolo-train" in result.stdout.splitlines()[0]


@pytest.mark.parametrize("name", ["mlu220-seed", "mlu370-healthy", "no-driver"])
def test_examples_match_a_fresh_capture_of_their_fixture(name, tmp_path):
    host, project = build(name, tmp_path)
    fresh = tmp_path / "fresh.tar.gz"
    assert doctor(["capture", "-o", fresh, "--root", host.root], host.env, project).returncode == 0
    shipped = doctor(["check", "--capture", EXAMPLES / f"{name}.tar.gz", "--format", "json"], CLEAN, tmp_path)
    again = doctor(["check", "--capture", fresh, "--format", "json"], CLEAN, tmp_path)
    assert findings(shipped) == findings(again), "examples are stale: run examples/make_examples.py"
