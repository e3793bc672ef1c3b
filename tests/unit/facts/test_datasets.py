"""Dataset facts: COCO roots from config, $COCO_DIR and project data files; counts and what is missing."""

from __future__ import annotations

from mlu_doctor.config import Config
from mlu_doctor.facts.context import host_context
from mlu_doctor.facts.datasets import parse_coco_yaml, parse_data_file, probe
from mlu_doctor.facts.model import ProjectFacts
from tests.kit import pyenvs
from tests.kit.files import write


def dataset_facts(root, cwd="/work", environ=None, config=None, project=None):
    ctx = host_context(str(root), cwd=cwd, environ=environ or {}, config=config or Config())
    ctx.facts.project = project
    return probe(ctx)


def test_parsers():
    assert parse_data_file("classes=80\ntrain=../coco/trainvalno5k.txt\nvalid=../coco/5k.txt\n") == {
        "train": "../coco/trainvalno5k.txt", "valid": "../coco/5k.txt"}
    keys = parse_coco_yaml("# comment\npath: ../datasets/coco  # root\ntrain: train2017.txt\nval: 'val2017.txt'\n"
                           "names:\n  0: person\ndownload: |\n  path: nope\n")
    assert keys == {"path": "../datasets/coco", "train": "train2017.txt", "val": "val2017.txt"}


def test_yolov3_data_file_with_missing_split(tmp_path):
    pyenvs.yolov3_tree(tmp_path / "work/yolov3")
    pyenvs.coco2014(tmp_path / "work/coco", n=4, skip=("val2014",))
    f = dataset_facts(tmp_path, project=ProjectFacts(dir="/work/yolov3", kind="yolov3"))
    [root] = f.roots
    assert root.path == "/work/coco" and root.source == "data/coco2014.data" and root.year == "2014"
    train, val = root.splits
    assert (train.images, train.labels, train.list_entries) == (4, 4, 4)
    assert val.images is None and val.list_file == "/work/coco/5k.txt"
    assert root.problems == ["images/val2014 missing", "labels/val2014 missing"]
    assert root.smaller == ["images/train2014: 4 images, COCO train2014 has 82783"]  # a subset, or incomplete
    assert root.annotations == ["instances_val2014.json"]


def test_yolov5_yaml_resolves_against_the_project_dir(tmp_path):
    pyenvs.yolov5_tree(tmp_path / "work/yolov5")
    f = dataset_facts(tmp_path, cwd="/elsewhere", project=ProjectFacts(dir="/work/yolov5", kind="yolov5"))
    [root] = f.roots
    assert root.path == "/work/datasets/coco" and root.layout == "yolov5" and not root.exists
    assert root.problems == ["/work/datasets/coco does not exist"]


def test_config_and_coco_dir_roots_guess_the_year(tmp_path):
    pyenvs.coco2014(tmp_path / "data/coco")
    write(tmp_path / "data/coco17/images/train2017/a.jpg", "")
    write(tmp_path / "data/coco17/train2017.txt", "./images/train2017/a.jpg\n")
    cfg = Config(coco_roots=("/data/coco", "../data/coco"))  # the second is the same root, relative to the cwd
    f = dataset_facts(tmp_path, config=cfg, environ={"COCO_DIR": "/data/coco17"})
    assert [(r.path, r.source, r.year) for r in f.roots] == [("/data/coco", "config", "2014"), ("/data/coco17", "COCO_DIR", "2017")]
    assert f.roots[0].problems == []
    assert f.roots[0].smaller == ["images/train2014: 3 images, COCO train2014 has 82783",
                                  "images/val2014: 3 images, COCO val2014 has 40504"]
    assert "labels/train2017 missing" in f.roots[1].problems and "val2017.txt missing" in f.roots[1].problems


def test_not_a_coco_layout(tmp_path):
    write(tmp_path / "data/x/readme", "")
    f = dataset_facts(tmp_path, environ={"COCO_DIR": "/data/x"})
    assert f.roots[0].exists and "not a COCO layout" in f.roots[0].problems[0]


def test_the_real_coco_counts_are_the_bundled_manifest_s():
    from mlu_doctor.download.manifest import load_manifest
    from mlu_doctor.facts.datasets import COCO_IMAGES

    pinned = {a.split: a.images for y in load_manifest().years.values() for a in y.archives if a.part in ("train", "val")}
    assert pinned == COCO_IMAGES
