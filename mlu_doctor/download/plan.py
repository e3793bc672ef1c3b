"""Plan a COCO fetch from what is already on disk: what to skip, reuse, resume, download, extract, label.

`make_plan` is pure (given the survey); `plan_fetch` surveys the disk (stat and small state files only).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Optional

from mlu_doctor.download.extract import STATE_DIR, extracted_ok, missing_members, read_marker
from mlu_doctor.download.manifest import DEFAULT_PARTS, PARTS, Archive, Manifest, load_manifest
from mlu_doctor.download.mirrors import mirror_list
from mlu_doctor.download.state import load_state
from mlu_doctor.errors import UsageError
from mlu_doctor.i18n import _

LAYOUTS = {"2014": "yolov3", "2017": "yolov5"}
MAX_CONNECTIONS = 16
ANNOTATION_GROWTH = 4.0  # instances/captions/keypoints JSON compress about 4:1; JPEGs barely compress
DOWNLOADS = "downloads"


@dataclass(frozen=True)
class FetchRequest:
    """What the user asked for (CLI options, or the dataset.coco recipe)."""

    year: str
    dest: str
    parts: tuple[str, ...] = DEFAULT_PARTS
    layout: Optional[str] = None
    mirrors: tuple[str, ...] = ()          # --mirror, tried first
    config_mirrors: tuple[str, ...] = ()   # coco.mirrors from .mlu-doctor.yaml
    connections: int = 0  # 0: auto (one connection, more while the throughput grows; see transfer.Ramp)
    from_local: tuple[str, ...] = ()
    manifest: Optional[str] = None
    verify_only: bool = False
    retries: int = 3
    timeout: float = 30.0
    min_rate: float = 1024.0  # bytes/s over `timeout` seconds: a slower connection counts as stalled


@dataclass(frozen=True)
class ArchiveStep:
    """One archive: skip (already extracted), present, local, resume, download; then extract or not."""

    archive: Archive
    action: str
    source: str
    have: int = 0
    extract: bool = True
    gaps: int = 0  # files of an earlier extraction that are gone: only those are extracted again

    @property
    def download_bytes(self) -> int:
        return self.archive.size - self.have if self.action in ("resume", "download") else 0


@dataclass(frozen=True)
class Survey:
    """What is on disk for each archive (by name)."""

    extracted: frozenset[str] = frozenset()
    present: frozenset[str] = frozenset()
    local: Mapping[str, str] = field(default_factory=dict)
    partial: Mapping[str, int] = field(default_factory=dict)
    gaps: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class FetchPlan:
    """Everything fetch() will do, for --dry-run and for the recipe's plan."""

    request: FetchRequest
    year: str
    layout: str
    holdout: int
    steps: tuple[ArchiveStep, ...]
    label_splits: tuple[str, ...]
    mirrors: tuple[str, ...]

    @property
    def download_bytes(self) -> int:
        return sum(s.download_bytes for s in self.steps)

    @property
    def extract_bytes(self) -> int:
        return sum(int(s.archive.size * (ANNOTATION_GROWTH if s.archive.images == 0 else 1.0))
                   for s in self.steps if s.extract and s.action != "skip")

    @property
    def downloads(self) -> str:
        return os.path.join(self.request.dest, DOWNLOADS)

    @property
    def verified(self) -> str:
        """Where verification records of archives live (in DEST, never beside a --from-local copy)."""
        return os.path.join(self.request.dest, STATE_DIR, "verified")


def validate(req: FetchRequest) -> None:
    unknown = [p for p in req.parts if p not in PARTS]
    if unknown:
        raise UsageError(_("unknown part {part!r}; choose from: {parts}", part=unknown[0],
                           parts=", ".join(PARTS)))
    if req.layout not in (None, "yolov3", "yolov5"):
        raise UsageError(_("unknown layout {layout!r}; choose yolov3 or yolov5", layout=req.layout))
    if not 0 <= req.connections <= MAX_CONNECTIONS:
        raise UsageError(_("--connections must be between 1 and {max} (or 0: measured)", max=MAX_CONNECTIONS))


def check_paths(req: FetchRequest) -> None:
    """--dest must be a folder (or not exist yet); every --from-local must be an existing folder."""
    if os.path.exists(req.dest) and not os.path.isdir(req.dest):
        raise UsageError(_("--dest {path} exists and is not a directory", path=req.dest))
    for folder in req.from_local:
        if not os.path.isdir(folder):
            raise UsageError(_("--from-local {path}: no such directory", path=folder))


