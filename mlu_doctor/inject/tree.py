"""Both sides of a copy as small tuples: the local tree (scanned without following links), the container's
listing (parsed from `find -exec stat`), and the difference that decides what is sent."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from typing import NamedTuple

DIR, FILE, LINK = "d", "f", "l"


class Entry(NamedTuple):
    """One local path, relative to SRC (posix separators)."""

    rel: str
    kind: str
    size: int
    mtime: int
    mode: int
    link: str = ""


class Remote(NamedTuple):
    kind: str
    size: int
    mtime: int


def scan(src: str) -> Iterator[Entry]:
    """Directories before their contents, sorted; symlinks are entries, never followed; others skipped."""
    stack = [""]
    while stack:
        rel = stack.pop()
        folder = os.path.join(src, rel) if rel else src
        with os.scandir(folder) as it:
            items = sorted(it, key=lambda d: d.name)
        subdirs = []
        for item in items:
            entry = _entry(item, f"{rel}/{item.name}" if rel else item.name)
            if entry is None:
                continue
            yield entry
            if entry.kind == DIR:
                subdirs.append(entry.rel)
        stack.extend(reversed(subdirs))


def _entry(item: os.DirEntry, rel: str) -> Entry | None:
    st = item.stat(follow_symlinks=False)
    mode = stat.S_IMODE(st.st_mode)
    if stat.S_ISDIR(st.st_mode):
        return Entry(rel, DIR, 0, int(st.st_mtime), mode)
    if stat.S_ISREG(st.st_mode):
        return Entry(rel, FILE, st.st_size, int(st.st_mtime), mode)
    if stat.S_ISLNK(st.st_mode):
        target = os.readlink(item.path)
        return Entry(rel, LINK, len(os.fsencode(target)), int(st.st_mtime), mode, target)
    return None  # sockets, fifos, devices: not dataset material


def stat_command(dest: str) -> list[str]:
    """List DEST with kind, size and mtime; works with GNU findutils/coreutils and busybox (no -printf)."""
    return ["find", dest, "-exec", "stat", "-c", "%f %s %Y %n", "{}", "+"]


def parse_listing(text: str, dest: str) -> dict[str, Remote]:
    """`stat -c '%f %s %Y %n'` lines -> {path relative to DEST: Remote}. Unparseable lines are ignored."""
    prefix = dest.rstrip("/") + "/"
    out: dict[str, Remote] = {}
    for line in text.split("\n"):
        parts = line.split(" ", 3)
        if len(parts) != 4 or not parts[3].startswith(prefix):
            continue
        try:
            raw, size, mtime = int(parts[0], 16), int(parts[1]), int(parts[2])
        except ValueError:
            continue
        kind = DIR if stat.S_ISDIR(raw) else LINK if stat.S_ISLNK(raw) else FILE if stat.S_ISREG(raw) else "?"
        out[parts[3][len(prefix):]] = Remote(kind, size, mtime)
    return out


def same(local: Entry, remote: Remote | None) -> bool:
    """Whether the container already holds this entry (dirs: exist; files: size+mtime; links: target length)."""
    if remote is None or remote.kind != local.kind:
        return False
    if local.kind == FILE:
        return remote.size == local.size and remote.mtime == local.mtime
    if local.kind == LINK:
        return remote.size == local.size
    return True


def conflicts(entries: Iterable[Entry], remote: dict[str, Remote]) -> list[str]:
    """Paths where a directory would replace a non-directory or the reverse (the daemon refuses those)."""
    out = []
    for e in entries:
        r = remote.get(e.rel)
        if r is not None and (r.kind == DIR) != (e.kind == DIR):
            out.append(e.rel)
    return out


def to_send(entries: Iterable[Entry], remote: dict[str, Remote]) -> list[Entry]:
    return [e for e in entries if not same(e, remote.get(e.rel))]


def batches(entries: list[Entry], limit: int) -> list[list[Entry]]:
    """Split in order into batches of at most `limit` file bytes (a bigger file gets a batch of its own)."""
    out: list[list[Entry]] = []
    current: list[Entry] = []
    size = 0
    for e in entries:
        if current and size + e.size > limit:
            out.append(current)
            current, size = [], 0
        current.append(e)
        size += e.size
    if current:
        out.append(current)
    return out


def disk_bytes(entries: Iterable[Entry], block: int = 4096) -> int:
    """Space the entries take on a filesystem with `block`-byte blocks (an estimate: rounded up per file)."""
    return sum(-(-e.size // block) * block if e.kind == FILE else block for e in entries)
