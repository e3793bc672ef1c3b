"""Changing files where a plan (or a journal) says, and nowhere else.

Folders are opened from `/` one component at a time with O_NOFOLLOW, so no symlink is ever followed on the
way; files are read, replaced (temporary file + rename in the same folder) and removed relative to their
folder's descriptor. A symlink or a non-regular file where a file is expected is refused, never written
through or replaced. Reads are bounded and never block (O_NONBLOCK: a FIFO reads as refused, not a hang).
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from collections.abc import Callable, Iterator
from typing import Optional

from mlu_doctor.i18n import _
from mlu_doctor.system.files import READ_LIMIT, file_kind, read_fd

O_DIR = os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC | os.O_NOFOLLOW


class Refused(Exception):
    """A path that would be reached through a symlink, or is not what it should be: nothing was written."""


def checked_path(path: str) -> list[str]:
    """The components of an absolute, normalised path; Refused for anything else (paths from data)."""
    parts = path.split("/")[1:] if path.startswith("/") else []
    if not parts or "\0" in path or any(p in ("", ".", "..") for p in parts):
        raise Refused(_("{path}: not an absolute, normalised path", path=repr(path)))
    return parts


def _why(fd: int, name: str, here: str, want: str) -> str:
    """Why `name` in folder `fd` is not the `want` ("folder" or "file") expected."""
    try:
        mode = os.lstat(name, dir_fd=fd).st_mode
    except OSError as exc:
        return f"{here}: {exc.strerror}"
    if stat.S_ISLNK(mode):
        return _("{path} is a symbolic link; mlu-doctor does not write through it", path=here)
    if want == "folder":
        return _("{path} is {kind}, not a folder", path=here, kind=file_kind(mode))
    return _("{path} is {kind}; mlu-doctor edits regular files only", path=here, kind=file_kind(mode))


@contextlib.contextmanager
def folder(path: str, make: Optional[Callable[[str], None]] = None, mode: int = 0o755) -> Iterator[int]:
    """A descriptor of folder `path` reached without following symlinks. With `make`, missing folders are
    created (make(path) is called first for each: the journal records it before the change)."""
    fd = os.open("/", O_DIR)
    here = ""
    try:
        for name in (checked_path(path) if path != "/" else []):
            here += "/" + name
            try:
                nfd = os.open(name, O_DIR, dir_fd=fd)
            except FileNotFoundError:
                if make is None:
                    raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), here) from None
                make(here)
                os.mkdir(name, mode, dir_fd=fd)
                nfd = os.open(name, O_DIR, dir_fd=fd)
            except OSError as exc:
                if exc.errno in (errno.ELOOP, errno.ENOTDIR):
                    raise Refused(_why(fd, name, here, "folder")) from None
                raise OSError(exc.errno, exc.strerror, here) from None
            os.close(fd)
            fd = nfd
        yield fd
    finally:
        os.close(fd)


def lstat_at(fd: int, name: str) -> Optional[os.stat_result]:
    try:
        return os.lstat(name, dir_fd=fd)
    except FileNotFoundError:
        return None


def read_at(fd: int, name: str, here: str, limit: int = READ_LIMIT) -> Optional[bytes]:
    """The bytes of regular file `name` (None when missing); Refused for a symlink, a FIFO, a folder, or a
    file larger than `limit`."""
    try:
        ffd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=fd)
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.EISDIR, errno.ENXIO):
            raise Refused(_why(fd, name, here, "file")) from None
        raise OSError(exc.errno, exc.strerror, here) from None
    try:
        st = os.fstat(ffd)
        if not stat.S_ISREG(st.st_mode):
            raise Refused(_why(fd, name, here, "file"))
        data = read_fd(ffd, limit + 1, st.st_size)
    finally:
        os.close(ffd)
    if len(data) > limit:
        raise Refused(_("{path} is larger than {mib} MiB; mlu-doctor does not edit it",
                        path=here, mib=limit // (1024 * 1024)))
    return data


def replace_at(fd: int, name: str, here: str, data: bytes, mode: int) -> None:
    """Make `name` hold `data` with `mode`: a temporary file in the same folder renamed over it. The owner
    of a replaced file is kept when allowed (a fix run with sudo does not take over ~/.bashrc)."""
    st = lstat_at(fd, name)
    if st is not None and not stat.S_ISREG(st.st_mode):
        raise Refused(_why(fd, name, here, "file"))
    tmp = f".mlu-doctor-{secrets.token_hex(6)}.tmp"
    tfd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600, dir_fd=fd)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(tfd, view):]
            os.fchmod(tfd, mode)
            if st is not None and (st.st_uid, st.st_gid) != (os.geteuid(), os.getegid()):
                with contextlib.suppress(PermissionError):
                    os.fchown(tfd, st.st_uid, st.st_gid)
            os.fsync(tfd)
        finally:
            os.close(tfd)
        os.rename(tmp, name, src_dir_fd=fd, dst_dir_fd=fd)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp, dir_fd=fd)
        raise


def remove_at(fd: int, name: str, here: str) -> bool:
    """Remove regular file `name`; False when it was already gone."""
    st = lstat_at(fd, name)
    if st is None:
        return False
    if not stat.S_ISREG(st.st_mode):
        raise Refused(_why(fd, name, here, "file"))
    os.unlink(name, dir_fd=fd)
    return True


def rmdir_at(fd: int, name: str, here: str) -> bool:
    """Remove empty folder `name`; False when it was already gone; OSError(ENOTEMPTY) when it holds files."""
    st = lstat_at(fd, name)
    if st is None:
        return False
    if not stat.S_ISDIR(st.st_mode):
        raise Refused(_why(fd, name, here, "folder"))
    os.rmdir(name, dir_fd=fd)
    return True
