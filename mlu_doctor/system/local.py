"""This machine, or a tree under a root (`--root`), as a System.

Under a root other than "/", every path resolves component by component like a chroot: `..` stops at the
root, absolute symlink targets resolve against the root and relative ones against their folder, and more
than MAX_LINKS links in one resolution reads as missing (Linux says ELOOP at 40). Only the resolved paths,
which hold no symlink, are stat'ed or opened, so nothing outside the root is reached through a link.
Resolved folders are cached: a captured tree is not expected to change while it is inspected.
At root "/" a path is the path of this machine: the kernel resolves it, nothing is cached.
Reads open regular files only (O_NONBLOCK: a FIFO never blocks), capped at `limit` bytes.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping, Sequence

from mlu_doctor.defaults import PROBE_TIMEOUT
from mlu_doctor.gateways import proc
from mlu_doctor.i18n import _
from mlu_doctor.system.files import READ_LIMIT, decode_text, glob_with, open_regular, read_fd, read_regular

MAX_LINKS = 40


class LocalSystem:
    """Files under `root` on this machine; commands run here through `runner` with `environ`."""

    def __init__(self, root: str = "/", environ: Mapping[str, str] | None = None,
                 runner: proc.Runner | None = None, can_run: bool = True) -> None:
        self.root = os.path.abspath(root)
        self.is_host = self.root == "/" or os.path.realpath(self.root) == "/"  # this machine itself
        self.label = "host" if self.is_host else f"root {self.root}"
        # live: a fix re-check sees its overlay
        self.environ: Mapping[str, str] = os.environ if environ is None else environ
        self.runner: proc.Runner = runner or proc.run
        self.can_run = can_run
        self._dirs: dict[str, str] = {}  # system path of a folder -> its resolved path on this machine

    # --- resolution ---------------------------------------------------------------------------

    def _walk(self, base: str, parts: list[str], follow: bool) -> tuple[str, int] | None:
        """(path, mode) reached from the resolved folder `base` through `parts`; None when missing or
        looping."""
        todo, links, mode = parts[::-1], 0, stat.S_IFDIR
        while todo:
            name = todo.pop()
            if name in ("", "."):
                continue
            if name == "..":
                base = base if base == self.root else os.path.dirname(base)
                mode = stat.S_IFDIR
                continue
            here = base + "/" + name
            try:
                mode = os.lstat(here).st_mode
            except (OSError, ValueError):
                return None
            if stat.S_ISLNK(mode) and (todo or follow):
                links += 1
                if links > MAX_LINKS:
                    return None
                try:
                    target = os.readlink(here)
                except OSError:
                    return None
                base = self.root if target.startswith("/") else base
                todo.extend(reversed(target.split("/")))
                mode = stat.S_IFDIR
                continue
            if todo and not stat.S_ISDIR(mode):
                return None  # ENOTDIR
            base = here
        return base, mode

    def _dir(self, path: str) -> str | None:
        """The resolved folder for the system path `path` (cached); None when it is not a folder."""
        pending: list[tuple[str, str]] = []
        while path not in self._dirs and path not in ("", "/"):
            head, _sep, name = path.rpartition("/")
            pending.append((path, name))
            path = head
        base = self._dirs.get(path, self.root)
        for full, name in reversed(pending):
            found = self._walk(base, [name], True)
            if found is None or not stat.S_ISDIR(found[1]):
                return None
            base = self._dirs[full] = found[0]
        return base

    def _locate(self, path: str, follow: bool = True) -> tuple[str, int] | None:
        """(path on this machine, mode) of a system path under the root; None when it does not resolve."""
        head, _sep, name = ("/" + path.lstrip("/")).rpartition("/")
        if name in ("", ".", ".."):
            return self._walk(self.root, path.split("/"), follow)
        base = self._dir(head)
        return None if base is None else self._walk(base, [name], follow)

    def host_path(self, path: str) -> str | None:
        """Where the system path `path` is on this machine, symlinks resolved inside the root; None if
        missing."""
        if self.is_host:
            return "/" + path.lstrip("/")
        found = self._locate(path)
        return None if found is None else found[0]

    def system_path(self, local: str) -> str:
        """A path of this machine as a path of the inspected system: under root R, `R/work/x` is /work/x."""
        local = os.path.abspath(local)
        if self.is_host:
            return local
        if local == self.root or local.startswith(self.root + os.sep):
            rel = os.path.relpath(local, self.root).replace(os.sep, "/")
            return "/" if rel == "." else "/" + rel
        return local

    # --- files ----------------------------------------------------------------------------------

    def read_bytes(self, path: str, limit: int = READ_LIMIT) -> bytes | None:
        try:
            if self.is_host:
                return read_regular(path, limit)
            found = self._locate(path)
            return None if found is None or not stat.S_ISREG(found[1]) else read_regular(found[0], limit,
                                                                                         follow=False)
        except (OSError, ValueError):
            return None

    def read_text(self, path: str, limit: int = READ_LIMIT) -> str | None:
        data = self.read_bytes(path, limit)
        return None if data is None else decode_text(data)

    def read_range(self, path: str, offset: int, length: int) -> bytes | None:
        """Up to `length` bytes at `offset` (ELF headers of big .so files)."""
        local = path if self.is_host else self.host_path(path)
        if local is None:
            return None
        try:
            fd, _st = open_regular(local, follow=self.is_host)
        except (OSError, ValueError):
            return None
        try:
            os.lseek(fd, offset, os.SEEK_SET)
            return read_fd(fd, length)
        except (OSError, ValueError, OverflowError):
            return None
        finally:
            os.close(fd)

    def listdir(self, path: str) -> list[str] | None:
        local = path if self.is_host else self._dir(path.rstrip("/"))
        if local is None:
            return None
        try:
            return sorted(os.listdir(local))
        except (OSError, ValueError):
            return None

    def _mode(self, path: str, follow: bool) -> int | None:
        if not self.is_host:
            found = self._locate(path, follow)
            return None if found is None else found[1]
        try:
            return (os.stat if follow else os.lstat)(path).st_mode
        except (OSError, ValueError):
            return None

    def is_dir(self, path: str) -> bool:
        mode = self._mode(path, True)
        return mode is not None and stat.S_ISDIR(mode)

    def is_file(self, path: str) -> bool:
        mode = self._mode(path, True)
        return mode is not None and stat.S_ISREG(mode)

    def exists(self, path: str) -> bool:
        return self._mode(path, False) is not None

    def readlink(self, path: str) -> str | None:
        local = path if self.is_host else None
        if not self.is_host:
            found = self._locate(path, follow=False)
            local = found[0] if found is not None and stat.S_ISLNK(found[1]) else None
        try:
            return None if local is None else os.readlink(local)
        except (OSError, ValueError):
            return None

    def glob(self, pattern: str) -> list[str]:
        return glob_with(self, pattern)

    # --- commands -------------------------------------------------------------------------------

    def run(self, argv: Sequence[str], timeout: float = PROBE_TIMEOUT, env: Mapping[str, str] | None = None,
            cwd: str | None = None) -> proc.RunResult:
        """A command on this machine (also under a root: tools such as cnmon run here), time-boxed."""
        if not self.can_run:
            return proc.RunResult(tuple(argv), None, "", "", 0.0,
                                  error=_("not run: commands are not executed for this target"))
        return self.runner(argv, timeout=timeout, env=env, cwd=cwd)

    def which(self, name: str) -> str | None:
        """An executable `run` can start, on this system's PATH; None when commands are not run."""
        return proc.which(name, path=self.environ.get("PATH")) if self.can_run else None


def open_root(root: str, environ: Mapping[str, str] | None = None) -> LocalSystem:
    """The System for `--root` (read here only): raises UsageError when `root` is not a folder."""
    from mlu_doctor.errors import UsageError

    if not os.path.isdir(root):
        raise UsageError(_("--root {path}: no such directory", path=root))
    return LocalSystem(root, environ=environ)
