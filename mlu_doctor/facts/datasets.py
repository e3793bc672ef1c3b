"""Datasets probe: COCO roots from the config, $COCO_DIR and the project's data files; their layout and
counts.

yolov3 (archive) `data/coco2014.data` holds `train=../coco/trainvalno5k.txt`: the scripts run from the repo
root, so paths resolve against the project dir. Current yolov5 resolves a relative `path:` in
`data/coco.yaml` against the repo root (`ROOT / path` in check_dataset), not the current directory;
older yolov5 had no `path:` and list files relative to the repo root; both are resolved against --project.
"""

from __future__ import annotations

import posixpath
import re
from typing import Any, Optional

from mlu_doctor.facts.context import ProbeContext
from mlu_doctor.facts.model import DatasetFacts, DatasetRoot, SplitFacts
from mlu_doctor.i18n import _
from mlu_doctor.system.files import FileSource

LIST_LIMIT = 32 * 1024 * 1024
RECORD_LIMIT = 64 * 1024 * 1024  # fetch-coco's extraction record of train2017 is ~6 MB
STATE_DIR = ".mlu-doctor"  # where fetch-coco keeps its records (mlu_doctor.download.extract.STATE_DIR)
# images per split of the real COCO (the bundled manifest's `images`; a test keeps the two equal)
COCO_IMAGES = {"train2014": 82783, "val2014": 40504, "train2017": 118287, "val2017": 5000}
# year -> ((split, default list file), ...)
LAYOUTS = {
    "2014": (("train2014", "trainvalno5k.txt"), ("val2014", "5k.txt")),
    "2017": (("train2017", "train2017.txt"), ("val2017", "val2017.txt")),
}
_YAML_KEY = re.compile(r"""^(path|train|val|test)\s*:\s*['"]?([^'"#\n]*?)['"]?\s*(?:#.*)?$""", re.MULTILINE)
_DATA_KEY = re.compile(r"^\s*(train|valid)\s*=\s*(\S+)", re.MULTILINE)


def _abs(base: str, path: str) -> str:
    return posixpath.normpath(posixpath.join(base, path))


def parse_data_file(text: str) -> dict[str, str]:
    """yolov3 `.data` (key=value) -> {"train": ..., "valid": ...}."""
    return {m.group(1): m.group(2) for m in _DATA_KEY.finditer(text)}


def parse_coco_yaml(text: str) -> dict[str, str]:
    """Top-level scalar `path/train/val/test` keys of a yolov5 dataset YAML (no YAML import needed)."""
    return {m.group(1): m.group(2).strip() for m in _YAML_KEY.finditer(text) if m.group(2).strip()}


def project_roots(fs: FileSource, top: str) -> list[DatasetRoot]:
    """COCO roots named by the project's data/coco2014.data (yolov3) or data/coco.yaml (yolov5)."""
    out = []
    v3 = fs.read_text(top + "/data/coco2014.data", 64 * 1024)
    if v3 is not None:
        keys = parse_data_file(v3)
        lists = {k: _abs(top, v) for k, v in keys.items()}
        if lists.get("train") or lists.get("valid"):
            root = posixpath.dirname(lists.get("train") or lists["valid"])
            splits = [SplitFacts("train2014", list_file=lists.get("train")),
                      SplitFacts("val2014", list_file=lists.get("valid"))]
            out.append(DatasetRoot(root, "data/coco2014.data", year="2014", layout="yolov3", splits=splits))
    v5 = fs.read_text(top + "/data/coco.yaml", 64 * 1024)
    if v5 is not None:
        keys = parse_coco_yaml(v5)
        base: Optional[str] = _abs(top, keys["path"]) if keys.get("path") else None
        lists = {k: _abs(base or top, keys[k]) for k in ("train", "val") if keys.get(k)}
        named = base or (posixpath.dirname(lists["train"]) if lists.get("train") else None)
        if named:
            splits = [SplitFacts("train2017", list_file=lists.get("train")),
                      SplitFacts("val2017", list_file=lists.get("val"))]
            out.append(DatasetRoot(named, "data/coco.yaml", year="2017", layout="yolov5", splits=splits))
    return out


def guess_year(fs: FileSource, root: str) -> Optional[str]:
    names = set(fs.listdir(root + "/images") or []) | set(fs.listdir(root) or [])
    for year in ("2017", "2014"):
        if any(n.endswith(year) or n.endswith(f"{year}.txt") for n in names):
            return year
    return "2014" if "trainvalno5k.txt" in names or "5k.txt" in names else None


def count_lines(fs: FileSource, path: str) -> Optional[int]:
    data = fs.read_bytes(path, LIST_LIMIT)
    if data is None:
        return None
    return sum(1 for line in data.splitlines() if line.strip())


def _count(fs: FileSource, path: str) -> Optional[int]:
    names = fs.listdir(path)
    return None if names is None else len(names)


