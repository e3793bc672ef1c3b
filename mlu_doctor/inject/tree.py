"""Both sides of a copy as small tuples: the local tree (scanned without following links), the container's
listing (parsed from `find -exec stat`), and the difference that decides what is sent."""

from __future__ import annotations

import contextlib
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


class Skipped(NamedTuple):
    """A path of SRC that is not copied: `lost` when its data could not be read (the copy is incomplete),
    else a FIFO, socket or device (not dataset material)."""

    rel: str
    why: str
    lost: bool


def scan(src: str, skipped: list[Skipped] | None = None) -> Iterator[Entry]:
    """Directories before their contents, sorted; symlinks are entries, never followed. FIFOs, sockets and
    devices, and folders or entries that cannot be read, are left out and added to `skipped`; an entry gone
    since its folder was listed is left out silently."""
    stack = [""]
    while stack:
        rel = stack.pop()
        folder = os.path.join(src, rel) if rel else src
        try:
            with os.scandir(folder) as it:
                items = sorted(it, key=lambda d: d.name)
        except FileNotFoundError:
            continue
        except OSError as exc:
            if not rel:
                raise  # SRC itself: the caller's error
            _skip(skipped, Skipped(rel + "/", exc.strerror or str(exc), True))
            continue
        subdirs = []
        for item in items:
            entry = _entry(item, f"{rel}/{item.name}" if rel else item.name, skipped)
            if entry is None:
                continue
            yield entry
            if entry.kind == DIR:
                subdirs.append(entry.rel)
        stack.extend(reversed(subdirs))


def _skip(skipped: list[Skipped] | None, item: Skipped) -> None:
    if skipped is not None:
        skipped.append(item)


_IFMT, _IFDIR, _IFREG, _IFLNK = stat.S_IFMT(0o177777), stat.S_IFDIR, stat.S_IFREG, stat.S_IFLNK


def _entry(item: os.DirEntry, rel: str, skipped: list[Skipped] | None = None) -> Entry | None:
    try:
        st = item.stat(follow_symlinks=False)
        mode = st.st_mode
        kind = mode & _IFMT
        if kind == _IFREG:  # first: nearly every entry of a dataset
            return Entry(rel, FILE, st.st_size, int(st.st_mtime), mode & 0o7777)
        if kind == _IFDIR:
            return Entry(rel, DIR, 0, int(st.st_mtime), mode & 0o7777)
        if kind == _IFLNK:
            target = os.readlink(item.path)
            return Entry(rel, LINK, len(os.fsencode(target)), int(st.st_mtime), mode & 0o7777, target)
    except FileNotFoundError:  # removed since its folder was listed
        return None
    except OSError as exc:
        _skip(skipped, Skipped(rel, exc.strerror or str(exc), True))
        return None
    from mlu_doctor.system.files import file_kind

    _skip(skipped, Skipped(rel, file_kind(mode), False))  # sockets, fifos, devices: not dataset material
    return None


def odd_names(entries: Iterable[Entry]) -> list[str]:
    """Paths holding a newline: `find | stat` lines cannot carry them, so they are listed one by one."""
    return [e.rel for e in entries if "\n" in e.rel]


STAT_FORMAT = "%f %s %Y %n"
DF_MARK = "@@mlu-doctor-df@@"

# `find` leaves out paths holding a newline (one `stat` line per path cannot carry them): STAT_EACH lists
# them.
_NL = "nl=$(printf '\\n_'); nl=${nl%_}; "
_FIND = 'find . ! -path "*$nl*" -exec stat -c'
# One exec session: list DEST (cd follows a symlinked DEST; busybox find lacks -printf, so -exec stat),
# then name DEST's nearest existing ancestor, whether `tar` exists, and the free space there.
SURVEY_SCRIPT = (
    _NL + 'd="$1"; if cd "$d" 2>/dev/null; then ' + _FIND + ' "$2" {} + || echo "@@find-failed $?"; fi; '
    'echo "$3"; while [ ! -d "$d" ]; do d=$(dirname "$d"); done; echo "$d"; command -v tar || echo; df -Pk '
    '"$d"'
)
LIST_SCRIPT = _NL + 'cd "$1" && ' + _FIND + ' "$2" {} +'
# Unpack stdin into $1, then (same session, after tar has ended) list $2 for the verification.
TAR_SCRIPT = _NL + 'tar xf - -C "$1" || exit $?; cd "$2" && exec ' + _FIND + ' "$3" {} +'
# One line per path given (in order): `%f %s %Y`, or `-` when it is missing.
STAT_EACH = ('cd "$1" 2>/dev/null || exit 0; shift; '
             'for n; do stat -c "%f %s %Y" -- "$n" 2>/dev/null || echo -; done')
# One line per path given: its sha256, or `-` when it cannot be read.
SHA_EACH = ('cd "$1" || exit 0; shift; '
            'for n; do d=$(sha256sum < "$n" 2>/dev/null) && echo "${d%% *}" || echo -; done')


