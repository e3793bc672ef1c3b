"""Build YOLO labels, image lists and the data file yolov3 / yolov5 read, from instances_*.json."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass

from mlu_doctor.download.extract import STATE_DIR
from mlu_doctor.download.jsonstream import scan_arrays
from mlu_doctor.download.yolo import NAMES, Box, add_box, format_line, yolo_box
from mlu_doctor.errors import CannotRun
from mlu_doctor.i18n import _

CONVERTER_VERSION = 1


@dataclass(frozen=True)
class SplitLabels:
    """Labels of one split (e.g. val2017): what was written or kept, and the images it covers."""

    split: str
    status: str  # built | skipped | kept-existing
    images: int
    labelled: int
    boxes: int
    folder: str


@dataclass(frozen=True)
class ImageIndex:
    """File names of a split's images, and which of them got a label file."""

    files: tuple[str, ...]
    labelled: frozenset[str]


def read_split(json_path: str) -> tuple[dict[int, tuple[str, int, int]], dict[int, list[Box]]]:
    """Two streaming passes: image sizes first, then boxes per image (one JSON item in memory at a time)."""
    images: dict[int, tuple[str, int, int]] = {}
    boxes: dict[int, list[Box]] = {}

    def on_image(img: dict) -> None:
        images[img["id"]] = (img["file_name"], img["width"], img["height"])

    def on_ann(ann: dict) -> None:
        img = images.get(ann["image_id"])
        if img is not None:
            add_box(boxes.setdefault(ann["image_id"], []), yolo_box(ann, img[1], img[2]))

    try:
        scan_arrays(json_path, {"images": on_image})
        scan_arrays(json_path, {"annotations": on_ann})
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CannotRun(_("cannot read annotations {path}: {error}", path=json_path, error=exc)) from None
    return images, boxes


def write_split(json_path: str, labels_root: str, split: str, source_sha: str) -> tuple[SplitLabels, ImageIndex]:
    """labels/<split>/*.txt from instances_<split>.json, built in a temp folder and renamed into place."""
    images, boxes = read_split(json_path)
    index = ImageIndex(tuple(sorted(f for f, _w, _h in images.values())),
                       frozenset(images[i][0] for i, b in boxes.items() if b))
    folder = os.path.join(labels_root, split)
    marker = os.path.join(os.path.dirname(labels_root), STATE_DIR, f"labels-{split}.json")
    count = sum(len(b) for b in boxes.values())
    if _marked(marker, source_sha) and os.path.isdir(folder):
        return SplitLabels(split, "skipped", len(images), len(index.labelled), count, folder), index
    if os.path.isdir(folder) and not os.path.exists(marker):
        return SplitLabels(split, "kept-existing", len(images), len(index.labelled), count, folder), index
    tmp = os.path.join(labels_root, f".tmp-{split}")
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    for image_id, image_boxes in boxes.items():
        if image_boxes:
            stem = os.path.splitext(images[image_id][0])[0]
            with open(os.path.join(tmp, stem + ".txt"), "w", encoding="utf-8") as fh:
                fh.write("".join(format_line(b) + "\n" for b in image_boxes))
    if os.path.isdir(folder):
        shutil.rmtree(folder)
    os.replace(tmp, folder)
    _mark(marker, source_sha)
    return SplitLabels(split, "built", len(images), len(index.labelled), count, folder), index


def _marked(marker: str, sha: str) -> bool:
    try:
        with open(marker, encoding="utf-8") as fh:
            rec = json.load(fh)
    except (OSError, ValueError):
        return False
    return rec.get("source_sha256") == sha and rec.get("converter") == CONVERTER_VERSION


def _mark(marker: str, sha: str) -> None:
    os.makedirs(os.path.dirname(marker), exist_ok=True)
    with open(marker + ".tmp", "w", encoding="utf-8") as fh:
        json.dump({"source_sha256": sha, "converter": CONVERTER_VERSION}, fh)
    os.replace(marker + ".tmp", marker)


def write_text(path: str, lines: list[str]) -> None:
    """Write a small text file atomically."""
    with open(path + ".tmp", "w", encoding="utf-8") as fh:
        fh.write("".join(line + "\n" for line in lines))
    os.replace(path + ".tmp", path)


def yolov5_files(dest: str, year: str, splits: dict[str, ImageIndex]) -> list[str]:
    """<split>.txt with ./images/<split>/<file> for every image (background images included) + coco.yaml."""
    written = []
    for split, index in splits.items():
        path = os.path.join(dest, f"{split}.txt")
        write_text(path, [f"./images/{split}/{f}" for f in index.files])
        written.append(path)
    yaml_lines = [f"# COCO {year} for yolov5, written by mlu-doctor fetch-coco",
                  f"path: {os.path.abspath(dest)}"]
    yaml_lines += [f"{key}: {split}.txt" for key, split in _roles(splits, year)]
    yaml_lines += ["names:"] + [f"  {i}: {name}" for i, name in enumerate(NAMES)]
    write_text(os.path.join(dest, "coco.yaml"), yaml_lines)
    return [*written, os.path.join(dest, "coco.yaml")]


def _roles(splits: dict[str, ImageIndex], year: str) -> list[tuple[str, str]]:
    return [(role, f"{role}{year}") for role in ("train", "val") if f"{role}{year}" in splits]


def yolov3_files(dest: str, year: str, splits: dict[str, ImageIndex], holdout: int) -> list[str]:
    """trainvalno5k.txt / 5k.txt (labelled images; `holdout` val images in 5k.txt) + coco<year>.data."""
    base = os.path.basename(os.path.abspath(dest))
    train, val = splits.get(f"train{year}"), splits.get(f"val{year}")

    def paths(split: str, files: list[str]) -> list[str]:
        return [f"../{base}/images/{split}/{f}" for f in files]

    val_files = [f for f in val.files if f in val.labelled] if val else []
    keep = holdout if holdout > 0 else len(val_files)
    train_lines = paths(f"train{year}", [f for f in train.files if f in train.labelled]) if train else []
    train_lines += paths(f"val{year}", val_files[keep:])
    out = []
    for name, lines in (("trainvalno5k.txt", train_lines), ("5k.txt", paths(f"val{year}", val_files[:keep]))):
        write_text(os.path.join(dest, name), lines)
        out.append(os.path.join(dest, name))
    data = [f"classes={len(NAMES)}", f"train=../{base}/trainvalno5k.txt", f"valid=../{base}/5k.txt",
            "names=data/coco.names"]
    write_text(os.path.join(dest, f"coco{year}.data"), data)
    return [*out, os.path.join(dest, f"coco{year}.data")]