def read_records(fs: FileSource, root: str) -> dict[str, Any]:
    """fetch-coco's records under ROOT/.mlu-doctor: {"images": {split: (names, expected count)},
    "labels": {split: names}} for the splits it extracted or labelled."""
    images: dict[str, tuple[set[str], int]] = {}
    labels: dict[str, set[str]] = {}
    folder = f"{root}/{STATE_DIR}"
    for name in fs.listdir(folder + "/extracted") or []:
        rec = _json(fs, f"{folder}/extracted/{name}")
        if not rec or rec.get("extract_to") != "images" or not rec.get("split") or "members" not in rec:
            continue
        prefix = rec["split"] + "/"
        names = {m[0][len(prefix):] for m in rec["members"] if str(m[0]).startswith(prefix)}
        images[rec["split"]] = (names, int(rec.get("expected_images") or len(names)))
    for name in fs.listdir(folder) or []:
        if name.startswith("labels-") and name.endswith(".json"):
            rec = _json(fs, f"{folder}/{name}")
            if rec and isinstance(rec.get("files"), list):
                labels[name[len("labels-"):-len(".json")]] = set(rec["files"])
    return {"images": images, "labels": labels}


def _json(fs: FileSource, path: str) -> Optional[dict]:
    import json  # only when fetch-coco left a record: keeps `check` start-up lean

    data = fs.read_bytes(path, RECORD_LIMIT)
    try:
        rec = json.loads(data) if data else None
    except ValueError:
        return None
    return rec if isinstance(rec, dict) else None


def _gaps(kind: str, split: str, names: Optional[list[str]], want: set[str]) -> Optional[str]:
    missing = sorted(want - set(names or []))
    if not missing:
        return None
    return _("{kind}/{split}: {missing} of {total} files missing (first: {first})", kind=kind, split=split,
             missing=len(missing), total=len(want), first=missing[0])


def inspect_split(fs: FileSource, root: str, split: SplitFacts, problems: list[str],
                  records: Optional[dict[str, Any]] = None, smaller: Optional[list[str]] = None) -> None:
    """Fill images/labels/list counts for one split and note what is missing against fetch-coco's records
    when it wrote them; without records, a split smaller than the real COCO split goes to `smaller`
    (a subset such as coco128 may be on purpose)."""
    split.images_dir, split.labels_dir = f"{root}/images/{split.name}", f"{root}/labels/{split.name}"
    image_names, label_names = fs.listdir(split.images_dir), fs.listdir(split.labels_dir)
    split.images = None if image_names is None else len(image_names)
    split.labels = None if label_names is None else len(label_names)
    for kind, n in (("images", split.images), ("labels", split.labels)):
        if n is None:
            problems.append(f"{kind}/{split.name} missing")
        elif n == 0:
            problems.append(f"{kind}/{split.name} empty")
    records = records or {"images": {}, "labels": {}}
    recorded = records["images"].get(split.name)
    if recorded and split.images:
        gap = _gaps("images", split.name, image_names, recorded[0])
        problems += [gap] if gap else []
    elif split.images and split.images < COCO_IMAGES.get(split.name, 0):
        (problems if smaller is None else smaller).append(_("images/{split}: {n} images, COCO {split} has "
                                                            "{want}", split=split.name, n=split.images,
                          want=COCO_IMAGES[split.name]))
    if split.name in records["labels"] and split.labels:
        gap = _gaps("labels", split.name, label_names, records["labels"][split.name])
        problems += [gap] if gap else []
    if split.list_file:
        split.list_entries = count_lines(fs, split.list_file)
        rel = posixpath.relpath(split.list_file,
                                root) if split.list_file.startswith(root + "/") else split.list_file
        if split.list_entries is None:
            problems.append(f"{rel} missing")
        elif split.list_entries == 0:
            problems.append(f"{rel} empty")


def inspect_root(fs: FileSource, ds: DatasetRoot) -> DatasetRoot:
    """Presence, year, layout, per-split counts, annotations, problems."""
    ds.exists = fs.is_dir(ds.path)
    if not ds.exists:
        ds.problems.append(_("{path} does not exist", path=ds.path))
        return ds
    ds.year = ds.year or guess_year(fs, ds.path)
    if not ds.splits and ds.year:
        ds.layout = "yolov3" if ds.year == "2014" else "yolov5"
        ds.splits = [SplitFacts(name, list_file=f"{ds.path}/{lst}") for name, lst in LAYOUTS[ds.year]]
    ds.expected_splits = [s.name for s in ds.splits]
    if not ds.splits:
        ds.problems.append(_("no images/train2014 or images/train2017 and no list files: not a COCO layout"))
    records = read_records(fs, ds.path)
    for split in ds.splits:
        inspect_split(fs, ds.path, split, ds.problems, records, ds.smaller)
    ds.annotations = [n for n in fs.listdir(ds.path + "/annotations") or [] if n.endswith(".json")]
    return ds


def probe(ctx: ProbeContext) -> DatasetFacts:
    """Every COCO root named anywhere, inspected once (first source wins for duplicates)."""
    cwd = posixpath.normpath(ctx.cwd)
    candidates = [DatasetRoot(_abs(cwd, p), "config") for p in ctx.config.coco_roots]
    if ctx.system.environ.get("COCO_DIR"):
        candidates.append(DatasetRoot(_abs(cwd, ctx.system.environ["COCO_DIR"]), "COCO_DIR"))
    project = ctx.facts.project
    if project is not None and project.kind:
        candidates += project_roots(ctx.system, project.dir)
    facts, seen = DatasetFacts(), set()
    for ds in candidates:
        if ds.path not in seen:
            seen.add(ds.path)
            facts.roots.append(inspect_root(ctx.system, ds))
    return facts