def parse_each(rels: list[str], text: str) -> dict[str, Remote]:
    """STAT_EACH's answer for `rels` -> {rel: Remote} of those that exist."""
    out: dict[str, Remote] = {}
    for rel, line in zip(rels, text.split("\n")):
        parts = line.split()
        if len(parts) == 3:
            with contextlib.suppress(ValueError):
                raw = parts[0]
                out[rel] = Remote(_KINDS.get(raw[0], "?") if len(raw) == 4 else _kind(int(raw, 16)),
                                  int(parts[1]), int(parts[2]))
    return out
_KINDS = {"8": FILE, "4": DIR, "a": LINK}  # file-type nibble of `stat -c %f` (4 hex digits for every type)


def parse_listing(text: str, out: dict[str, Remote] | None = None) -> dict[str, Remote]:
    """`stat -c '%f %s %Y %n'` lines of `find .` -> {path relative to DEST: Remote} (added to `out` if given);
    odd lines are ignored."""
    out = {} if out is None else out
    kinds = _KINDS
    for line in text.split("\n"):
        parts = line.split(" ", 3)
        if len(parts) != 4 or not parts[3].startswith("./"):
            continue
        raw = parts[0]
        try:
            kind = kinds.get(raw[0], "?") if len(raw) == 4 else _kind(int(raw, 16))
            out[parts[3][2:]] = Remote(kind, int(parts[1]), int(parts[2]))
        except ValueError:
            continue
    return out


class ListingParser:
    """Parses a listing while it streams in (the container is still listing); text after a line `mark` is
    kept."""

    def __init__(self, mark: str = "") -> None:
        self.remote: dict[str, Remote] = {}
        self.mark = (mark + "\n").encode() if mark else b""
        self.pending = bytearray()
        self.tail: bytearray | None = None
        self.text_seen: list[str] = []  # lines that are not listing lines ("@@find-failed ...")

    def feed(self, data: bytes) -> None:
        if self.tail is not None:
            self.tail += data
            return
        self.pending += data
        cut = self.pending.rfind(b"\n")
        if cut < 0:
            return
        chunk = bytes(self.pending[:cut + 1])
        del self.pending[:cut + 1]
        at = (b"\n" + chunk).find(b"\n" + self.mark) if self.mark else -1
        if at >= 0:
            self.tail = bytearray(chunk[at + len(self.mark):] + self.pending)
            self.pending.clear()
            chunk = chunk[:at]
        text = chunk.decode("utf-8", "surrogateescape")
        if "@@" in text:
            self.text_seen += [ln for ln in text.split("\n") if ln.startswith("@@")]
        parse_listing(text, self.remote)

    def finish(self) -> tuple[dict[str, Remote], str]:
        """The listing, and the text after the mark line (everything unparsed when the mark never came)."""
        if self.tail is None:
            self.feed(b"\n")
        return self.remote, bytes(self.tail or b"").decode("utf-8", "surrogateescape")


def _kind(raw: int) -> str:
    return DIR if stat.S_ISDIR(raw) else LINK if stat.S_ISLNK(raw) else FILE if stat.S_ISREG(raw) else "?"


def parse_df(text: str) -> int | None:
    """Available bytes from `df -Pk` output (last line, 4th column), None when unreadable."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    try:
        return int(lines[-1].split()[-3]) * 1024
    except (IndexError, ValueError):
        return None


def under(prefix: str, entries: list[Entry], mode: int, mtime: int) -> list[Entry]:
    """Entries re-rooted under `prefix` (missing folders of DEST), the prefix folders first."""
    if not prefix:
        return entries
    parts = prefix.split("/")
    folders = [Entry("/".join(parts[:i + 1]), DIR, 0, mtime, mode) for i in range(len(parts))]
    return folders + [e._replace(rel=f"{prefix}/{e.rel}") for e in entries]


def same(local: Entry, remote: Remote | None) -> bool:
    """Whether the container already holds this entry (dirs: exist; files: size+mtime; links: target
    length)."""
    if remote is None or remote.kind != local.kind:
        return False
    if local.kind == FILE:
        return remote.size == local.size and remote.mtime == local.mtime
    if local.kind == LINK:
        return remote.size == local.size
    return True


def diff(entries: Iterable[Entry], remote: dict[str, Remote]) -> tuple[list[Entry], list[str]]:
    """`to_send` and `conflicts` in one pass (a re-run of 20k files spends most of its own CPU here)."""
    pending: list[Entry] = []
    clash: list[str] = []
    get = remote.get
    for e in entries:
        r = get(e.rel)
        if r is None:
            pending.append(e)
        elif (r.kind == DIR) != (e.kind == DIR):
            clash.append(e.rel)
        elif not same(e, r):
            pending.append(e)
    return pending, clash


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
