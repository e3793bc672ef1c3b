"""Carry out a FetchPlan: check space, get each archive (verified), extract safely, build YOLO labels."""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Optional

from mlu_doctor.download.archive import FileResult, MirrorTry, TransferOptions, known_good, verify_copy
from mlu_doctor.download.downloader import Downloader
from mlu_doctor.download.extract import ExtractResult, extract, extraction_problem, human_bytes
from mlu_doctor.download.labels import (
    SplitLabels,
    labelled_files,
    missing_labels,
    write_split,
    yolov3_files,
    yolov5_files,
)
from mlu_doctor.download.plan import ArchiveStep, FetchPlan
from mlu_doctor.download.progress import NullProgress, Progress
from mlu_doctor.errors import CannotRun
from mlu_doctor.gateways.http import HttpClient
from mlu_doctor.i18n import _

FreeBytes = Callable[[str], int]


@dataclass(frozen=True)
class FetchResult:
    """What fetch() did: per-archive outcomes, extractions, labels, files written, problems left."""

    plan: FetchPlan
    files: tuple[FileResult, ...]
    extracted: tuple[ExtractResult, ...]
    labels: tuple[SplitLabels, ...]
    written: tuple[str, ...]
    problems: tuple[str, ...]
    seconds: float

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def failed(self) -> tuple[FileResult, ...]:
        """Archives no mirror could supply (exit 4: the job could not be done)."""
        return tuple(f for f in self.files if f.status == "failed")


def disk_free(path: str) -> int:
    """Free bytes on the filesystem that holds `path` (or its nearest existing parent)."""
    while not os.path.exists(path):
        parent = os.path.dirname(path)
        if parent == path:
            break
        path = parent
    return shutil.disk_usage(path).free


def check_space(plan: FetchPlan, free_bytes: FreeBytes) -> None:
    """Raise CannotRun, before any byte moves, when archives plus extraction do not fit."""
    need = plan.download_bytes + plan.extract_bytes
    free = free_bytes(plan.request.dest)
    if need > free:
        raise CannotRun(_(
            "not enough free space for COCO {year} in {dest}: need {need} ({download} to download + "
            "{extract} "
            "to extract), only {free} free. Free some space, choose another --dest, or fetch fewer --parts.",
            year=plan.year, dest=plan.request.dest, need=human_bytes(need),
            download=human_bytes(plan.download_bytes),
            extract=human_bytes(plan.extract_bytes), free=human_bytes(free)))


def fetch(plan: FetchPlan, http: Optional[HttpClient] = None, free_bytes: FreeBytes = disk_free,
          stop: Optional[threading.Event] = None, progress: Optional[Progress] = None) -> FetchResult:
    """Do the plan. Every archive is tried even when one fails; Ctrl-C raises KeyboardInterrupt with every
    .part file and its state saved for resume."""
    started = time.monotonic()
    req = plan.request
    stop = stop or threading.Event()
    if http is None:
        from mlu_doctor.gateways.http import RequestsHttp

        http = RequestsHttp(read_timeout=req.timeout, min_rate=req.min_rate, stop=stop)
    progress = progress or NullProgress()
    if not req.verify_only:
        check_space(plan, free_bytes)
        os.makedirs(req.dest, exist_ok=True)
    progress.start(plan.download_bytes)
    files: list[FileResult] = []
    extracted: list[ExtractResult] = []
    problems: list[str] = []
    ready: set[str] = set()  # parts whose files are in place (labels are built for those)
    try:
        for step in plan.steps:
            result = _get(plan, step, http, stop, progress)
            files.append(result)
            if result.status == "failed":
                problems.append(result.note)  # names the archive already
            elif result.status in ("missing", "partial", "corrupt"):
                problems.append(f"{step.archive.name}: {result.note}")
            elif req.verify_only:
                why = extraction_problem(req.dest, step.archive)
                if why:
                    problems.append(f"{step.archive.name}: {why}")
            elif step.extract:
                try:
                    began = time.monotonic()
                    done = extract(result.path, req.dest, step.archive, free_bytes)
                    extracted.append(replace(done, seconds=round(time.monotonic() - began, 3)))
                    ready.add(step.archive.part)
                except CannotRun as exc:
                    problems.append(f"{step.archive.name}: {exc}")
            else:
                ready.add(step.archive.part)
    except KeyboardInterrupt:
        stop.set()  # ends every open HTTP reply at once (see gateways/http.py)
        raise
    finally:
        progress.close()
    if req.verify_only:
        problems += _label_problems(plan)
    labels, written = _labels(plan, ready, problems)
    return FetchResult(plan, tuple(files), tuple(extracted), tuple(labels), tuple(written), tuple(problems),
                       round(time.monotonic() - started, 3))


