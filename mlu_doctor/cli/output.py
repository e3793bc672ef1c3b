"""Writing a rendered report: to stdout, or atomically to a file (temp file in the same folder + os.replace)."""

from __future__ import annotations

import contextlib
import errno
import io
import os
import sys
from typing import Any

from mlu_doctor.errors import CannotRun, UsageError
from mlu_doctor.i18n import _
from mlu_doctor.models import Report, Status
from mlu_doctor.report import render

FAIL_ON = {"warn": Status.WARN, "fail": Status.FAIL}


def fail_on_status(fail_on: str | None, strict: bool) -> Status:
    """--fail-on warn|fail (default fail); --strict means --fail-on warn."""
    if fail_on is None:
        return Status.WARN if strict else Status.FAIL
    if fail_on not in FAIL_ON:
        raise UsageError(_("--fail-on must be one of: {choices}", choices=", ".join(FAIL_ON)))
    if strict and fail_on != "warn":
        raise UsageError(_("--strict means --fail-on warn; it contradicts --fail-on {value}", value=fail_on))
    return FAIL_ON[fail_on]


def write_atomic(path: str, text: str) -> None:
    """Replace `path` with `text` in one step: readers (node_exporter, CI) never see a partial file."""
    import tempfile  # only when writing a file: keeps `check` startup lean

    if os.path.exists(path) and not os.path.isfile(path):  # /dev/stdout, a FIFO: write in place, never replace it
        _write_in_place(path, text)
        return
    folder = os.path.dirname(os.path.abspath(path))
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise CannotRun(_("cannot write {path}: {error}", path=path, error=exc.strerror or exc)) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise CannotRun(_("cannot write {path}: {error}", path=path, error=exc.strerror or exc)) from None


def _write_in_place(path: str, text: str) -> None:
    if os.path.isdir(path):
        raise CannotRun(_("cannot write {path}: {error}", path=path, error=os.strerror(errno.EISDIR)))
    try:
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
    except OSError as exc:
        raise CannotRun(_("cannot write {path}: {error}", path=path, error=exc.strerror or exc)) from None


def emit(report: Report, fmt: str, output: str | None, verbose: bool = False, **options: Any) -> None:
    """Render `fmt` to stdout, or to `output` atomically while stdout gets the human report."""
    if not output or output == "-":
        sys.stdout.write(render(report, fmt, verbose=verbose, stream=sys.stdout, **options))
        return
    text = render(report, fmt, verbose=verbose, stream=io.StringIO(), **options)
    write_atomic(output, text)
    sys.stdout.write(render(report, "human", verbose=verbose, stream=sys.stdout, **options))
    sys.stderr.write(_("mlu-doctor: wrote the {fmt} report to {path}", fmt=fmt, path=output) + "\n")
