"""Build YOLO labels, image lists and the data file yolov3 / yolov5 read, from instances_*.json."""

from __future__ import annotations

import gc
import json
import os
import queue
import shutil
import struct
import threading
from collections.abc import Iterable
from dataclasses import dataclass

from mlu_doctor.download.extract import STATE_DIR
from mlu_doctor.download.jsonstream import scan_arrays
from mlu_doctor.download.yolo import CLASS_OF_ID, NAMES, format_line
from mlu_doctor.errors import CannotRun
from mlu_doctor.i18n import _

WRITE_BATCH = 512
CONVERTER_VERSION = 2  # 2: an (empty) file for every annotated image, as ultralytics writes


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


class SplitBoxes:
    """One split's images and, per annotated image, its boxes packed as bytes (34 bytes a box instead of a
    ~180-byte tuple: COCO train2017 has ~860,000 boxes) in annotation order; duplicates are dropped when
    the lines are made."""

    def __init__(self) -> None:
        self.images: dict[int, tuple[str, int, int]] = {}
        self.boxes: dict[int, bytearray] = {}
        self.orphans = False  # annotations came before the images array: a second pass is needed

    def on_image(self, img: dict) -> None:
        self.images[img["id"]] = (img["file_name"], img["width"], img["height"])

    def on_ann(self, ann: dict) -> None:
        """yolo.yolo_box inlined (a million calls): the same checks in the same order, the same float
        arithmetic."""
        image_id = ann["image_id"]
        img = self.images.get(image_id)
        if img is None:
            self.orphans = self.orphans or not self.images
            return
        packed = self.boxes.get(image_id)
        if packed is None:
            packed = self.boxes[image_id] = bytearray()
        if ann.get("iscrowd"):
            return
        cls = CLASS_OF_ID.get(ann.get("category_id"))  # type: ignore[arg-type]
        if cls is None:
            return
        x, y, w, h = ann["bbox"]
        x, y, w, h = float(x), float(y), float(w), float(h)
        width, height = img[1], img[2]
        wn, hn = w / width, h / height
        if wn <= 0 or hn <= 0:
            return
        packed += _BOX.pack(cls, (x + w / 2) / width, (y + h / 2) / height, wn, hn)

    def lines(self, image_id: int) -> str:
        """The label file text of one annotated image ("" when none of its boxes is usable)."""
        seen: set[bytes] = set()
        out = []
        packed = bytes(self.boxes[image_id])
        for at in range(0, len(packed), _BOX.size):
            raw = packed[at:at + _BOX.size]
            if raw not in seen:
                seen.add(raw)
                out.append(format_line(_BOX.unpack(raw)) + "\n")
        return "".join(out)


_BOX = struct.Struct("<Hdddd")


def read_split(json_path: str) -> SplitBoxes:
    """One streaming pass when the images array comes first (as in COCO's files), two otherwise; one JSON item
    in memory at a time."""
    split = SplitBoxes()
    collecting = gc.isenabled()
    # a million short-lived dicts, no cycles: the cyclic collector would only rescan what is kept
    gc.disable()
    try:
        scan_arrays(json_path, {"images": split.on_image, "annotations": split.on_ann})
        if split.orphans:
            split.boxes.clear()
            scan_arrays(json_path, {"annotations": split.on_ann})
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CannotRun(_("cannot read annotations {path}: {error}", path=json_path, error=exc)) from None
    finally:
        if collecting:
            gc.enable()
    return split