def check_mirror_urls(req: FetchRequest, environ: Mapping[str, str]) -> None:
    """Every mirror must be an http:// or https:// base URL with a host (say where a bad one came from)."""
    from urllib.parse import urlsplit

    from mlu_doctor.download.mirrors import ENV_MIRROR

    origins = [("--mirror", m) for m in req.mirrors]
    origins += [(f"${ENV_MIRROR}", m) for m in environ.get(ENV_MIRROR, "").replace(",", " ").split()]
    origins += [("coco.mirrors", m) for m in req.config_mirrors]
    for origin, url in origins:
        try:
            parts = urlsplit(url.strip())
            ok = parts.scheme in ("http", "https") and bool(parts.hostname)
            parts.port  # noqa: B018 - raises ValueError on a bad port
        except ValueError:
            ok = False
        if not ok:
            raise UsageError(_("mirror {url} (from {origin}) is not an http:// or https:// URL",
                               url=repr(url), origin=origin))


def make_plan(req: FetchRequest, manifest: Manifest, survey: Survey, environ: Mapping[str, str]) -> FetchPlan:
    """Pure: the plan for `req` given the manifest and what the survey found on disk."""
    validate(req)
    check_mirror_urls(req, environ)
    year = manifest.year(req.year)
    steps = tuple(_step(a, survey, os.path.join(req.dest, DOWNLOADS)) for a in year.select(req.parts))
    splits = tuple(f"{p}{req.year}" for p in ("train", "val") if p in req.parts) or \
        (f"train{req.year}", f"val{req.year}")
    return FetchPlan(
        request=req, year=req.year, layout=req.layout or LAYOUTS.get(req.year, "yolov5"),
        holdout=year.holdout, steps=steps, label_splits=splits if "labels" in req.parts else (),
        mirrors=mirror_list(req.mirrors, req.config_mirrors, manifest.official, environ),
    )


def _step(archive: Archive, survey: Survey, downloads: str) -> ArchiveStep:
    final = os.path.join(downloads, archive.name)
    gaps = survey.gaps.get(archive.name, 0)
    if archive.name in survey.extracted:
        return ArchiveStep(archive, "skip", final, extract=False)
    if archive.name in survey.present:
        return ArchiveStep(archive, "present", final, gaps=gaps)
    if archive.name in survey.local:
        return ArchiveStep(archive, "local", survey.local[archive.name], gaps=gaps)
    have = survey.partial.get(archive.name, 0)
    return ArchiveStep(archive, "resume" if have else "download", final, have=have, gaps=gaps)


def survey_disk(req: FetchRequest, archives: tuple[Archive, ...]) -> Survey:
    """Stat the destination and --from-local folders; read extraction records and .part states."""
    downloads = os.path.join(req.dest, DOWNLOADS)
    extracted, present, local, partial, gaps = set(), set(), {}, {}, {}
    for a in archives:
        final = os.path.join(downloads, a.name)
        rec = read_marker(req.dest, a)
        missing = len(missing_members(req.dest, a, rec)) if rec and "members" in rec else 0
        complete = rec is not None and not missing and ("members" in rec or extracted_ok(req.dest, a))
        if complete and not req.verify_only:
            extracted.add(a.name)
            continue
        if missing:
            gaps[a.name] = missing
        if _size(final) == a.size:
            present.add(a.name)
        elif (found := _find_local(req.from_local, a)) is not None:
            local[a.name] = found
        else:
            state = load_state(final + ".part.state", a.size,
                               a.sha256) if os.path.exists(final + ".part") else None
            if state is not None and state.have():
                partial[a.name] = state.have()
    return Survey(frozenset(extracted), frozenset(present), local, partial, gaps)


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return -1


def _find_local(folders: tuple[str, ...], a: Archive) -> Optional[str]:
    for folder in folders:
        for candidate in (os.path.join(folder, a.name), os.path.join(folder, a.path)):
            if _size(candidate) == a.size:
                return candidate
    return None


def plan_fetch(req: FetchRequest, environ: Optional[Mapping[str, str]] = None,
               manifest: Optional[Manifest] = None) -> FetchPlan:
    """Survey the disk and plan (no network, no hashing)."""
    req = replace(req, dest=os.path.abspath(req.dest),
                  from_local=tuple(os.path.abspath(p) for p in req.from_local))
    validate(req)
    check_paths(req)
    manifest = manifest or load_manifest(req.manifest)
    archives = manifest.year(req.year).select(req.parts)
    return make_plan(req, manifest, survey_disk(req, archives), os.environ if environ is None else environ)

