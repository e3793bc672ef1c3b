"""YOLO label lines: boxes as the ultralytics converter computes them, the 80-class mapping."""

from __future__ import annotations

from mlu_doctor.download.yolo import CLASS_OF_ID, NAMES, format_line, yolo_box


def test_yolo_boxes_match_the_ultralytics_converter_by_hand():
    """Each annotation's label line (duplicates are the label writer's business: tested with it)."""
    anns = [
        {"bbox": [10, 20, 100, 50], "category_id": 18, "iscrowd": 0},       # dog -> class 16
        {"bbox": [160, 120, 320, 240], "category_id": 1, "iscrowd": 0},     # person -> 0, centred
        {"bbox": [5, 5, 10, 10], "category_id": 1, "iscrowd": 1},           # crowd: skipped
        {"bbox": [300, 300, 0, 12], "category_id": 3, "iscrowd": 0},        # zero width: skipped
        {"bbox": [1, 1, 2, 2], "category_id": 12, "iscrowd": 0},            # id 12 is not one of the 80
        {"bbox": [0, 0, 0.005, 0.0048], "category_id": 90},                 # tiny: %g goes exponential
        {"bbox": [600, 400, 80, 160], "category_id": 3, "iscrowd": 0},      # past the edge: not clipped
    ]
    boxes = [yolo_box(ann, 640, 480) for ann in anns]
    assert [format_line(b) for b in boxes if b is not None] == [
        # xc = (10 + 100/2)/640, yc = (20 + 50/2)/480, w = 100/640, h = 50/480 = 0.1041666...
        "16 0.09375 0.09375 0.15625 0.104167",
        "0 0.5 0.5 0.5 0.5",
        # 0.0025/640, 0.0024/480, 0.005/640, 0.0048/480
        "79 3.90625e-06 5e-06 7.8125e-06 1e-05",
        # xc = 640/640 = 1, yc = 480/480 = 1, w = 0.125, h = 0.333333...
        "2 1 1 0.125 0.333333",
    ]


def test_the_80_class_mapping():
    assert len(NAMES) == 80 and NAMES[0] == "person" and NAMES[79] == "toothbrush"
    assert CLASS_OF_ID[1] == 0 and CLASS_OF_ID[13] == 11 and CLASS_OF_ID[90] == 79
    assert not {12, 26, 29, 30, 45, 66, 68, 69, 71, 83} & set(CLASS_OF_ID)

