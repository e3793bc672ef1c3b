"""COCO boxes -> YOLO label lines, the same numbers the ultralytics converter (`convert_coco`) writes.

Semantics matched: `iscrowd` skipped; [x, y, w, h] -> centre, divided by image width/height in float64,
no clipping; boxes with a non-positive width or height dropped; exact duplicates (same class and
floats) written once; class = index of the COCO category id among the 80 used ids; numbers written
with "%g" (6 significant digits, trailing zeros removed); an image whose only boxes are crowd/degenerate
gets an empty .txt, an image without any annotation no file (bench/labels.py checks the output is
byte-identical to convert_coco's on a COCO-sized file).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Optional

COCO80 = (
    (1, "person"), (2, "bicycle"), (3, "car"), (4, "motorcycle"), (5, "airplane"), (6, "bus"), (7, "train"),
    (8, "truck"), (9, "boat"), (10, "traffic light"), (11, "fire hydrant"), (13, "stop sign"),
    (14, "parking meter"), (15, "bench"), (16, "bird"), (17, "cat"), (18, "dog"), (19, "horse"),
    (20, "sheep"),
    (21, "cow"), (22, "elephant"), (23, "bear"), (24, "zebra"), (25, "giraffe"), (27, "backpack"),
    (28, "umbrella"), (31, "handbag"), (32, "tie"), (33, "suitcase"), (34, "frisbee"), (35, "skis"),
    (36, "snowboard"), (37, "sports ball"), (38, "kite"), (39, "baseball bat"), (40, "baseball glove"),
    (41, "skateboard"), (42, "surfboard"), (43, "tennis racket"), (44, "bottle"), (46, "wine glass"),
    (47, "cup"), (48, "fork"), (49, "knife"), (50, "spoon"), (51, "bowl"), (52, "banana"), (53, "apple"),
    (54, "sandwich"), (55, "orange"), (56, "broccoli"), (57, "carrot"), (58, "hot dog"), (59, "pizza"),
    (60, "donut"), (61, "cake"), (62, "chair"), (63, "couch"), (64, "potted plant"), (65, "bed"),
    (67, "dining table"), (70, "toilet"), (72, "tv"), (73, "laptop"), (74, "mouse"), (75, "remote"),
    (76, "keyboard"), (77, "cell phone"), (78, "microwave"), (79, "oven"), (80, "toaster"), (81, "sink"),
    (82, "refrigerator"), (84, "book"), (85, "clock"), (86, "vase"), (87, "scissors"), (88, "teddy bear"),
    (89, "hair drier"), (90, "toothbrush"),
)
CLASS_OF_ID = {cid: index for index, (cid, _name) in enumerate(COCO80)}
NAMES = tuple(name for _cid, name in COCO80)

Box = tuple[int, float, float, float, float]


def yolo_box(ann: Mapping[str, Any], width: float, height: float) -> Optional[Box]:
    """(class, xc, yc, w, h) normalised, or None when the annotation gives no YOLO box."""
    if ann.get("iscrowd"):
        return None
    cls = CLASS_OF_ID.get(ann.get("category_id"))  # type: ignore[arg-type]
    if cls is None:
        return None
    x, y, w, h = (float(v) for v in ann["bbox"])
    xc, yc = (x + w / 2) / width, (y + h / 2) / height
    wn, hn = w / width, h / height
    if wn <= 0 or hn <= 0:
        return None
    return cls, xc, yc, wn, hn


def add_box(boxes: list[Box], box: Optional[Box]) -> None:
    """Append unless None or an exact duplicate already in the list (as ultralytics does)."""
    if box is not None and box not in boxes:
        boxes.append(box)


def format_line(box: Box) -> str:
    cls, xc, yc, w, h = box
    return f"{cls:g} {xc:g} {yc:g} {w:g} {h:g}"
