"""YOLO labels at COCO scale: our builder vs ultralytics `convert_coco(cls91to80=True)` on the same file.

Generates a synthetic instances_train2017.json with the real file's shape (118,287 images, ~860,000
annotations with polygon segmentations, ~1% crowd annotations with RLE counts, ~1,000 images without any
annotation, ~450 MB), then runs, interleaved and each as a child process (wall seconds, peak RSS from wait4):
  ours:        mlu_doctor.download.labels.write_split
  ultralytics: convert_coco in a throwaway venv (YOLO_OFFLINE=true), --ultra-python PATH
and checks the two label folders are identical (same files, same bytes). Also times extracting a
20,000-member zip against `unzip -q` (Debian's unzip; installed if missing).
Usage: .venv/bin/python bench/labels.py [--ultra-python /tmp/ultra-venv/bin/python] [--repeat 3]
"""

from __future__ import annotations

import argparse
import filecmp
import hashlib
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMAGES, ANNOTATIONS, EMPTY_IMAGES = 118_287, 860_001, 1_021
COCO_IDS = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 27, 28, 31, 32,
            33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59,
            60, 61, 62, 63, 64, 65, 67, 70, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 84, 85, 86, 87, 88, 89, 90)

OURS = """
import sys
from mlu_doctor.download.labels import write_split
write_split(sys.argv[1], sys.argv[2], "train2017", "bench")
"""
ULTRA = """
import sys
from ultralytics.data.converter import convert_coco
convert_coco(labels_dir=sys.argv[1], save_dir=sys.argv[2], use_segments=False, use_keypoints=False, cls91to80=True)
"""


def generate(path: Path, seed: int = 2017) -> None:
    """instances_train2017.json with COCO's shape (key order, field order, compact separators)."""
    rng = random.Random(seed)
    polys = [",".join(f"{rng.uniform(0, 640):.2f}" for _ in range(2 * rng.randint(8, 40))) for _ in range(4000)]
    rles = [",".join(str(rng.randint(0, 900)) for _ in range(rng.randint(60, 400))) for _ in range(200)]
    sizes = [(640, 480), (640, 427), (500, 375), (427, 640), (480, 640), (640, 640), (612, 612)]
    ids = rng.sample(range(1, 600_000), IMAGES)
    dims = {i: rng.choice(sizes) for i in ids}
    annotated = ids[EMPTY_IMAGES:]
    with open(path, "w", encoding="utf-8") as out:
        out.write('{"info":{"description":"COCO 2017 Dataset (synthetic)","year":2017},"licenses":[')
        out.write(",".join(f'{{"url":"http://creativecommons.org/licenses/{i}/","id":{i},"name":"License {i}"}}'
                           for i in range(1, 9)))
        out.write('],"images":[')
        out.write(",".join(
            f'{{"license":{rng.randint(1, 8)},"file_name":"{i:012d}.jpg","coco_url":"http://images.cocodataset.org/'
            f'train2017/{i:012d}.jpg","height":{dims[i][1]},"width":{dims[i][0]},"date_captured":"2013-11-14 '
            f'11:18:45","flickr_url":"http://farm9.staticflickr.com/8186/8119368305_4e622c8349_z.jpg","id":{i}}}'
            for i in ids))
        out.write('],"annotations":[')
        parts = []
        for aid in range(1, ANNOTATIONS + 1):
            image = annotated[aid % len(annotated)] if aid <= len(annotated) else rng.choice(annotated)
            w, h = dims[image]
            bw, bh = round(rng.uniform(0.5, w / 2), 2), round(rng.uniform(0.5, h / 2), 2)
            x, y = round(rng.uniform(0, w - bw), 2), round(rng.uniform(0, h - bh), 2)
            crowd = rng.random() < 0.011
            seg = f'{{"counts":[{rng.choice(rles)}],"size":[{h},{w}]}}' if crowd else f"[[{rng.choice(polys)}]]"
            parts.append(f'{{"segmentation":{seg},"area":{bw * bh * 0.7:.4f},"iscrowd":{int(crowd)},"image_id":'
                         f'{image},"bbox":[{x},{y},{bw},{bh}],"category_id":{rng.choice(COCO_IDS)},"id":{aid}}}')
            if len(parts) == 10_000:
                out.write(",".join(parts) + ",")
                parts = []
        out.write(",".join(parts))
        out.write('],"categories":[')
        out.write(",".join(f'{{"supercategory":"thing","id":{c},"name":"class{c}"}}' for c in COCO_IDS))
        out.write("]}")


def run_child(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, float, float]:
    """(wall seconds, peak RSS MiB, CPU seconds: user + system) of one child process."""
    started = time.monotonic()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, **(env or {})})
    err = proc.stderr.read().decode()
    _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.monotonic() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{argv[:3]} failed: {err.strip()[-600:]}")
    return seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def same_tree(a: Path, b: Path) -> tuple[bool, str]:
    """Same file names and bytes in two folders."""
    names_a, names_b = sorted(os.listdir(a)), sorted(os.listdir(b))
    if names_a != names_b:
        only = sorted(set(names_a) ^ set(names_b))
        return False, f"{len(names_a)} vs {len(names_b)} files, e.g. {only[:3]}"
    _match, mismatch, errors = filecmp.cmpfiles(a, b, names_a, shallow=False)
    if mismatch or errors:
        return False, f"{len(mismatch) + len(errors)} files differ, e.g. {(mismatch + errors)[:3]}"
    return True, f"{len(names_a)} files, identical"