def _get(plan: FetchPlan, step: ArchiveStep, http: HttpClient, stop: threading.Event,
         progress: Progress) -> FileResult:
    req, a = plan.request, step.archive
    if step.action == "skip":
        return FileResult(a.name, step.source, "extracted", sha256=a.sha256)
    note, rejected = "", None
    if step.action in ("present", "local"):
        earlier = not req.verify_only and known_good(step.source, a, plan.verified)
        why = verify_copy(step.source, a, plan.verified, force=req.verify_only)
        if why is None:
            return FileResult(a.name, step.source, step.action, sha256=a.sha256,
                              note=_("SHA-256 verified earlier, file unchanged since") if earlier
                              else _("SHA-256 verified"))
        if req.verify_only:
            return FileResult(a.name, step.source, "corrupt", note=why)
        note, rejected = why, step.source
        if step.action == "present":
            os.unlink(step.source)
    if req.verify_only:
        return _not_here(plan, step)
    options = TransferOptions(connections=req.connections, retries=req.retries)
    bar = progress.file(a.name, a.size, step.have)
    try:
        result = Downloader(a, plan.downloads, plan.mirrors, http, options, bar, stop, plan.verified).run()
    finally:
        progress.done_file()
    if rejected is not None:
        failed = result.status == "failed"
        message = _("the copy {path} was rejected ({why}); {rest}", path=rejected, why=note,
                    rest=result.note) \
            if failed else note
        result = replace(result, note=message, tried=(MirrorTry(rejected, "rejected", note), *result.tried))
    return result


def _not_here(plan: FetchPlan, step: ArchiveStep) -> FileResult:
    """--verify-only and the archive is not (completely) on disk: say what is there."""
    a = step.archive
    if extraction_problem(plan.request.dest, a) is None:
        return FileResult(a.name, step.source, "extracted", sha256=a.sha256,
                          note=_("archive not kept; extracted files match the extraction record"))
    if step.action == "resume":
        return FileResult(a.name, step.source + ".part", "partial",
                          note=_("partly downloaded ({have} of {size}); run without --verify-only to resume",
                                 have=human_bytes(step.have), size=human_bytes(a.size)))
    return FileResult(a.name, step.source, "missing", note=_("not downloaded"))


def _label_problems(plan: FetchPlan) -> list[str]:
    """--verify-only: label files recorded when they were built and now gone."""
    out = []
    for split in plan.label_splits:
        folder = os.path.join(plan.request.dest, "labels", split)
        wanted = labelled_files(plan.request.dest, split)
        if wanted is None:
            out.append(_("labels {split}: not built yet", split=split))
        elif gone := missing_labels(folder, wanted):
            out.append(_("labels {split}: {missing} of {total} label files missing (first: {first}); run "
                         "fetch-coco "
                         "again without --verify-only to rebuild them", split=split, missing=len(gone),
                         total=len(wanted), first=gone[0]))
    return out


def _labels(plan: FetchPlan, ready: set[str], problems: list[str]) -> tuple[list[SplitLabels], list[str]]:
    """Labels and image lists for the splits whose images and annotations are in place."""
    if not plan.label_splits or plan.request.verify_only or "annotations" not in ready:
        return [], []
    dest = plan.request.dest
    ann = next((s.archive for s in plan.steps if s.archive.part == "annotations"), None)
    sha = ann.sha256 if ann else ""
    selected = {s.archive.part for s in plan.steps}
    results, indexes = [], {}
    for split in plan.label_splits:
        part = split[:-len(plan.year)]
        if part in selected and part not in ready:
            continue  # its images are not in place: no list naming missing files
        path = os.path.join(dest, "annotations", f"instances_{split}.json")
        if not os.path.isfile(path):
            problems.append(_("cannot build labels for {split}: {path} is missing", split=split, path=path))
            continue
        result, indexes[split] = write_split(path, os.path.join(dest, "labels"), split, sha)
        results.append(result)
    if not indexes:
        return results, []
    if plan.layout == "yolov3":
        written = yolov3_files(dest, plan.year, indexes, plan.holdout)
    else:
        written = yolov5_files(dest, plan.year, indexes)
    return results, written
