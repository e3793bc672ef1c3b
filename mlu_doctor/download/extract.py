"""Safe, idempotent extraction: validate every member, extract into a temp folder, move into place, mark
done."""

from __future__ import annotations

import json
import os
import shutil
import stat
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Optional

from mlu_doctor.download.manifest import Archive
from mlu_doctor.errors import CannotRun
from mlu_doctor.i18n import _

STATE_DIR = ".mlu-doctor"
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png")
COPY_BLOCK = 1024 * 1024
SMALL_MEMBER = 32 * 1024 * 1024  # read and inflated whole (COCO's largest JPEG is a few MB)


@dataclass(frozen=True)
class ExtractResult:
    """One archive's extraction: done now, skipped (already done), with the image count found."""

    name: str
    status: str  # extracted | repaired | skipped
    target: str
    images: int = 0
    files: int = 0
    seconds: float = 0.0


def marker_path(dest: str, archive: Archive) -> str:
    return os.path.join(dest, STATE_DIR, "extracted", archive.name + ".json")


def read_marker(dest: str, archive: Archive) -> Optional[dict[str, Any]]:
    """The extraction record of exactly these archive bytes, or None."""
    from mlu_doctor.untrusted import read_record

    rec = read_record(marker_path(dest, archive))
    if not isinstance(rec, dict) or rec.get("sha256") != archive.sha256:
        return None
    members, top = rec.get("members", []), rec.get("top", [])
    if not isinstance(members, list) or not isinstance(top, list) or not all(isinstance(t, str) for t in top):
        return None  # damaged: extract again
    if not all(isinstance(m, list) and len(m) == 2 and isinstance(m[0], str) and type(m[1]) is int
               for m in members):
        return None
    return rec


def missing_members(dest: str, archive: Archive, rec: dict[str, Any]) -> list[str]:
    """Recorded members no longer on disk with their recorded size (deleted, truncated or replaced)."""
    target = os.path.join(dest, archive.extract_to)
    out = []
    for name, size in rec.get("members", []):
        try:
            if os.stat(os.path.join(target, name)).st_size != size:
                out.append(name)
        except OSError:
            out.append(name)
    return out


def extraction_problem(dest: str, archive: Archive) -> Optional[str]:
    """None when the extraction of this archive is complete on disk, else what is wrong, in one line."""
    target = os.path.normpath(os.path.join(dest, archive.extract_to))
    rec = read_marker(dest, archive)
    if rec is None:
        return _("not extracted into {target}", target=target)
    if "members" not in rec:  # a record from before members were kept: the top entries must exist
        tops = [t for t in rec.get("top", []) if not os.path.exists(os.path.join(target, t))]
        return _("{name} missing under {target}", name=tops[0], target=target) if tops else None
    gone = missing_members(dest, archive, rec)
    if gone:
        return _("{missing} of {total} extracted files are missing or changed under {target} (first: "
                 "{first}); run fetch-coco again without --verify-only to restore them", missing=len(gone),
                 total=len(rec["members"]), target=target, first=gone[0])
    return None


def extracted_ok(dest: str, archive: Archive) -> bool:
    """A complete extraction of exactly these archive bytes is in place."""
    return extraction_problem(dest, archive) is None


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
    """Extract `zip_path` under dest/<extract_to>: skipped when complete, only the missing members when an
    earlier extraction lost files, everything otherwise."""
    target = os.path.normpath(os.path.join(dest, archive.extract_to))
    rec = read_marker(dest, archive)
    gone = set(missing_members(dest, archive, rec)) if rec and "members" in rec else None
    if gone is not None and not gone:
        return ExtractResult(archive.name, "skipped", target, images=archive.images)
    with zipfile.ZipFile(zip_path) as zf:
        infos = zf.infolist()
        _validate(zip_path, infos, archive)
        todo = [i for i in infos if not i.is_dir() and (gone is None or _member(i) in gone)]
        need = sum(i.file_size for i in todo)
        os.makedirs(target, exist_ok=True)  # may be a symlink you made to a bigger disk: followed
        if need > free_bytes(target):
            raise CannotRun(_("not enough free space in {dest} to extract {name}: it needs {need} and {free} "
                              "is free",
                              dest=target, name=archive.name, need=human_bytes(need),
                              free=human_bytes(free_bytes(target))))
        tmp = _temp_folder(dest, target, archive)
        for old in _temp_folders(dest, target, archive):  # what an interrupted run left, in either place
            if os.path.islink(old):  # never rmtree nor extract through a link someone left there
                os.unlink(old)
            shutil.rmtree(old, ignore_errors=True)
        os.makedirs(tmp)
        _extract_members(zf, todo, tmp)
    top = _top_entries(todo)
    for entry in top:
        _move_into(os.path.join(tmp, entry), os.path.join(target, entry))
    shutil.rmtree(tmp, ignore_errors=True)
    if gone is not None:
        return ExtractResult(archive.name, "repaired", target, images=_images(todo), files=len(todo))
    images = _count_images(target, top) if archive.images else 0
    if archive.images and images < archive.images:
        raise CannotRun(_("{name}: {found} images in {target} after extraction, the manifest says {want}",
                          name=archive.name, found=images, target=target, want=archive.images))
    _write_marker(dest, archive, top, images, [(_member(i), i.file_size) for i in infos if not i.is_dir()])
    return ExtractResult(archive.name, "extracted", target, images=images, files=len(todo))


