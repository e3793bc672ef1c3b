"""The file seam: read a system's files by absolute path, under a root (a host, a capture, a container)."""

from __future__ import annotations

import fnmatch
import os
import posixpath
from typing import Protocol

READ_LIMIT = 1024 * 1024


class FileSource(Protocol):
    """Read-only view of a filesystem addressed by absolute POSIX paths. Missing or unreadable -> None/False."""

    label: str

    def read_bytes(self, path: str, limit: int = READ_LIMIT) -> bytes | None: ...
    def read_text(self, path: str, limit: int = READ_LIMIT) -> str | None: ...
    def listdir(self, path: str) -> list[str] | None: ...
    def is_dir(self, path: str) -> bool: ...
    def is_file(self, path: str) -> bool: ...
    def exists(self, path: str) -> bool: ...
    def readlink(self, path: str) -> str | None: ...
    def glob(self, pattern: str) -> list[str]: ...


def decode_text(data: bytes) -> str:
    """UTF-8 with undecodable bytes replaced and NULs dropped (proc files may hold both)."""
    return data.decode("utf-8", errors="replace").replace("\x00", "")


class LocalRoot:
    """Files of the local machine, or of a captured tree, below `root`."""

    def __init__(self, root: str = "/") -> None:
        self.root = os.path.abspath(root)
        self.label = "host" if self.root == "/" else f"root {self.root}"

    def host_path(self, path: str) -> str:
        """Map an absolute path of the inspected system to a path on this machine."""
        rel = posixpath.normpath("/" + path.lstrip("/")).lstrip("/")
        return os.path.join(self.root, rel) if rel else self.root

    def read_bytes(self, path: str, limit: int = READ_LIMIT) -> bytes | None:
        try:
            with open(self.host_path(path), "rb") as fh:
                return fh.read(limit)
        except (OSError, ValueError):
            return None

    def read_text(self, path: str, limit: int = READ_LIMIT) -> str | None:
        data = self.read_bytes(path, limit)
        return None if data is None else decode_text(data)

    def read_range(self, path: str, offset: int, length: int) -> bytes | None:
        """Up to `length` bytes at `offset` (optional FileSource extension; ELF headers of big .so files)."""
        try:
            with open(self.host_path(path), "rb") as fh:
                fh.seek(offset)
                return fh.read(length)
        except (OSError, ValueError, OverflowError):
            return None

    def listdir(self, path: str) -> list[str] | None:
        try:
            return sorted(os.listdir(self.host_path(path)))
        except OSError:
            return None

    def is_dir(self, path: str) -> bool:
        return os.path.isdir(self.host_path(path))

    def is_file(self, path: str) -> bool:
        return os.path.isfile(self.host_path(path))

    def exists(self, path: str) -> bool:
        return os.path.lexists(self.host_path(path))

    def readlink(self, path: str) -> str | None:
        try:
            return os.readlink(self.host_path(path))
        except OSError:
            return None

    def glob(self, pattern: str) -> list[str]:
        return glob_with(self, pattern)


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
