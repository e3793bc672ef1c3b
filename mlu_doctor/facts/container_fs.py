"""A FileSource over a container, so the host probes run unchanged on it.

Three backends, cheapest first: a bind mount whose source this machine can read (a dataset mounted
with -v is read from the host, never streamed), the exec agent of a running container with Python
(about 0.3 ms a query), and the archive API (stopped containers, images with no shell or no Python).
"""

from __future__ import annotations

import os
import posixpath
import stat as st
from collections.abc import Callable, Sequence
from typing import Any

from mlu_doctor.facts.container_agent import AgentError, ExecAgent
from mlu_doctor.facts.container_archive import ArchiveReader, Entry
from mlu_doctor.i18n import _
from mlu_doctor.system.files import READ_LIMIT, decode_text, glob_with

MAX_LINKS = 16


def _norm(path: str) -> str:
    return posixpath.normpath("/" + path.lstrip("/"))


class ContainerFS:
    """Read-only view of a container's filesystem by absolute path (the FileSource protocol)."""

    def __init__(self, reader: ArchiveReader, label: str, agent: ExecAgent | None = None,
                 local_mounts: Sequence[tuple[str, str]] = (),
                 lister: Callable[[str], list[str] | None] | None = None) -> None:
        self.reader, self.label, self.agent, self.lister = reader, label, agent, lister
        self.local_mounts = sorted(local_mounts, key=lambda m: -len(m[0]))  # (destination, host source)
        self.problems = reader.problems

    # --- backends -------------------------------------------------------------------------

    def _local(self, path: str) -> str | None:
        for dest, source in self.local_mounts:
            if path == dest or path.startswith(dest.rstrip("/") + "/"):
                return source + path[len(dest.rstrip("/")):]
        return None

    def _ask(self, op: str, path: str, **kw: Any) -> tuple[bool, Any]:
        """(True, answer) from the agent, (True, None) for a missing path, (False, None) without an agent."""
        if self.agent is None or not self.agent.alive:
            return False, None
        try:
            return True, self.agent.request(op, path, **kw)
        except FileNotFoundError:
            return True, None
        except AgentError as exc:
            self.problems.append(_("exec agent stopped ({error}); reading files through the archive API instead", error=exc))
            self.agent = None
            return False, None

    def _lstat(self, path: str) -> Entry | None:
        local = self._local(path)
        if local is not None:
            try:
                s = os.lstat(local)
            except OSError:
                return None
            kind = "d" if st.S_ISDIR(s.st_mode) else "l" if st.S_ISLNK(s.st_mode) else "f" if st.S_ISREG(s.st_mode) else "o"
            return Entry(kind, s.st_size, os.readlink(local) if kind == "l" else None)
        asked, answer = self._ask("stat", path)
        if asked:
            return None if answer is None else Entry(answer["t"], answer.get("size", 0), answer.get("link"))
        return self.reader.lstat(path)

    def _resolve(self, path: str) -> tuple[str, Entry | None]:
        """Follow symlinks (targets are container paths) to the final path and its entry."""
        path = _norm(path)
        for _hop in range(MAX_LINKS):
            entry = self._lstat(path)
            if entry is None or entry.kind != "l" or not entry.link:
                return path, entry
            path = _norm(posixpath.join(posixpath.dirname(path), entry.link))
        return path, None

    # --- FileSource -----------------------------------------------------------------------

    def read_bytes(self, path: str, limit: int = READ_LIMIT) -> bytes | None:
        path, entry = self._resolve(path)
        if entry is None or entry.kind != "f":
            return None
        local = self._local(path)
        if local is not None:
            try:
                with open(local, "rb") as fh:
                    return fh.read(limit)
            except OSError:
                return None
        if self.agent is not None and self.agent.alive:
            try:
                return self.agent.read(path, limit)
            except FileNotFoundError:
                return None
            except AgentError as exc:
                self.problems.append(_("exec agent stopped ({error}); reading files through the archive API instead", error=exc))
                self.agent = None
        return self.reader.read(path, limit)

    def read_text(self, path: str, limit: int = READ_LIMIT) -> str | None:
        data = self.read_bytes(path, limit)
        return None if data is None else decode_text(data)

    def listdir(self, path: str) -> list[str] | None:
        path, entry = self._resolve(path)
        if entry is None or entry.kind != "d":
            return None
        local = self._local(path)
        if local is not None:
            try:
                return sorted(os.listdir(local))
            except OSError:
                return None
        asked, answer = self._ask("listdir", path)
        if asked:
            return answer
        names = self.reader.children(path)
        if names is None and self.lister is not None:
            names = self.lister(path)
        return names

    def is_dir(self, path: str) -> bool:
        entry = self._resolve(path)[1]
        return entry is not None and entry.kind == "d"

    def is_file(self, path: str) -> bool:
        entry = self._resolve(path)[1]
        return entry is not None and entry.kind == "f"

    def exists(self, path: str) -> bool:
        return self._lstat(_norm(path)) is not None

    def readlink(self, path: str) -> str | None:
        entry = self._lstat(_norm(path))
        return entry.link if entry is not None and entry.kind == "l" else None

    def glob(self, pattern: str) -> list[str]:
        return glob_with(self, pattern)

    def prefetch(self, paths: list[str]) -> None:
        """Warm the lstat cache for paths the caller is about to test (only the archive backend needs it)."""
        if self.agent is None or not self.agent.alive:
            self.reader.prefetch([_norm(p) for p in paths if self._local(_norm(p)) is None])

    def close(self) -> None:
        if self.agent is not None:
            self.agent.close()
