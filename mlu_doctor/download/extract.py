"""Safe, idempotent extraction: validate every member, extract into a temp folder, move into place, mark done."""

from __future__ import annotations

import json
import os
import shutil
import stat
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from mlu_doctor.download.manifest import Archive
from mlu_doctor.errors import CannotRun
from mlu_doctor.i18n import _

STATE_DIR = ".mlu-doctor"
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png")


@dataclass(frozen=True)
class ExtractResult:
    """One archive's extraction: done now, skipped (already done), with the image count found."""

    name: str
    status: str  # extracted | skipped
    target: str
    images: int = 0
    files: int = 0
    seconds: float = 0.0


def marker_path(dest: str, archive: Archive) -> str:
    return os.path.join(dest, STATE_DIR, "extracted", archive.name + ".json")


def extracted_ok(dest: str, archive: Archive) -> bool:
    """A complete, verified extraction of exactly these archive bytes is already in place."""
    try:
        with open(marker_path(dest, archive), encoding="utf-8") as fh:
            rec = json.load(fh)
    except (OSError, ValueError):
        return False
    target = os.path.join(dest, archive.extract_to)
    return rec.get("sha256") == archive.sha256 and all(os.path.exists(os.path.join(target, t))
                                                       for t in rec.get("top", []))


def unsafe_member(info: zipfile.ZipInfo) -> str | None:
    """Why a member must not be extracted (absolute, `..`, drive letter, link), or None."""
    name = info.filename.replace("\\", "/")
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return _("absolute path {name}", name=info.filename)
    if ".." in parts:
        return _("path leading out of the folder {name}", name=info.filename)
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        return _("symbolic link {name} (COCO archives hold none)", name=info.filename)
    return None


def _top_entries(infos: list[zipfile.ZipInfo]) -> list[str]:
    tops = set()
    for info in infos:
        parts = [p for p in info.filename.replace("\\", "/").split("/") if p not in ("", ".")]
        if parts:
            tops.add(parts[0])
    return sorted(tops)


def extract(zip_path: str, dest: str, archive: Archive, free_bytes: Callable[[str], int]) -> ExtractResult:
    """Extract `zip_path` under dest/<extract_to>; skipped when an earlier run completed it."""
    target = os.path.join(dest, archive.extract_to)
    if extracted_ok(dest, archive):
        return ExtractResult(archive.name, "skipped", target, images=archive.images)
    with zipfile.ZipFile(zip_path) as zf:
        infos = zf.infolist()
        _validate(zip_path, infos, archive)
        need = sum(i.file_size for i in infos)
        if need > free_bytes(dest):
            raise CannotRun(_("not enough free space in {dest} to extract {name}: it needs {need} and {free} is free",
                              dest=dest, name=archive.name, need=human_bytes(need),
                              free=human_bytes(free_bytes(dest))))
        tmp = os.path.join(dest, STATE_DIR, "tmp-" + archive.name)
        shutil.rmtree(tmp, ignore_errors=True)
        os.makedirs(tmp)
        for info in infos:
            zf.extract(info, tmp)
    top = _top_entries(infos)
    os.makedirs(target, exist_ok=True)
    for entry in top:
        _move_into(os.path.join(tmp, entry), os.path.join(target, entry))
    shutil.rmtree(tmp, ignore_errors=True)
    images = _count_images(target, top) if archive.images else 0
    if archive.images and images < archive.images:
        raise CannotRun(_("{name}: {found} images in {target} after extraction, the manifest says {want}",
                          name=archive.name, found=images, target=target, want=archive.images))
    _write_marker(dest, archive, top, images)
    return ExtractResult(archive.name, "extracted", target, images=images, files=len(infos))


def _validate(zip_path: str, infos: list[zipfile.ZipInfo], archive: Archive) -> None:
    for info in infos:
        why = unsafe_member(info)
        if why:
            raise CannotRun(_("refusing to extract {path}: {why}", path=zip_path, why=why))
    images = sum(1 for i in infos if i.filename.lower().endswith(IMAGE_SUFFIXES))
    if archive.images and images != archive.images:
        raise CannotRun(_("{path} holds {found} images, the manifest says {want}", path=zip_path,
                          found=images, want=archive.images))


def _move_into(src: str, dst: str) -> None:
    """Rename src to dst; when dst is an existing folder, merge file by file (each rename is atomic)."""
    if not os.path.isdir(dst) or not os.path.isdir(src):
        os.replace(src, dst)
        return
    for name in os.listdir(src):
        _move_into(os.path.join(src, name), os.path.join(dst, name))


def _count_images(target: str, top: list[str]) -> int:
    count = 0
    for entry in top:
        path = os.path.join(target, entry)
        if os.path.isdir(path):
            count += sum(1 for n in os.listdir(path) if n.lower().endswith(IMAGE_SUFFIXES))
    return count


def _write_marker(dest: str, archive: Archive, top: list[str], images: int) -> None:
    path = marker_path(dest, archive)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path + ".tmp", "w", encoding="utf-8") as fh:
        json.dump({"sha256": archive.sha256, "top": top, "images": images}, fh)
    os.replace(path + ".tmp", path)


def human_bytes(n: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if abs(n) < 1024 or unit == "TiB":
            return f"{n:.1f} {unit}" if unit != "B" else f"{int(n)} B"
        n /= 1024
    return f"{n:.1f} TiB"
