"""Label files from COCO annotations: an exact duplicate box is written once."""

from __future__ import annotations

import json


def test_label_file_writes_an_exact_duplicate_box_once(tmp_path):
    from mlu_doctor.download.labels import write_split

    box = {"image_id": 7, "bbox": [10, 20, 100, 50], "category_id": 18, "iscrowd": 0}
    doc = {"images": [{"id": 7, "file_name": "a.jpg", "width": 640, "height": 480}],
           "annotations": [box, dict(box), {**box, "bbox": [10, 20, 100, 51]}]}
    (tmp_path / "instances_val.json").write_text(json.dumps(doc), encoding="utf-8")
    write_split(str(tmp_path / "instances_val.json"), str(tmp_path / "labels"), "val", "0" * 64)
    assert (tmp_path / "labels/val/a.txt").read_text().splitlines() == [
        "16 0.09375 0.09375 0.15625 0.104167", "16 0.09375 0.0947917 0.15625 0.10625"]

