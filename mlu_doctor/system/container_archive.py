"""Read a container's files through the archive API (works on stopped containers and images with no shell).

`HEAD /containers/{id}/archive` is an lstat (about 1 ms); a `GET` returns a tar of a path and costs about
50 ms whatever its size (the daemon forks a chrooted tar). So each directory is fetched at most once,
everything below it is kept (small files with their content), and a fetch stops at a byte cap: a listing
that would pull a dataset or a lib64 of shared objects is abandoned and reported, never completed.
"""

from __future__ import annotations

import posixpath
import tarfile
import time
from dataclasses import dataclass
from typing import Any, cast

from mlu_doctor.i18n import _
from mlu_doctor.system.docker import ContainerGone, Docker

FETCH_CAP = 64 * 1024 * 1024  # bytes of tar read per GET before giving up on a listing
FILE_CACHE_CAP = 256 * 1024  # files up to this size keep their content from a directory fetch
TOTAL_CACHE_CAP = 48 * 1024 * 1024

GO_DIR, GO_SYMLINK = 1 << 31, 1 << 27
GO_OTHER = (1 << 26) | (1 << 25) | (1 << 24) | (1 << 21) | (1 << 19)  # device, pipe, socket, char, irregular


@dataclass
class Entry:
    """What is known about one path: kind d/f/l/o, link target, size, content when cached."""

    kind: str
    size: int = 0
    link: str | None = None
    data: bytes | None = None


class TooLarge(Exception):
    """A fetch passed the byte cap or the time box."""


class _Stream:
    """File-like over an archive stream of the docker seam that enforces a byte cap and a deadline."""

    def __init__(self, res: Any, cap: int, deadline: float) -> None:
        self.res, self.cap, self.deadline, self.count = res, cap, deadline, 0

    def read(self, n: int = -1) -> bytes:
        if self.count > self.cap or time.monotonic() > self.deadline:
            raise TooLarge(f"{self.count} bytes")
        data = self.res.read(n if n >= 0 else 1 << 20)
        self.count += len(data)
        return data


def kind_of_mode(mode: int) -> str:
    if mode & GO_DIR:
        return "d"
    if mode & GO_SYMLINK:
        return "l"
    return "o" if mode & GO_OTHER else "f"


