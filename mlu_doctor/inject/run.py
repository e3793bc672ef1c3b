"""One injection: pre-flight (running, owner, space, DEST), send what is missing in batches, verify."""

from __future__ import annotations

import posixpath
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Optional

from mlu_doctor.errors import CannotRun, UsageError
from mlu_doctor.i18n import _
from mlu_doctor.inject.remote import Container
from mlu_doctor.inject.tarstream import SizedStream, StreamStats, generate, stream_length
from mlu_doctor.inject.tree import FILE, Entry, batches, conflicts, disk_bytes, scan, to_send, under
from mlu_doctor.inject.verify import verify

GiB = 1 << 30
TIMEOUT = 600.0  # per socket operation: a generator body is sent piece by piece, so this bounds a stall


@dataclass(frozen=True)
class InjectRequest:
    container: str
    src: str
    dest: str
    owner: Optional[tuple[int, int]] = None
    verify: str = "listing"  # listing | sha256 | none
    batch_size: int = GiB
    dry_run: bool = False


@dataclass
class InjectResult:
    container: str
    src: str
    dest: str
    owner: tuple[int, int] = (0, 0)
    files_total: int = 0
    bytes_total: int = 0
    files_sent: int = 0
    bytes_sent: int = 0
    entries_sent: int = 0
    batches: int = 0
    free_bytes: Optional[int] = None
    needed_bytes: int = 0
    seconds: float = 0.0
    dry_run: bool = False
    verify_method: str = "listing"
    verified: bool = False
    checked: int = 0
    mismatches: list[str] = field(default_factory=list)
    changed_during_copy: list[str] = field(default_factory=list)
    links_leaving_src: list[str] = field(default_factory=list)
    bind_mount: str = ""


def inject(req: InjectRequest, progress: bool = False, client: Any = None) -> InjectResult:
    """Copy req.src into req.container:req.dest, sending only what is missing or different."""
    from mlu_doctor.gateways.docker_api import connect, get_container

    start = time.monotonic()
    src, dest = check_paths(req.src, req.dest)
    client = client or connect(timeout=TIMEOUT)
    box = Container(client, get_container(client, req.container))
    box.require_running()
    entries = list(scan(src))
    res = InjectResult(box.name, src, dest, dry_run=req.dry_run, verify_method=req.verify,
                       files_total=sum(1 for e in entries if e.kind == FILE),
                       bytes_total=sum(e.size for e in entries if e.kind == FILE),
                       links_leaving_src=[e.rel for e in entries if e.kind == "l" and leaves(e)],
                       bind_mount=bind_mount_advice(box, src, dest))
    survey = box.survey(dest)
    remote = survey.remote
    clash = conflicts(entries, remote)
    if clash:
        raise CannotRun(conflict_message(box.name, dest, clash))
    pending = to_send(entries, remote)
    res.needed_bytes = disk_bytes(pending)
    res.files_sent = sum(1 for e in pending if e.kind == FILE)
    res.bytes_sent = sum(e.size for e in pending)
    res.entries_sent = len(pending)
    if pending:
        res.owner = req.owner or box.configured_owner()
        res.free_bytes = survey.free
        if res.needed_bytes > res.free_bytes:
            raise CannotRun(_("not enough space in {name}:{dest}: {need} bytes to send, {free} free; nothing was sent",
                              name=box.name, dest=dest, need=res.needed_bytes, free=res.free_bytes))
        if not req.dry_run:
            # DEST's missing folders travel in the archive (owned like the data), unpacked at the nearest
            # existing ancestor: no mkdir session, and the daemon's 404 for a missing path cannot happen.
            prefix = "" if survey.existing == dest else posixpath.relpath(dest, survey.existing)
            todo = under(prefix, pending, 0o755, int(time.time()))
            strip = len(prefix) + 1 if prefix else 0
            stats = send(box, src, survey.existing, todo, res.owner, req.batch_size, progress, strip)
            res.batches = len(batches(todo, req.batch_size))
            res.changed_during_copy = [c[strip:] for c in stats.changed]
    if not req.dry_run and req.verify != "none":
        # Nothing sent: the listing just compared is the verification; otherwise list and scan afresh.
        report = verify(box, src, dest, req.verify, None if pending else (entries, remote))
        res.verified, res.checked, res.mismatches = report.ok, report.checked, report.mismatches
    res.seconds = time.monotonic() - start
    return res


def check_paths(src: str, dest: str) -> tuple[str, str]:
    import os

    if not os.path.isdir(src):
        raise UsageError(_("SRC {path} is not a directory", path=src))
    if not dest.startswith("/"):
        raise UsageError(_("DEST {path} must be an absolute path inside the container", path=dest))
    dest = posixpath.normpath(dest)
    if dest == "/":
        raise UsageError(_("DEST must not be the container's root directory"))
    return os.path.realpath(src), dest


def leaves(e: Entry) -> bool:
    """Whether a symlink points outside SRC (kept as a link; its target may not exist in the container)."""
    if e.link.startswith("/"):
        return True
    depth = 0
    for part in e.rel.split("/")[:-1] + e.link.split("/"):
        depth += -1 if part == ".." else 0 if part in ("", ".") else 1
        if depth < 0:
            return True
    return False


def send(box: Container, src: str, dest: str, pending: list[Entry], owner: tuple[int, int],
         batch_size: int, progress: bool, strip: int = 0) -> StreamStats:
    """PUT the pending entries in batches (each one archive request, so the container lock is short)."""
    from tqdm import tqdm

    stats = StreamStats()
    work = [(batch, stream_length(batch, *owner)) for batch in batches(pending, batch_size)]
    with tqdm(total=sum(n for _b, n in work), unit="B", unit_scale=True, unit_divisor=1024, file=sys.stderr,
              disable=not progress, desc=f"{box.name}:{dest}") as bar:
        for batch, length in work:
            pieces = generate(src, batch, *owner, stats, strip)
            box.put_archive(dest, SizedStream(counted(pieces, bar.update), length))
    return stats


def counted(pieces: Iterator[bytes], update: Callable[[int], object]) -> Iterator[bytes]:
    for piece in pieces:
        yield piece
        update(len(piece))


def conflict_message(name: str, dest: str, paths: list[str]) -> str:
    shown = ", ".join(paths[:5]) + (" ..." if len(paths) > 5 else "")
    first = posixpath.join(dest, paths[0])
    return _("{n} path(s) in {name}:{dest} are a directory where SRC has a file, or the reverse: {paths}. "
             "The copy never replaces one with the other; nothing was sent. Remove them first, e.g. "
             "`docker exec {name} rm -rf -- {first}`", n=len(paths), name=name, dest=dest, paths=shown, first=first)


def bind_mount_advice(box: Container, src: str, dest: str) -> str:
    image = (box.c.attrs.get("Config") or {}).get("Image") or "IMAGE"
    return f"docker run -v {src}:{dest}:ro ... {image}"