def _temp_folder(dest: str, target: str, archive: Archive) -> str:
    """Where members are extracted before they are renamed into `target`: DEST/.mlu-doctor/tmp-NAME, or a
    hidden folder in `target` itself when it lies on another file system (a symlinked folder), since a
    rename cannot cross file systems and copying the data again would double the I/O."""
    here, beside = _temp_folders(dest, target, archive)
    return here if os.stat(target).st_dev == os.stat(dest).st_dev else beside


def _temp_folders(dest: str, target: str, archive: Archive) -> tuple[str, str]:
    """(in DEST/.mlu-doctor, beside the target's contents)."""
    return (os.path.join(dest, STATE_DIR, "tmp-" + archive.name),
            os.path.join(target, f"{STATE_DIR}-tmp-{archive.name}"))


def _member(info: zipfile.ZipInfo) -> str:
    return "/".join(p for p in info.filename.replace("\\", "/").split("/") if p not in ("", "."))


def _images(infos: list[zipfile.ZipInfo]) -> int:
    return sum(1 for i in infos if i.filename.lower().endswith(IMAGE_SUFFIXES))


def _extract_members(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], tmp: str) -> None:
    """Write each member under `tmp` (folders made once each; members validated by the caller). Small stored
    or deflated members are read with one pread and inflated in one call, CRC-checked like unzip does;
    others go through zipfile's streaming reader."""
    made: set[str] = set()
    fd = zf.fp.fileno() if zf.fp is not None else -1
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0)
    for info in infos:
        path = os.path.join(tmp, _member(info))
        folder = os.path.dirname(path)
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        data = _small_member(fd, info) if fd >= 0 else None
        if data is None:
            with zf.open(info) as src, open(path, "wb") as out:
                shutil.copyfileobj(src, out, COPY_BLOCK)
            continue
        out_fd = os.open(path, flags, 0o644)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(out_fd, view):]
        finally:
            os.close(out_fd)


def _small_member(fd: int, info: zipfile.ZipInfo) -> Optional[bytes]:
    """The member's bytes, or None when it is not a small stored/deflated unencrypted member."""
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) or info.flag_bits & 0x1 or \
            info.compress_size > SMALL_MEMBER or info.file_size > SMALL_MEMBER:
        return None
    head = os.pread(fd, 30, info.header_offset)
    if len(head) != 30 or head[:4] != b"PK\x03\x04":
        raise CannotRun(_("{name}: bad local header in the zip", name=info.filename))
    name_len, extra_len = struct.unpack("<HH", head[26:30])
    raw = os.pread(fd, info.compress_size, info.header_offset + 30 + name_len + extra_len)
    try:
        data = raw if info.compress_type == zipfile.ZIP_STORED else zlib.decompress(raw, -15)
    except zlib.error as exc:
        raise CannotRun(_("{name}: cannot inflate: {error}", name=info.filename, error=exc)) from None
    if len(data) != info.file_size or zlib.crc32(data) != info.CRC:
        raise CannotRun(_("{name}: CRC or size does not match the zip directory", name=info.filename))
    return data


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


def _write_marker(dest: str, archive: Archive, top: list[str], images: int,
                  members: list[tuple[str, int]]) -> None:
    """What was extracted, per member (name relative to extract_to, size): the record completeness is checked
    against (`extraction_problem`, the dataset.coco check)."""
    from mlu_doctor.output.files import write_atomic

    path = marker_path(dest, archive)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    write_atomic(path, json.dumps({"sha256": archive.sha256, "split": archive.split,
                                   "extract_to": archive.extract_to,
                                   "top": top, "images": images, "expected_images": archive.images,
                                   "members": members}, separators=(",", ":")), follow_symlinks=False)


def human_bytes(n: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if abs(n) < 1024 or unit == "TiB":
            return f"{n:.1f} {unit}" if unit != "B" else f"{int(n)} B"
        n /= 1024
    return f"{n:.1f} TiB"