class ArchiveReader:
    """lstat / read / list through the archive API, with a cache of fetched trees."""

    def __init__(self, docker: Docker, cid: str, timeout: float = 3.0, fetch_cap: int = FETCH_CAP) -> None:
        self.docker, self.cid, self.timeout, self.fetch_cap = docker, cid, timeout, fetch_cap
        self.entries: dict[str, Entry | None] = {}
        self.complete: set[str] = set()  # directories fetched in full
        self.cached_bytes = 0
        self.problems: list[str] = []
        self.gone = False
        self.requests = {"head": 0, "get": 0}
        self.until = time.monotonic() + max(10.0, 4 * timeout)  # time box for all archive reads together

    def lstat(self, path: str) -> Entry | None:
        if path in self.entries:
            return self.entries[path]
        if self._under_complete(path):
            return None
        self.requests["head"] += 1
        st = self.docker.stat_path(self.cid, path, self.timeout)
        entry = None
        if st is not None:
            kind = kind_of_mode(int(st.get("mode", 0)))
            entry = Entry(kind, int(st.get("size", 0)), st.get("linkTarget") or None if kind == "l" else None)
        self.entries[path] = entry
        return entry

    def prefetch(self, paths: list[str]) -> None:
        """lstat many paths at once (HEADs in parallel threads): a PATH search costs one round trip."""
        from concurrent.futures import ThreadPoolExecutor

        todo = [p for p in dict.fromkeys(paths) if p not in self.entries and not self._under_complete(p)]
        if len(todo) > 1:
            with ThreadPoolExecutor(max_workers=min(8, len(todo))) as pool:
                list(pool.map(self.lstat, todo))

    def children(self, path: str) -> list[str] | None:
        """Names in a directory: from a complete fetch, else by fetching it (None past the cap)."""
        if not any(path == d or path.startswith(d.rstrip("/") + "/") for d in self.complete):
            self._fetch(path)
        if not any(path == d or path.startswith(d.rstrip("/") + "/") for d in self.complete):
            return None
        prefix = path.rstrip("/") + "/"
        return sorted({p[len(prefix):].split("/")[0] for p, e in self.entries.items()
                       if e is not None and p.startswith(prefix) and p != prefix})

    def read(self, path: str, limit: int) -> bytes | None:
        entry = self.entries.get(path)
        if entry is not None and entry.data is not None and (len(entry.data) >= limit
                                                             or len(entry.data) == entry.size):
            return entry.data[:limit]
        res = self._open(path)
        if res is None:
            return None
        try:
            with tarfile.open(fileobj=cast(Any, _Stream)(res, max(limit, 1 << 16) + (1 << 20),
                                                         self._deadline()), mode="r|") as tar:
                member = tar.next()
                if member is None or not member.isfile():
                    return None
                fh = tar.extractfile(member)
                return fh.read(limit) if fh else None
        except (tarfile.TarError, OSError, TooLarge) as exc:
            self.problems.append(_("reading {path} through the archive API failed: {error}", path=path,
                                   error=exc))
            return None
        finally:
            res.close()

    def _under_complete(self, path: str) -> bool:
        return any(path.startswith(d.rstrip("/") + "/") for d in self.complete)

    def _deadline(self) -> float:
        return time.monotonic() + max(self.timeout, 5.0)

    def _open(self, path: str) -> Any:
        if time.monotonic() > self.until:
            if not any("time box" in p for p in self.problems):
                self.problems.append(_("reading the container's files passed its time box; later files were "
                                       "not read"))
            return None
        self.requests["get"] += 1
        try:
            return self.docker.get_archive(self.cid, path, self.timeout)
        except ContainerGone:
            self.gone = True
            return None

    def _fetch(self, path: str) -> None:
        res = self._open(path)
        if res is None:
            return
        parent = posixpath.dirname(path.rstrip("/")) or "/"
        dirs, last = [], path
        try:
            with tarfile.open(fileobj=cast(Any, _Stream)(res, self.fetch_cap, self._deadline()),
                              mode="r|") as tar:
                for member in tar:
                    last = posixpath.normpath(posixpath.join(parent, member.name))
                    self._remember(last, member, tar)
                    if member.isdir():
                        dirs.append(last)
            self.complete.add(path)
        except TooLarge:
            # The daemon walks depth-first in lexical order: every directory that is not on the path to
            # the last entry read has been sent in full, so it is complete even though `path` is not.
            self.complete.update(d for d in dirs if not (last == d or last.startswith(d.rstrip("/") + "/")))
            self.problems.append(_too_large(path, self.fetch_cap))
        except (tarfile.TarError, OSError) as exc:
            self.problems.append(_("listing {path} through the archive API failed: {error}", path=path,
                                   error=exc))
        finally:
            res.close()

    def _remember(self, path: str, member: tarfile.TarInfo, tar: tarfile.TarFile) -> None:
        if member.isdir():
            self.entries[path] = Entry("d")
        elif member.issym():
            self.entries[path] = Entry("l", link=member.linkname)
        elif member.islnk():
            self.entries[path] = Entry("f", member.size)
        elif member.isfile():
            data = None
            if member.size <= FILE_CACHE_CAP and self.cached_bytes + member.size <= TOTAL_CACHE_CAP:
                fh = tar.extractfile(member)
                data = fh.read() if fh else None
                self.cached_bytes += len(data or b"")
            self.entries[path] = Entry("f", member.size, data=data)
        else:
            self.entries[path] = Entry("o", member.size)


def _too_large(path: str, cap: int) -> str:
    return _("listing {path} was abandoned after {mib} MiB of archive data (too large to list through the "
             "archive API; a running container with Python lists it directly)", path=path,
             mib=cap // (1024 * 1024))
