"""The one atomic file write: every file a user names (-o) and every state file the tool keeps goes through
it.

A temporary file in the target's folder is written, flushed to disk and renamed over the target, so a reader
(node_exporter, CI, the next run after a kill -9) sees the old file or the new one, never a part. A target
that is a FIFO, a device, a socket or a directory is refused (exit 2): it is never replaced, and never written
in place (a FIFO with no reader would block; a device is not an output file). A symlink is followed: the file
it leads to is replaced and the link stays a link. A replaced file keeps its mode (and its owner, when the
user may set it).
"""

from __future__ import annotations

import contextlib
import os
import stat
from typing import Optional, Union

from mlu_doctor.errors import CannotRun, UsageError
from mlu_doctor.i18n import _

NEW_FILE_MODE = 0o666  # as open(): the umask applies


def write_atomic(path: str, data: Union[bytes, str], mode: Optional[int] = None, *, sync: bool = True,
                 follow_symlinks: bool = True) -> None:
    """Replace `path` with `data` (str is written as UTF-8) in one rename.

    `mode`: the permission bits of a new file (default 0o666; the umask applies); an existing file keeps its
    own. `sync=False` skips the flushes (a state file rewritten several times a second, durable elsewhere).
    `follow_symlinks=False` replaces a symlink itself instead of the file it leads to (the tool's own
    folders). A target that is not a regular file: UsageError (exit 2), or CannotRun (exit 4) for the tool's
    own files (`follow_symlinks=False`); CannotRun when the write fails."""
    dest = target_of(path, follow_symlinks)
    old = _stat(dest, path, follow_symlinks)
    blob = data.encode("utf-8") if isinstance(data, str) else data
    folder = os.path.dirname(dest) or "."
    tmp = ""
    try:
        fd, tmp = _create_temp(folder, os.path.basename(dest), NEW_FILE_MODE if mode is None else mode)
        with os.fdopen(fd, "wb") as fh:
            if old is not None:
                _keep_owner_and_mode(fh.fileno(), old)
            fh.write(blob)
            fh.flush()
            if sync:
                os.fsync(fh.fileno())
        os.replace(tmp, dest)
        tmp = ""
        if sync:
            _sync_folder(folder)
    except OSError as exc:
        raise CannotRun(_("cannot write {path}: {error}", path=path, error=exc.strerror or exc)) from None
    finally:
        if tmp:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def target_of(path: str, follow_symlinks: bool = True) -> str:
    """The path that is replaced: a symlink's final target (unless `follow_symlinks` is False)."""
    return os.path.realpath(path) if follow_symlinks else path


def refuse_special(path: str, follow_symlinks: bool = True) -> None:
    """UsageError (exit 2) when `path` is a FIFO, device, socket or directory: checked before any write."""
    _stat(target_of(path, follow_symlinks), path, follow_symlinks)


def _stat(dest: str, path: str, follow_symlinks: bool) -> Optional[os.stat_result]:
    """The stat of an existing regular file (or, not following, a symlink) at `dest`; None when there is
    none."""
    try:
        st = os.stat(dest) if follow_symlinks else os.lstat(dest)
    except FileNotFoundError:
        return None
    except OSError as exc:  # a loop of links, a folder on the way that is a file, no permission
        raise CannotRun(_("cannot write {path}: {error}", path=path, error=exc.strerror or exc)) from None
    if stat.S_ISREG(st.st_mode) or stat.S_ISLNK(st.st_mode):
        return st
    from mlu_doctor.system.files import file_kind

    # a path the user named is a usage error; a FIFO or folder where the tool keeps its own records is not
    error = UsageError if follow_symlinks else CannotRun
    raise error(_("cannot write {path}: it is not a regular file but {kind}", path=path,
                  kind=file_kind(st.st_mode)))


def _create_temp(folder: str, name: str, mode: int) -> tuple[int, str]:
    """A new file beside the target, created exclusively (never through a link planted under its name)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    for _attempt in range(100):
        tmp = os.path.join(folder, f".{name}.{os.urandom(4).hex()}.tmp")
        try:
            return os.open(tmp, flags, mode), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name in {folder}")


def _keep_owner_and_mode(fd: int, old: os.stat_result) -> None:
    """The replaced file's owner (best effort: only root may give a file away) and permission bits."""
    if stat.S_ISLNK(old.st_mode):  # a link replaced by a file: a new file
        return
    if (old.st_uid, old.st_gid) != (os.geteuid(), os.getegid()):
        with contextlib.suppress(OSError):
            os.fchown(fd, old.st_uid, old.st_gid)
    os.fchmod(fd, stat.S_IMODE(old.st_mode))


def _sync_folder(folder: str) -> None:
    """Flush the rename itself (best effort: not every filesystem syncs a folder)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
