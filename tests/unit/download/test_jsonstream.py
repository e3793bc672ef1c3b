"""Streaming JSON arrays: items across block boundaries, truncated JSON refused."""

from __future__ import annotations

import json

import pytest

from mlu_doctor.download.jsonstream import scan_arrays


def test_scan_arrays_streams_items_across_block_boundaries(tmp_path):
    doc = {"info": {"s": "a ] } [ \\\" \u00e9 string"}, "images": [{"id": i, "n": "x" * i} for i in range(50)],
           "empty": [], "n": 12345, "annotations": [{"id": 1, "bbox": [1.5, 2, 3, 4]}, 7, "s", None]}
    path = tmp_path / "a.json"
    path.write_text(json.dumps(doc, indent=1), encoding="utf-8")
    got: dict[str, list] = {"images": [], "annotations": []}
    scan_arrays(str(path), {k: got[k].append for k in got}, block=7)
    assert got["images"] == doc["images"] and got["annotations"] == doc["annotations"]


def test_scan_arrays_rejects_truncated_json(tmp_path):
    path = tmp_path / "a.json"
    path.write_text('{"images": [{"id": 1}, {"id": ')
    with pytest.raises(ValueError):
        scan_arrays(str(path), {"images": lambda item: None}, block=4)

