"""dataset.coco: constructed facts, and the CLI on real COCO trees (a missing split, a COCO smaller than COCO)."""

from __future__ import annotations

import json

from mlu_doctor.checks.dataset import dataset_coco
from mlu_doctor.checks.runner import run_check
from mlu_doctor.config import Config
from mlu_doctor.facts.model import (
    DatasetFacts,
    DatasetRoot,
    Facts,
)
from mlu_doctor.findings import Status
from tests.kit import pyenvs


def test_dataset_check():
    none = run_check(dataset_coco, Facts(datasets=DatasetFacts()), Config())
    assert none.status is Status.SKIP
    bad = DatasetRoot("/work/coco", "data/coco2014.data", exists=True, year="2014", problems=["images/val2014 missing"])
    f = run_check(dataset_coco, Facts(datasets=DatasetFacts([bad])), Config())
    assert f.status is Status.FAIL and f.recipe == "dataset.coco" and "images/val2014 missing" in f.summary
    assert "/work/coco" in f.remedy
    absent = DatasetRoot("/work/datasets/coco", "data/coco.yaml", problems=["/work/datasets/coco does not exist"])
    assert run_check(dataset_coco, Facts(datasets=DatasetFacts([absent])), Config()).status is Status.WARN
    configured = DatasetRoot("/data/coco", "config", problems=["/data/coco does not exist"])
    assert run_check(dataset_coco, Facts(datasets=DatasetFacts([absent, configured])), Config()).status is Status.FAIL


def findings(cli, args, env=None):
    result = cli(["check", "--format", "json", *args], env=env)
    return result, {f["id"]: f for f in json.loads(result.stdout)["findings"]}


def test_cli_coco_2014_with_missing_split(cli, tmp_path, monkeypatch):
    root = tmp_path / "root"
    pyenvs.yolov3_tree(root / "work/yolov3")
    pyenvs.coco2014(root / "work/coco", skip=("val2014",))
    monkeypatch.chdir(root / "work/yolov3")
    result, out = findings(cli, ["--root", root, "--only", "dataset.coco"])
    f = out["dataset.coco"]
    assert result.exit_code == 1 and f["status"] == "fail"
    assert f["summary"] == "COCO at /work/coco (data/coco2014.data): images/val2014 missing, labels/val2014 missing"


def test_cli_coco_smaller_than_coco_without_a_record_warns(cli, tmp_path, monkeypatch):
    """A 3-image COCO that fetch-coco did not write may be a subset on purpose (coco128): warn, never ok."""
    root = tmp_path / "root"
    pyenvs.yolov3_tree(root / "work/yolov3")
    pyenvs.coco2014(root / "work/coco")
    monkeypatch.chdir(root / "work/yolov3")
    result, out = findings(cli, ["--root", root, "--only", "dataset.coco"])
    f = out["dataset.coco"]
    assert result.exit_code == 0 and f["status"] == "warn"
    assert f["summary"] == ("COCO at /work/coco (data/coco2014.data) is smaller than COCO: images/train2014: 3 images, "
                            "COCO train2014 has 82783, images/val2014: 3 images, COCO val2014 has 40504")