def median(rows: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    """The run with the median wall time, and the median CPU seconds over all runs."""
    wall, rss, _cpu = sorted(rows)[len(rows) // 2]
    return wall, rss, sorted(r[2] for r in rows)[len(rows) // 2]


def bench_labels(work: Path, ultra_python: str | None, repeat: int) -> None:
    ann = work / "annotations"
    ann.mkdir()
    json_path = ann / "instances_train2017.json"
    began = time.monotonic()
    generate(json_path)
    print(f"generated {json_path.name}: {json_path.stat().st_size / 1e6:.0f} MB in {time.monotonic() - began:.0f} s")
    ours: list[tuple[float, float, float]] = []
    ultra: list[tuple[float, float, float]] = []
    for n in range(repeat):  # interleaved: a busy moment on the shared machine hits both alike
        out = work / f"ours-{n}"
        ours.append(run_child([sys.executable, "-c", OURS, str(json_path), str(out / "labels")],
                              {"PYTHONPATH": str(ROOT)}))
        if ultra_python:
            ultra.append(run_child([ultra_python, "-c", ULTRA, str(ann), str(work / f"ultra-{n}")],
                                   {"YOLO_OFFLINE": "true", "YOLO_VERBOSE": "false"}))
        if n:
            shutil.rmtree(out)
            shutil.rmtree(work / f"ultra-{n}", ignore_errors=True)
    o_s, o_rss, o_cpu = median(ours)
    runs = ", ".join(f"{s:.1f}" for s, _r, _c in ours)
    print(f"  ours:        {o_s:7.2f} s wall  {o_cpu:7.2f} s CPU  peak RSS {o_rss:7.1f} MiB   (wall of runs: {runs})")
    if ultra:
        u_s, u_rss, u_cpu = median(ultra)
        runs = ", ".join(f"{s:.1f}" for s, _r, _c in ultra)
        print(f"  ultralytics: {u_s:7.2f} s wall  {u_cpu:7.2f} s CPU  peak RSS {u_rss:7.1f} MiB   (wall of runs: {runs})")
        print(f"  ours / ultralytics: wall {o_s / u_s:.2f}x, CPU {o_cpu / u_cpu:.2f}x (goal <= 0.5x); peak RSS goal <= 200 MiB")
        same, how = same_tree(work / "ours-0/labels/train2017", work / "ultra-0/labels/train2017")
        print(f"  output: {'identical' if same else 'DIFFERENT'}: {how}")
    else:
        print("  ultralytics: not run (no --ultra-python)")


def make_zip(path: Path, members: int, seed: int = 5) -> None:
    """A deflated zip of JPEG-like members (random bytes: barely compressible, like COCO's JPEGs)."""
    rng = random.Random(seed)
    blob = rng.randbytes(64 * 1024 * 1024)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for i in range(members):
            size = rng.randint(4_000, 36_000)
            at = rng.randint(0, len(blob) - size)
            zf.writestr(f"train2017/{i:012d}.jpg", b"\xff\xd8\xff\xe0" + blob[at:at + size] + b"\xff\xd9")


def bench_extract(work: Path, repeat: int) -> None:
    if not shutil.which("unzip"):
        subprocess.run(["apt-get", "install", "-y", "-qq", "unzip"], check=True, stdout=subprocess.DEVNULL)
    path = work / "train2017.zip"
    make_zip(path, 20_000)
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    code = ("import sys\nfrom mlu_doctor.download.extract import extract\nfrom mlu_doctor.download.manifest import Archive\n"
            f"a = Archive(name='train2017.zip', path='zips/train2017.zip', part='train', size={path.stat().st_size}, "
            f"sha256='{sha}', split='train2017', images=20000, extract_to='images')\n"
            "extract(sys.argv[1], sys.argv[2], a, lambda p: 1 << 50)\n")
    ours: list[tuple[float, float, float]] = []
    unzip: list[tuple[float, float, float]] = []
    for n in range(repeat):
        unzip.append(run_child(["unzip", "-q", str(path), "-d", str(work / f"unzip-{n}")]))
        ours.append(run_child([sys.executable, "-c", code, str(path), str(work / f"x-{n}")], {"PYTHONPATH": str(ROOT)}))
        shutil.rmtree(work / f"unzip-{n}")
        shutil.rmtree(work / f"x-{n}")
    (o_s, _r, o_cpu), (u_s, _r2, u_cpu) = median(ours), median(unzip)
    print(f"extract {path.stat().st_size / 1e6:.0f} MB zip, 20,000 members, median of {repeat}: unzip -q {u_s:.2f} s "
          f"({u_cpu:.2f} s CPU), ours {o_s:.2f} s ({o_cpu:.2f} s CPU): {u_s / o_s:.2f}x unzip's speed by wall, "
          f"{u_cpu / o_cpu:.2f}x by CPU (goal >= 0.9x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ultra-python", default=None, help="python of a venv with ultralytics installed")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-labels", action="store_true")
    parser.add_argument("--skip-extract", action="store_true")
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory(prefix="mlu-doctor-labels-") as tmp:
        if not args.skip_labels:
            bench_labels(Path(tmp), args.ultra_python, args.repeat)
        if not args.skip_extract:
            bench_extract(Path(tmp), args.repeat)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