def write_split(json_path: str, labels_root: str, split: str, source_sha: str) -> tuple[SplitLabels,
                                                                                        ImageIndex]:
    """labels/<split>/*.txt from instances_<split>.json, built in a temp folder and renamed into place; a file
    for every annotated image (empty when none of its boxes is usable), as ultralytics' convert_coco
    writes."""
    data = read_split(json_path)
    files = {i: os.path.splitext(name)[0] + ".txt" for i, (name, _w, _h) in data.images.items()}
    index = ImageIndex(tuple(sorted(f for f, _w, _h in data.images.values())),
                       frozenset(data.images[i][0] for i, b in data.boxes.items() if b))
    folder = os.path.join(labels_root, split)
    marker = os.path.join(os.path.dirname(labels_root), STATE_DIR, f"labels-{split}.json")
    count = sum(len(b) // _BOX.size for b in data.boxes.values())
    wanted = sorted(files[i] for i in data.boxes)
    if _marked(marker, source_sha) and not missing_labels(folder, wanted):
        return SplitLabels(split, "skipped", len(data.images), len(index.labelled), count, folder), index
    if os.path.isdir(folder) and not os.path.exists(marker):
        return SplitLabels(split, "kept-existing", len(data.images), len(index.labelled), count,
                           folder), index
    tmp = os.path.join(labels_root, f".tmp-{split}")
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    _write_files(tmp, ((files[i], data.lines(i)) for i in data.boxes))
    if os.path.isdir(folder):
        shutil.rmtree(folder)
    os.replace(tmp, folder)
    _mark(marker, source_sha, wanted)
    return SplitLabels(split, "built", len(data.images), len(index.labelled), count, folder), index


def _write_files(folder: str, items: Iterable[tuple[str, str]]) -> None:
    """Many small files: raw descriptors relative to the folder (a third of the cost of open() per file),
    written by a second thread while this one formats (the system calls release the GIL)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0)
    dir_fd = os.open(folder, os.O_RDONLY)
    batches: queue.Queue[list[tuple[str, bytes]] | None] = queue.Queue(maxsize=8)
    failed: list[BaseException] = []

    def writer() -> None:
        while (batch := batches.get()) is not None:
            try:
                for name, data in batch:
                    fd = os.open(name, flags, 0o644, dir_fd=dir_fd)
                    try:
                        os.write(fd, data)
                    finally:
                        os.close(fd)
            except OSError as exc:
                failed.append(exc)

    thread = threading.Thread(target=writer, name="label-writer", daemon=True)
    thread.start()
    try:
        batch: list[tuple[str, bytes]] = []
        for name, text in items:
            batch.append((name, text.encode("utf-8")))
            if len(batch) == WRITE_BATCH:
                batches.put(batch)
                batch = []
            if failed:
                break
        batches.put(batch)
    finally:
        batches.put(None)
        thread.join()
        os.close(dir_fd)
    if failed:
        raise failed[0]


def missing_labels(folder: str, wanted: list[str]) -> list[str]:
    """Label files that should be in `folder` and are not."""
    try:
        have = set(os.listdir(folder))
    except OSError:
        return list(wanted)
    return [name for name in wanted if name not in have]


def labelled_files(dest: str, split: str) -> list[str] | None:
    """The label files recorded when the labels of `split` were built under `dest`, or None."""
    from mlu_doctor.untrusted import read_record

    rec = read_record(os.path.join(dest, STATE_DIR, f"labels-{split}.json"))
    files = rec.get("files") if isinstance(rec, dict) else None
    return [str(f) for f in files] if isinstance(files, list) else None


def _marked(marker: str, sha: str) -> bool:
    from mlu_doctor.untrusted import read_record

    rec = read_record(marker)
    return (isinstance(rec, dict) and rec.get("source_sha256") == sha
            and rec.get("converter") == CONVERTER_VERSION)


def _mark(marker: str, sha: str, files: list[str]) -> None:
    """Record the labels built: the converter, the annotations they came from and every file written."""
    from mlu_doctor.output.files import write_atomic

    os.makedirs(os.path.dirname(marker), exist_ok=True)
    write_atomic(marker, json.dumps({"source_sha256": sha, "converter": CONVERTER_VERSION, "files": files},
                                    separators=(",", ":")), follow_symlinks=False)


def write_text(path: str, lines: list[str]) -> None:
    """Write a text file of `lines` atomically."""
    from mlu_doctor.output.files import write_atomic

    write_atomic(path, "".join(line + "\n" for line in lines), follow_symlinks=False)  # never out of DEST


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
