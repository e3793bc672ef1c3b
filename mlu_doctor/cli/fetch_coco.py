"""`mlu-doctor fetch-coco`: mirror-first, resumable, verified COCO downloads in the yolov3 / yolov5
layouts."""

from __future__ import annotations

import os
import sys
from typing import Optional

import typer

from mlu_doctor.cli.common import ConfigOpt, LangOpt, config_from, err, guard, setup_language, split_list
from mlu_doctor.defaults import FETCH_STALL_TIMEOUT, check_timeout
from mlu_doctor.errors import ExitCode, UsageError
from mlu_doctor.i18n import _

app = typer.Typer()


@app.command("fetch-coco")
@guard
def fetch_coco(
    year: str = typer.Option(..., "--year", metavar="2014|2017",
                             help="COCO year: 2014 (yolov3) or 2017 (yolov5)."),
    dest: str = typer.Option(..., "--dest", metavar="DIR",
                             help="Dataset folder (e.g. ../coco or ../datasets/coco)."),
    parts: Optional[list[str]] = typer.Option(None, "--parts", metavar="PART",
                                              help="train, val, test, annotations, labels (repeat it, or "
                                                   "give a comma list; default: all but test)."),
    layout: Optional[str] = typer.Option(None, "--layout", metavar="yolov3|yolov5",
                                         help="yolov3 or yolov5 (default: by year)."),
    mirror: Optional[list[str]] = typer.Option(None, "--mirror", metavar="URL",
                                               help="Mirror base URL, tried first (repeatable)."),
    connections: int = typer.Option(0, "--connections", metavar="N",
                                    help="Range connections per file (1-16; 0, the default: start with one "
                                         "and add one a second while the throughput grows, up to 8)."),
    from_local: Optional[list[str]] = typer.Option(None, "--from-local", metavar="DIR",
                                                   help="Folder with archives you already have."),
    verify_only: bool = typer.Option(False, "--verify-only",
                                     help="Only verify what is on disk (no network)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Print the plan and change nothing."),
    fmt: str = typer.Option("human", "--format", "-f", metavar="human|json", help="Output: human or json."),
    manifest: Optional[str] = typer.Option(None, "--manifest", metavar="FILE",
                                           help="Manifest YAML (default: coco.manifest in the config, else "
                                                "the bundled one)."),
    timeout: float = typer.Option(FETCH_STALL_TIMEOUT, "--timeout", metavar="SECONDS",
                                  help="Seconds without data before a mirror counts as stalled."),
    min_speed: float = typer.Option(1024.0, "--min-speed", metavar="BYTES",
                                    help="Bytes per second a connection must average over --timeout seconds "
                                         "(0: no minimum)."),
    config: Optional[str] = ConfigOpt,
    lang: Optional[str] = LangOpt,
) -> int:
    """Download COCO and build YOLO labels.

    Mirror-first, resumable, checked against pinned SHA-256; yolov3 or yolov5 layout, labels from the
    annotations."""
    from mlu_doctor.download import FetchRequest, fetch, plan_fetch
    from mlu_doctor.download.progress import NullProgress, progress_for_stderr
    from mlu_doctor.download.render import closing_text, exit_code, plan_text, result_text, to_json

    setup_language(lang)
    if fmt not in ("human", "json"):
        raise UsageError(_("unknown format {fmt!r}; choose human or json", fmt=fmt))
    check_timeout(timeout)
    if not 0 <= min_speed < 1e12:  # also refuses nan
        raise UsageError(_("--min-speed must be 0 or more bytes per second"))
    cfg = config_from(config)
    req = FetchRequest(
        year=year, dest=dest, parts=tuple(split_list(parts or ["train,val,annotations,labels"])),
        layout=layout, mirrors=tuple(mirror or ()), config_mirrors=cfg.coco_mirrors, connections=connections,
        from_local=tuple(from_local or ()), manifest=manifest or cfg.coco_manifest, verify_only=verify_only,
        timeout=timeout, min_rate=min_speed,
    )
    plan = plan_fetch(req)
    if dry_run:
        sys.stdout.write(to_json(plan, None) if fmt == "json" else plan_text(plan))
        return 0
    progress = progress_for_stderr() if fmt == "human" else NullProgress()
    try:
        result = fetch(plan, progress=progress)
    except KeyboardInterrupt:
        err(_("mlu-doctor: interrupted; partial downloads are kept in {folder} (*.part); run the same "
              "command again to resume", folder=os.path.join(dest, "downloads")))
        raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
    sys.stdout.write(to_json(plan, result) if fmt == "json" else result_text(result) + closing_text(result))
    for failed in result.failed:
        err(_("mlu-doctor: {error}", error=failed.note))
    return exit_code(result)
