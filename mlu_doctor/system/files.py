"""Files of a System: the read-only protocol, bounded reads of local files, decoding, glob."""

from __future__ import annotations

import errno
import fnmatch
import os
import posixpath
import stat
from typing import Protocol

from mlu_doctor.defaults import READ_LIMIT

CHUNK = 64 * 1024


class FileSource(Protocol):
    """Read-only view of a filesystem addressed by absolute POSIX paths. Missing or unreadable ->
    None/False."""

    label: str

    def read_bytes(self, path: str, limit: int = READ_LIMIT) -> bytes | None: ...
    def read_text(self, path: str, limit: int = READ_LIMIT) -> str | None: ...
    def listdir(self, path: str) -> list[str] | None: ...
    def is_dir(self, path: str) -> bool: ...
    def is_file(self, path: str) -> bool: ...
    def exists(self, path: str) -> bool: ...
    def readlink(self, path: str) -> str | None: ...
    def glob(self, pattern: str) -> list[str]: ...


class NotRegularFile(OSError):
    """A FIFO, socket, device or directory where a regular file was expected (never read)."""

    def __init__(self, path: str, mode: int) -> None:
        super().__init__(f"{path}: not a regular file ({file_kind(mode)})")
        self.filename, self.kind = path, file_kind(mode)


def file_kind(mode: int) -> str:
    """Words for a file type, in the message language: a FIFO, a socket, a device, a directory..."""
    from mlu_doctor.i18n import _

    if stat.S_ISFIFO(mode):
        return _("a FIFO (named pipe)")
    if stat.S_ISSOCK(mode):
        return _("a socket")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return _("a device")
    if stat.S_ISDIR(mode):
        return _("a directory")
    return _("a symbolic link") if stat.S_ISLNK(mode) else _("a special file")


def open_regular(path: str, follow: bool = True) -> tuple[int, os.stat_result]:
    """(fd, stat) of a regular file, opened without blocking (FIFOs) and, unless `follow`, not through a
    symlink; raises OSError, NotRegularFile for anything else."""
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | (0 if follow else os.O_NOFOLLOW)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno in (errno.ENXIO, errno.ENODEV, errno.EOPNOTSUPP):  # a socket, a device without a driver
            mode = (os.stat if follow else os.lstat)(path).st_mode
            if not stat.S_ISREG(mode):
                raise NotRegularFile(path, mode) from None
        raise
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise NotRegularFile(path, st.st_mode)
    except BaseException:
        os.close(fd)
        raise
    return fd, st


def read_fd(fd: int, limit: int, size: int = 0) -> bytes:
    """At most `limit` bytes from `fd`; `size` (from fstat; 0 for /proc files) saves the read that sees
    EOF."""
    chunks: list[bytes] = []
    left = limit
    while left > 0:
        want = min(left, max(size + 1, CHUNK) if size else CHUNK)
        try:
            chunk = os.read(fd, want)
        except BlockingIOError:  # a regular file that honours O_NONBLOCK (/proc/kmsg): no data now
            break
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
        if size and len(chunk) < want:  # a short read of a file with a real size is its end
            break
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def read_regular(path: str, limit: int = READ_LIMIT, follow: bool = True) -> bytes:
    """At most `limit` bytes of the regular file `path`; raises OSError (NotRegularFile for FIFOs,
    devices...)."""
    fd, st = open_regular(path, follow)
    try:
        return read_fd(fd, limit, st.st_size)
    finally:
        os.close(fd)


def decode_text(data: bytes) -> str:
    """UTF-8 with undecodable bytes replaced and NULs dropped (proc files may hold both)."""
    return data.decode("utf-8", errors="replace").replace("\x00", "")


def glob_with(fs: FileSource, pattern: str) -> list[str]:
    """Expand a glob (`*`, `?`, `[...]` per component, no `**`) using only listdir/exists."""
    parts = [p for p in pattern.split("/") if p]
    paths = ["/"]
    for part in parts:
        nxt: list[str] = []
        for base in paths:
            if any(c in part for c in "*?["):
                names = fs.listdir(base) or []
                nxt.extend(posixpath.join(base, n) for n in names if fnmatch.fnmatchcase(n, part))
            elif fs.exists(posixpath.join(base, part)):
                nxt.append(posixpath.join(base, part))
        paths = nxt
    return sorted(paths)
