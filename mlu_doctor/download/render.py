"""Render a fetch plan or result: human lines, or the JSON envelope of `fetch-coco --format json`."""

from __future__ import annotations

import os
from dataclasses import asdict
from typing import Any

from mlu_doctor.download.archive import FileResult
from mlu_doctor.download.extract import human_bytes
from mlu_doctor.download.fetch import FetchResult
from mlu_doctor.download.plan import FetchPlan
from mlu_doctor.errors import ExitCode
from mlu_doctor.i18n import N_, _
from mlu_doctor.output.envelope import Envelope

_ACTIONS = {
    "skip": N_("already extracted (every recorded file in place)"),
    "present": N_("downloaded earlier: verify, then extract"),
    "local": N_("use the local copy {source}: verify, then extract"),
    "resume": N_("resume: {have} of {size} already here"),
    "download": N_("download {size}"),
}
# status and outcome ids as shown to people (JSON keeps the ids)
_WORDS = {
    "downloaded": N_("downloaded"), "resumed": N_("resumed"), "present": N_("present"), "local": N_("local"),
    "extracted": N_("extracted"), "missing": N_("missing"), "corrupt": N_("corrupt"),
    "skipped": N_("skipped"),
    "built": N_("built"), "kept-existing": N_("kept-existing"), "dropped": N_("dropped"),
    "failed": N_("failed"),
    "partial": N_("partial"), "repaired": N_("repaired"), "rejected": N_("rejected"), "used": N_("used"),
    "standby": N_("standby"),
}


def _word(status: str) -> str:
    return _(_WORDS[status]) if status in _WORDS else status


def plan_data(plan: FetchPlan) -> dict[str, Any]:
    return {
        "year": plan.year, "dest": os.path.abspath(plan.request.dest), "layout": plan.layout,
        "mirrors": list(plan.mirrors), "connections": plan.request.connections or "auto",
        "download_bytes": plan.download_bytes, "extract_bytes": plan.extract_bytes,
        "archives": [{"name": s.archive.name, "action": s.action, "source": s.source, "have": s.have,
                      "size": s.archive.size, "sha256": s.archive.sha256, "extract": s.extract}
                     for s in plan.steps],
        "labels": list(plan.label_splits),
    }


def envelope(plan: FetchPlan, result: FetchResult | None) -> Envelope:
    """The `fetch-coco` envelope: the plan, and with a result what happened to each archive, split and
    file."""
    data: dict[str, Any] = {"command": "fetch-coco", "dry_run": result is None, "plan": plan_data(plan)}
    if result is not None:
        data.update({
            "ok": result.ok, "seconds": result.seconds, "problems": list(result.problems),
            "files": [asdict(f) for f in result.files], "extracted": [asdict(e) for e in result.extracted],
            "labels": [asdict(lab) for lab in result.labels], "written": list(result.written),
        })
    return Envelope("fetch-coco", data)


def to_json(plan: FetchPlan, result: FetchResult | None) -> str:
    return envelope(plan, result).to_json()


def plan_text(plan: FetchPlan) -> str:
    lines = [_("COCO {year} into {dest} (layout {layout}): {download} to download, about {extract} to "
               "extract",
               year=plan.year, dest=os.path.abspath(plan.request.dest), layout=plan.layout,
               download=human_bytes(plan.download_bytes), extract=human_bytes(plan.extract_bytes))]
    for s in plan.steps:
        what = _(_ACTIONS[s.action], source=s.source, have=human_bytes(s.have),
                 size=human_bytes(s.archive.size))
        if s.gaps:
            what += "; " + _("{n} extracted files are gone: extract them again", n=s.gaps)
        lines.append(f"  {s.archive.name:32} {what}")
    if plan.label_splits:
        lines.append("  " + _("YOLO labels from instances_*.json for: {splits}",
                              splits=", ".join(plan.label_splits)))
    lines.append("  " + _("mirrors, in order: {mirrors}", mirrors=", ".join(plan.mirrors) or "-"))
    return "\n".join(lines) + "\n"


