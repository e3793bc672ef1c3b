"""Where a plan's writes land, read through the System: symlinks resolved, refusals with their reason.

A plan names every file it writes and every folder it creates. When a symlink leads there, the plan
names both (`~/.bashrc -> /home/u/dotfiles/bashrc (symlink): the target is edited`) and apply writes the
target only; a start-up file whose link leads outside HOME, or to something that is not a regular file,
is refused with the reason. Pure: reads only, through a FileSource.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from typing import Optional

from mlu_doctor.i18n import _
from mlu_doctor.system.files import READ_LIMIT, FileSource

MAX_LINKS = 40  # like Linux: more links in one resolution is a loop


def resolve(fs: FileSource, path: str) -> Optional[str]:
    """`path` with every symlink resolved, component by component (missing tails kept as they are);
    None for a loop."""
    todo = [p for p in reversed(path.split("/"))]
    done, links = "/", 0
    while todo:
        name = todo.pop()
        if name in ("", "."):
            continue
        if name == "..":
            done = posixpath.dirname(done)
            continue
        here = posixpath.join(done, name)
        target = fs.readlink(here)
        if target is None:
            done = here
            continue
        links += 1
        if links > MAX_LINKS:
            return None
        if target.startswith("/"):
            done = "/"
        todo.extend(reversed(target.split("/")))
    return done


def inside(path: str, folder: str) -> bool:
    """`path` is `folder` or below it (both normalised, absolute)."""
    folder = folder.rstrip("/") or "/"
    return path == folder or path.startswith(folder + "/") or folder == "/"


def kind_of(fs: FileSource, path: str) -> str:
    """Words for what is at `path`: a directory, a file, or something else."""
    if fs.is_dir(path):
        return _("a directory")
    return _("a file") if fs.is_file(path) else _("not a regular file (a FIFO, socket or device)")


@dataclass(frozen=True)
class FileTarget:
    """A file a plan writes: as the user names it, where the bytes go, what it holds now, or why not."""

    path: str
    real: str
    before: Optional[bytes] = None
    refused: Optional[str] = None

    @property
    def link(self) -> Optional[str]:
        """The user's path when a symlink leads elsewhere."""
        return self.path if self.real != self.path else None


def blocking_ancestor(fs: FileSource, path: str) -> Optional[str]:
    """Why folders up to `path` cannot be created: the nearest existing ancestor is not a folder; else
    None."""
    probe = posixpath.dirname(path)
    while probe != "/" and not fs.exists(probe):
        probe = posixpath.dirname(probe)
    if fs.is_dir(probe):
        return None
    return _("{path} is {kind}, not a folder", path=probe, kind=kind_of(fs, probe))


def file_target(fs: FileSource, path: str, home: str, limit: int = READ_LIMIT) -> FileTarget:
    """Analyse the file `path` a plan will write. A symlink is followed only to a regular file inside
    HOME (the real HOME, its own links resolved); its target is what gets written."""
    path = posixpath.normpath(path)
    real = resolve(fs, path)
    if real is None:
        return FileTarget(path, path, refused=_("{path}: too many levels of symbolic links", path=path))
    if real != path:
        real_home = resolve(fs, posixpath.normpath(home)) or home
        if not inside(real, real_home):
            return FileTarget(path, real, refused=_(
                "{path} -> {target} (symlink) leads outside HOME ({home}); mlu-doctor does not write there",
                path=path, target=real, home=real_home))
        if not fs.exists(real):
            return FileTarget(path, real, refused=_("{path} -> {target} (symlink) leads to a missing file",
                                                    path=path, target=real))
    if fs.exists(real) and not fs.is_file(real):
        return FileTarget(path, real, refused=_("{path} is {kind}; mlu-doctor edits regular files only",
                                                path=real, kind=kind_of(fs, real)))
    if not fs.exists(real):
        why = blocking_ancestor(fs, real)
        return FileTarget(path, real, refused=_("cannot create {path}: {why}", path=real, why=why) if why
                          else None)
    data = fs.read_bytes(real, limit + 1)
    if data is None:
        return FileTarget(path, real, refused=_("{path} cannot be read; mlu-doctor edits only files it can "
                                                "read",
                                                path=real))
    if len(data) > limit:
        return FileTarget(path, real,
                          refused=_("{path} is larger than {mib} MiB; mlu-doctor does not edit it",
                                    path=real, mib=limit // (1024 * 1024)))
    return FileTarget(path, real, before=data)


def dir_target(fs: FileSource, path: str) -> tuple[str, Optional[str]]:
    """(where folder `path` will be created, symlinks resolved; why it cannot be, or None)."""
    path = posixpath.normpath(path)
    real = resolve(fs, path)
    if real is None:
        return path, _("{path}: too many levels of symbolic links", path=path)
    if fs.exists(real) and not fs.is_dir(real):
        return real, _("{path} is {kind}, not a folder", path=real, kind=kind_of(fs, real))
    why = blocking_ancestor(fs, real)
    return real, (_("cannot create {path}: {why}", path=real, why=why) if why else None)
