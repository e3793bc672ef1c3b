"""One injection: pre-flight (running, owner, space, DEST), send what is missing in batches, verify."""

from __future__ import annotations

import posixpath
import sys
import time
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Literal, Optional

from mlu_doctor.defaults import INJECT_STALL_TIMEOUT
from mlu_doctor.errors import CannotRun, UsageError
from mlu_doctor.i18n import _
from mlu_doctor.inject.bg import Background
from mlu_doctor.inject.remote import Container
from mlu_doctor.inject.tarstream import StreamStats, stream_length, write_stream
from mlu_doctor.inject.tree import (
    FILE,
    LINK,
    Entry,
    Remote,
    Skipped,
    batches,
    diff,
    disk_bytes,
    parse_listing,
    scan,
    under,
)
from mlu_doctor.inject.verify import VerifyMethod, verify, with_odd_names

GiB = 1 << 30
TIMEOUT = INJECT_STALL_TIMEOUT  # seconds the daemon may stay silent (no answer, no progress): then exit 4
Via = Literal["archive", "exec"]  # the archive API, or `tar` inside the container (no container lock)
VIAS: tuple[Via, ...] = ("archive", "exec")


@dataclass(frozen=True)
class InjectRequest:
    container: str
    src: str
    dest: str
    owner: Optional[tuple[int, int]] = None
    verify: VerifyMethod = "listing"
    batch_size: int = GiB
    dry_run: bool = False
    via: Via = "archive"
    timeout: float = TIMEOUT


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
    via: Literal["", "archive", "exec"] = ""  # how the data went ("": nothing was sent)
    free_bytes: Optional[int] = None
    needed_bytes: int = 0
    seconds: float = 0.0
    dry_run: bool = False
    verify_method: VerifyMethod = "listing"
    verified: bool = False
    checked: int = 0
    mismatches: list[str] = field(default_factory=list)
    changed_during_copy: list[str] = field(default_factory=list)
    links_leaving_src: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # FIFOs, sockets, devices in SRC: not copied
    unreadable: list[str] = field(default_factory=list)  # what could not be read: not copied (exit 3)
    bind_mount: str = ""
    # seconds per phase; "survey" (in the container) and "scan" (of SRC) run at the same time
    phases: dict[str, float] = field(default_factory=dict)


class Clock:
    def __init__(self, phases: dict[str, float]) -> None:
        self.phases, self.t = phases, time.monotonic()

    def lap(self, name: str) -> None:
        now = time.monotonic()
        self.phases[name] = round(self.phases.get(name, 0.0) + now - self.t, 4)
        self.t = now


def inject(req: InjectRequest, progress: bool = False, docker: Any = None) -> InjectResult:
    """Copy req.src into req.container:req.dest, sending only what is missing or different."""
    start = time.monotonic()
    src, dest = check_paths(req.src, req.dest)
    phases: dict[str, float] = {}
    clock = Clock(phases)
    if docker is None:
        from mlu_doctor.system.docker import connect

        docker = connect(timeout=req.timeout)
    box = Container.open(docker, req.container)
    box.dest = dest
    box.require_running()
    clock.lap("connect")
    # The container lists DEST while we scan SRC.
    survey_call = Background(box.survey, dest)
    skipped: list[Skipped] = []
    entries = list(scan(src, skipped))
    phases["scan"] = round(time.monotonic() - clock.t, 4)
    survey = survey_call.result()
    phases["survey"] = round(survey_call.seconds, 4)
    clock.lap("survey+scan")
    files = [e.size for e in entries if e.kind == FILE]
    res = InjectResult(box.name, src, dest, dry_run=req.dry_run, verify_method=req.verify, phases=phases,
                       files_total=len(files), bytes_total=sum(files),
                       links_leaving_src=[e.rel for e in entries if e.kind == LINK and leaves(e)],
                       skipped=[f"{s.rel} ({s.why})" for s in skipped if not s.lost],
                       unreadable=[f"{s.rel} ({s.why})" for s in skipped if s.lost],
                       bind_mount=bind_mount_advice(box, src, dest))
    remote = with_odd_names(box, dest, entries, survey.remote)
    pending, clash = diff(entries, remote)
    if clash:
        raise CannotRun(conflict_message(box.name, dest, clash))
    res.needed_bytes = disk_bytes(pending)
    res.files_sent = sum(1 for e in pending if e.kind == FILE)
    res.bytes_sent = sum(e.size for e in pending)
    res.entries_sent = len(pending)
    clock.lap("plan")
    # Nothing sent: the listing just compared is the verification (no second listing, no second scan).
    known = None if pending else (entries, remote)
    if pending:
        res.owner = req.owner or box.configured_owner()
        res.free_bytes = survey.free
        clock.lap("owner")
        if res.needed_bytes > res.free_bytes:
            raise CannotRun(_("not enough space in {name}:{dest}: {need} bytes to send, {free} free; nothing "
                              "was sent",
                              name=box.name, dest=dest, need=res.needed_bytes, free=res.free_bytes))
        if not req.dry_run:
            # DEST's missing folders travel in the archive (owned like the data), unpacked at the nearest
            # existing ancestor: no mkdir session, and the daemon's 404 for a missing path cannot happen.
            prefix = "" if survey.existing == dest else posixpath.relpath(dest, survey.existing)
            todo = under(prefix, pending, 0o755, int(time.time()))
            strip = len(prefix) + 1 if prefix else 0
            res.via = choose_via(req.via, survey.tar, box)
            if res.via == "exec":
                stats, known = stream(box, src, survey.existing, todo, res.owner, progress, strip,
                                      dest if req.verify != "none" else None)
                res.batches = 1
            else:
                stats = send(box, src, survey.existing, todo, res.owner, req.batch_size, progress, strip)
                res.batches = len(batches(todo, req.batch_size))
            res.changed_during_copy = [c[strip:] for c in stats.changed]
            clock.lap("send")
    if not req.dry_run and req.verify != "none":
        report = verify(box, src, dest, req.verify, known, None if pending else [])
        res.verified, res.checked, res.mismatches = report.ok, report.checked, report.mismatches
        clock.lap("verify")
    res.seconds = time.monotonic() - start
    return res


