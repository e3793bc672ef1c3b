"""A tar stream made on the fly: headers from small tuples, file data read in pieces, exact total length."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from mlu_doctor.inject.tree import DIR, FILE, LINK, Entry

BLOCK = 512
PIECE = 1 << 20  # ~1 MiB per yielded piece


def header(e: Entry, uid: int, gid: int, mtime: int | None = None) -> bytes:
    """The tar header of `e` (PAX when names are long or not ASCII), owned numerically by uid:gid."""
    mtime = e.mtime if mtime is None else mtime
    if _simple(e, uid, gid, mtime):
        return ustar(e, uid, gid, mtime)
    import tarfile  # only for PAX headers (long or non-ASCII names)

    info = tarfile.TarInfo(e.rel + ("/" if e.kind == DIR else ""))
    info.type = {DIR: tarfile.DIRTYPE, FILE: tarfile.REGTYPE, LINK: tarfile.SYMTYPE}[e.kind]
    info.size = e.size if e.kind == FILE else 0
    info.mtime = mtime
    info.mode = e.mode
    info.uid, info.gid, info.uname, info.gname = uid, gid, "", ""
    info.linkname = e.link
    return info.tobuf(tarfile.PAX_FORMAT, "utf-8", "surrogateescape")


def _simple(e: Entry, uid: int, gid: int, mtime: int) -> bool:
    """Whether a plain ustar header holds this entry exactly (the common case: short ASCII names)."""
    return (len(e.rel) < 100 and e.rel.isascii() and len(e.link) <= 100 and e.link.isascii()
            and 0 <= uid < 8**7 and 0 <= gid < 8**7 and e.size < 8**11 and 0 <= mtime < 8**11)


_TYPEFLAG = {DIR: b"5", FILE: b"0", LINK: b"2"}
_TAIL = b"ustar\x0000" + b"\0" * (64 + 16 + 167)


def ustar(e: Entry, uid: int, gid: int, mtime: int) -> bytes:
    """A POSIX ustar header built directly (~10x faster than tarfile for the common case)."""
    name = (e.rel + "/" if e.kind == DIR else e.rel).encode("ascii")
    size = e.size if e.kind == FILE else 0
    head = b"".join((name.ljust(100, b"\0"),
                     b"%07o\0%07o\0%07o\0%011o\0%011o\0" % (e.mode, uid, gid, size, mtime),
                     b"        ", _TYPEFLAG[e.kind], e.link.encode("ascii").ljust(100, b"\0"), _TAIL))
    return head[:148] + b"%06o\0 " % sum(head) + head[156:]


def header_len(e: Entry, uid: int, gid: int) -> int:
    return BLOCK if _simple(e, uid, gid, e.mtime) else len(header(e, uid, gid))


def padded(size: int) -> int:
    return -(-size // BLOCK) * BLOCK


def stream_length(entries: list[Entry], uid: int, gid: int) -> int:
    """Exact byte length of the stream `generate` yields for these entries."""
    return sum(header_len(e, uid, gid) + (padded(e.size) if e.kind == FILE else 0)
               for e in entries) + 2 * BLOCK


@dataclass
class StreamStats:
    """What happened while streaming: files changed or vanished since the scan (sent with mtime 0)."""

    changed: list[str] = field(default_factory=list)


def generate(src: str, entries: list[Entry], uid: int, gid: int, stats: StreamStats,
             strip: int = 0) -> Iterator[bytes]:
    """Yield the tar stream in ~1 MiB pieces; memory stays flat whatever the sizes.

    Files are read from src/rel[strip:] (entries re-rooted under DEST's missing folders keep their source
    path).
    """
    buf = bytearray()
    for e in entries:
        if e.kind != FILE:
            buf += header(e, uid, gid)
        else:
            yield from _file(os.path.join(src, e.rel[strip:]), e, uid, gid, stats, buf)
        if len(buf) >= PIECE:
            yield bytes(buf)
            buf.clear()
    buf += b"\0" * (2 * BLOCK)
    yield bytes(buf)


def _file(path: str, e: Entry, uid: int, gid: int, stats: StreamStats, buf: bytearray) -> Iterator[bytes]:
    """One regular file: exactly e.size bytes of data plus padding, whatever the file does meanwhile.

    A file that vanished or changed size since the scan keeps its declared size (zero-padded or cut)
    and gets mtime 0, so the listing check flags it and the next run sends it again.
    """
    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed below
    except OSError:
        fh = None
    st = os.fstat(fh.fileno()) if fh else None
    if st is None or st.st_size != e.size:
        stats.changed.append(e.rel)
    buf += header(e, uid, gid, mtime=None if st is not None and st.st_size == e.size else 0)
    remaining = e.size
    try:
        while remaining:
            data = fh.read(min(remaining, PIECE)) if fh else b""
            if not data:
                data = b"\0" * min(remaining, PIECE)
                if e.rel not in stats.changed:
                    stats.changed.append(e.rel)
            remaining -= len(data)
            buf += data
            if len(buf) >= PIECE:
                yield bytes(buf)
                buf.clear()
    finally:
        if fh:
            fh.close()
    buf += b"\0" * (padded(e.size) - e.size)


SMALL = 64 << 10  # files up to this size are copied into the buffer; bigger ones go by sendfile


def write_stream(out: Any, src: str, entries: list[Entry], uid: int, gid: int, stats: StreamStats,
                 strip: int = 0, update: Callable[[int], object] = lambda n: None) -> None:
    """Write the same tar stream as `generate` to `out` (a pipe with send(bytes) and sendfile(fh, count)).

    File data goes by sendfile (no copy through Python) except for small files, which are batched with
    the headers; `update(n)` is called with the bytes written, about once per MiB.
    """
    buf = bytearray()
    done = 0
    for e in entries:
        if e.kind != FILE:
            buf += header(e, uid, gid)
        else:
            done += _send_file(out, os.path.join(src, e.rel[strip:]), e, uid, gid, stats, buf)
        if len(buf) >= PIECE:
            out.send(bytes(buf))
            done += len(buf)
            buf.clear()
        if done >= PIECE:
            update(done)
            done = 0
    buf += b"\0" * (2 * BLOCK)
    out.send(bytes(buf))
    update(done + len(buf))


def _send_file(out: Any, path: str, e: Entry, uid: int, gid: int, stats: StreamStats, buf: bytearray) -> int:
    """Header, data and padding of one file (same rules as `_file`); returns the bytes sent from the file."""
    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed below
    except OSError:
        fh = None
    try:
        st = os.fstat(fh.fileno()) if fh else None
        whole = st is not None and st.st_size == e.size
        if not whole:
            stats.changed.append(e.rel)
        buf += header(e, uid, gid, mtime=None if whole else 0)
        if fh is not None and e.size <= SMALL:
            data = fh.read(e.size)
            sent = sent_all = 0
            buf += data
        else:
            flushed = len(buf)
            out.send(bytes(buf))
            buf.clear()
            data = b""
            sent = out.sendfile(fh, e.size) if fh is not None else 0
            sent_all = sent + flushed
        short = e.size - len(data) - sent
        if short:  # vanished or shrank meanwhile: keep the declared size, the listing check will flag it
            if e.rel not in stats.changed:
                stats.changed.append(e.rel)
            buf += b"\0" * short
    finally:
        if fh:
            fh.close()
    buf += b"\0" * (padded(e.size) - e.size)
    return sent_all

