"""Recognise what a mirror sent before trusting it: error pages, wrong ranges, wrong file types."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Optional

from mlu_doctor.i18n import _

ZIP_MAGIC = b"PK\x03\x04"
_HTML_START = (b"<!doctype", b"<html", b"<?xml", b"<head", b"<body")
_CONTENT_RANGE = re.compile(r"bytes\s+(\d+)-(\d+)/(\d+|\*)")


def error_page(headers: Mapping[str, str], first: bytes) -> Optional[str]:
    """Why this reply looks like an HTML/quota/error page instead of archive bytes, or None."""
    ctype = (headers.get("Content-Type") or "").split(";")[0].strip().lower()
    if ctype in ("text/html", "application/xhtml+xml", "application/json", "text/xml", "application/xml"):
        return _("served an HTML/error page ({type}), not the archive", type=ctype)
    head = first[:256].lstrip().lower()
    if head.startswith(_HTML_START):
        return _("served an HTML page (an error, quota or login page), not the archive")
    return None


def bad_magic(name: str, offset: int, first: bytes) -> Optional[str]:
    """A zip archive must start with PK\\x03\\x04."""
    if offset == 0 and name.lower().endswith(".zip") and len(first) >= 4 and not first.startswith(ZIP_MAGIC):
        return _("the first bytes are {bytes}, not a zip file (PK\\x03\\x04)", bytes=repr(first[:8]))
    return None


def content_range(headers: Mapping[str, str]) -> Optional[tuple[int, int, Optional[int]]]:
    """(first, last, total) from Content-Range, total None when '*'."""
    match = _CONTENT_RANGE.match((headers.get("Content-Range") or "").strip())
    if not match:
        return None
    total = None if match.group(3) == "*" else int(match.group(3))
    return int(match.group(1)), int(match.group(2)), total


def reply_size(status: int, headers: Mapping[str, str]) -> Optional[int]:
    """The full size of the file as the reply announces it."""
    if status == 206:
        rng = content_range(headers)
        return rng[2] if rng else None
    length = headers.get("Content-Length")
    return int(length) if length and length.isdigit() else None