def choose_via(wanted: Via, has_tar: bool, box: Container) -> Via:
    """exec only on request, and only when the container has tar and the connection can end stdin while it
    reads the output (not over TLS)."""
    if wanted == "exec" and not has_tar:
        raise UsageError(_("--via exec needs `tar` in {name}; use --via archive", name=box.name))
    if wanted == "exec" and not box.docker.half_close:
        raise UsageError(_("--via exec cannot end tar's input over a TLS connection to the daemon; use --via "
                           "archive"))
    return wanted


def check_paths(src: str, dest: str) -> tuple[str, str]:
    import os

    if not os.path.isdir(src):
        raise UsageError(_("SRC {path} is not a directory", path=src))
    if not dest.startswith("/"):
        raise UsageError(_("DEST {path} must be an absolute path inside the container", path=dest))
    if "\0" in dest:
        raise UsageError(_("DEST {path} must be an absolute path inside the container", path=repr(dest)))
    dest = posixpath.normpath("/" + dest.lstrip("/"))  # normpath keeps a leading `//` (POSIX): `//` is `/`
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


def stream(box: Container, src: str, base: str, todo: list[Entry], owner: tuple[int, int], progress: bool,
           strip: int, list_dest: Optional[str]) -> tuple[StreamStats,
                                                          Optional[tuple[list[Entry], dict[str, Remote]]]]:
    """Pipe the tar stream into `tar xf -` inside the container (one exec session, no container lock).

    With `list_dest`, the same session lists DEST once tar has finished, while SRC is scanned again here:
    returns that scan and listing for the verification.
    """
    stats = StreamStats()
    pipe = box.tar_pipe(base, list_dest)
    try:
        with progress_bar(stream_length(todo, *owner), f"{box.name}:{base}", progress) as bar:
            write_stream(pipe, src, todo, *owner, stats, strip, bar.update)
    except OSError:  # tar ended early (the pipe broke): its exit code and message say why
        try:
            code, _out, err = pipe.finish()
        except CannotRun as exc:
            raise box.broken(exc) from None
        raise box.failed(["tar", "xf", "-"], code or 1, err.decode("utf-8", "replace")) from None
    except BaseException:
        pipe.abort()
        raise
    pipe.close_stdin()
    local = list(scan(src)) if list_dest else []
    try:
        code, out, err = pipe.finish()
    except CannotRun as exc:
        raise box.broken(exc) from None
    if code != 0:
        raise box.failed(["tar", "xf", "-"], code, err.decode("utf-8", "replace"))
    links = [e.rel for e in todo if e.kind == LINK]
    if links and owner != (0, 0):
        box.chown_links(base, links, owner)
    if not list_dest:
        return stats, None
    return stats, (local, with_odd_names(box, list_dest, local,
                                         parse_listing(out.decode("utf-8", "surrogateescape"))))



def send(box: Container, src: str, dest: str, pending: list[Entry], owner: tuple[int, int],
         batch_size: int, progress: bool, strip: int = 0) -> StreamStats:
    """PUT the pending entries in batches (each one archive request, so the container lock is short)."""
    stats = StreamStats()
    work = [(batch, stream_length(batch, *owner)) for batch in batches(pending, batch_size)]
    with progress_bar(sum(n for _b, n in work), f"{box.name}:{dest}", progress) as bar:
        for batch, length in work:  # file data goes by sendfile on the SDK's connection
            box.put_archive(dest, partial(write_stream, src=src, entries=batch, uid=owner[0], gid=owner[1],
                                          stats=stats, strip=strip, update=bar.update), length)
            box.still_running()  # killed or removed meanwhile: stop now, say so
    return stats


class _NoBar:
    def __enter__(self) -> _NoBar:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def update(self, n: int) -> None:
        return None


def progress_bar(total: int, desc: str, progress: bool) -> Any:
    """A tqdm bar on stderr with the exact total; nothing (not even the import) without a terminal."""
    if not progress:
        return _NoBar()
    from tqdm import tqdm

    return tqdm(total=total, unit="B", unit_scale=True, unit_divisor=1024, file=sys.stderr, desc=desc)


def conflict_message(name: str, dest: str, paths: list[str]) -> str:
    shown = ", ".join(paths[:5]) + (" ..." if len(paths) > 5 else "")
    first = posixpath.join(dest, paths[0])
    return _("{n} path(s) in {name}:{dest} are a directory where SRC has a file, or the reverse: {paths}. "
             "The copy never replaces one with the other; nothing was sent. Remove them first, e.g. "
             "`docker exec {name} rm -rf -- {first}`", n=len(paths), name=name, dest=dest, paths=shown,
             first=first)


def bind_mount_advice(box: Container, src: str, dest: str) -> str:
    image = (box.attrs.get("Config") or {}).get("Image") or "IMAGE"
    return f"docker run -v {src}:{dest}:ro ... {image}"