def result_text(result: FetchResult) -> str:
    lines = [_("COCO {year} in {dest} (layout {layout}), {seconds:.1f} s", year=result.plan.year,
               dest=os.path.abspath(result.plan.request.dest), layout=result.plan.layout,
               seconds=result.seconds)]
    for f in result.files:
        lines += _file_lines(f)
    for e in result.extracted:
        what = _("{n} images", n=e.images) if e.images else _("{n} files", n=e.files)
        if e.status == "repaired":
            what = _("{n} missing files restored", n=e.files)
        lines.append("  " + _("{name}: {status} into {target} ({what})", name=e.name, status=_word(e.status),
                              target=os.path.normpath(e.target), what=what))
    for lab in result.labels:
        lines.append("  " + _("labels {split}: {status}, {labelled} of {images} images with boxes, {boxes} "
                              "boxes",
                              split=lab.split, status=_word(lab.status), labelled=lab.labelled,
                              images=lab.images, boxes=lab.boxes))
    if result.written:
        lines.append("  " + _("wrote: {files}", files=", ".join(os.path.basename(p) for p in result.written)))
        lines += ["  " + h for h in _train_hint(result)]
    lines += ["  " + _("problem: {problem}", problem=p) for p in result.problems]
    return "\n".join(lines) + "\n"


def exit_code(result: FetchResult) -> int:
    """4 when no mirror could supply an archive (the job could not be done), 1 for other problems, else 0."""
    return int(ExitCode.CANNOT_RUN) if result.failed else 0 if result.ok else int(ExitCode.PROBLEMS)


def closing_text(result: FetchResult) -> str:
    """Why the exit code is what it is and what to do next; empty when everything is in place."""
    if result.ok:
        return ""
    if result.failed:
        why = _("no mirror could supply {names}", names=", ".join(f.name for f in result.failed))
        step = _("Next: run the same command again to resume (what arrived is kept in {folder}), or add a "
                 "--mirror "
                 "URL that has these archives.", folder=os.path.join(result.plan.request.dest, "downloads"))
    elif result.plan.request.verify_only:
        why = _("--verify-only found {n} problem(s) (above)", n=len(result.problems))
        step = _("Next: run the same command without --verify-only to download and extract what is missing.")
    else:
        why = _("{n} problem(s) left (above)", n=len(result.problems))
        step = _("Next: deal with the problems above and run the same command again: finished work is kept.")
    return _("exit {code}: {why}", code=exit_code(result), why=why) + "\n" + step + "\n"


def _file_lines(f: FileResult) -> list[str]:
    line = f"  {f.name:32} {_word(f.status)}"
    if f.bytes:
        rate = human_bytes(f.bytes / f.seconds) + "/s" if f.seconds else ""
        used = [t for t in f.tried if t.bytes]
        sources = ", ".join(f"{t.mirror} ({human_bytes(t.bytes)})"
                            for t in used) if len(used) > 1 else f.mirror
        line += " " + _("{size} in {seconds:.1f} s ({rate}) from {mirror}", size=human_bytes(f.bytes),
                        seconds=f.seconds, rate=rate, mirror=sources)
    if f.note and f.status != "failed":
        line += f" ({f.note})"
    out = [line]
    out += [f"      {_word(t.outcome)} {t.mirror}: {t.reason}" for t in f.tried if t.reason]
    return out


def _train_hint(result: FetchResult) -> list[str]:
    """How to point the training script at what was written."""
    data = next((p for p in result.written if p.endswith((".yaml", ".data"))), None)
    if data is None:
        return []
    if result.plan.layout == "yolov5":
        return [_("train with: python train.py --data {path} (in your yolov5 checkout)", path=data)]
    return [_("train with: python train.py --data {path} (in your yolov3 checkout; the lists name "
              "../{folder}/..., so keep {folder} beside the checkout)", path=data,
              folder=os.path.basename(os.path.dirname(data)))]
