"""`ContainerSystem`: a container as the inspected System (files, commands, environment) through the docker
seam.

Files come from three backends, cheapest first: a bind mount whose source this machine can read (a dataset
mounted with -v is read from the host, never streamed), the exec agent of a running container with Python
(about 0.3 ms a query), and the archive API (stopped containers, images with no shell or no Python).
Commands run by `docker exec` as the container's user, time-boxed like local ones.
"""

from __future__ import annotations

import os
import posixpath
import stat as st
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from mlu_doctor.errors import CannotRun
from mlu_doctor.facts.container import DEFAULT_PATH
from mlu_doctor.gateways.proc import RunResult, decode
from mlu_doctor.i18n import _
from mlu_doctor.system.container_agent import AgentError, ExecAgent
from mlu_doctor.system.container_archive import FETCH_CAP, ArchiveReader, Entry
from mlu_doctor.system.docker import DaemonError, Docker, ExecTimeout
from mlu_doctor.system.files import READ_LIMIT, decode_text, glob_with

MAX_LINKS = 16


def _norm(path: str) -> str:
    return posixpath.normpath("/" + path.lstrip("/"))


class ContainerSystem:
    """A container by absolute path, command and environment (the System protocol); never raises for a
    file."""

    def __init__(self, docker: Docker, cid: str, label: str, environ: Mapping[str, str] | None = None,
                 running: bool = False, timeout: float = 3.0, local_mounts: Sequence[tuple[str, str]] = (),
                 fetch_cap: int = FETCH_CAP) -> None:
        self.docker, self.cid, self.label, self.timeout = docker, cid, label, timeout
        self.environ: Mapping[str, str] = {"PATH": DEFAULT_PATH, **(environ or {})}
        self.can_run = running
        self.reader = ArchiveReader(docker, cid, timeout, fetch_cap)
        self.agent: ExecAgent | None = None
        self.lister: Callable[[str], list[str] | None] | None = None  # `ls` through exec, for big folders
        self.local_mounts = sorted(local_mounts, key=lambda m: -len(m[0]))  # (destination, host source)
        self.problems = self.reader.problems

    # --- commands and environment ---------------------------------------------------------

    def run(self, argv: Sequence[str], timeout: float = 3.0, env: Mapping[str, str] | None = None,
            cwd: str | None = None) -> RunResult:
        """`docker exec` argv as the container's user; never raises. A command still running at the timeout
        is abandoned (reported timed out)."""
        argv = tuple(argv)
        if not self.can_run:
            return RunResult(argv, None, "", "", 0.0, error=_("the container is not running"))
        start = time.monotonic()
        try:
            code, out, err = self.docker.exec_run(self.cid, argv, user=None, timeout=timeout, env=env,
                                                  cwd=cwd)
        except ExecTimeout:
            return RunResult(argv, None, "", "", time.monotonic() - start, timed_out=True)
        except (DaemonError, CannotRun) as exc:  # a refusal, a stopped container, a broken connection
            text = str(getattr(exc, "explanation", None) or exc).strip()
            return RunResult(argv, None, "", "", time.monotonic() - start,
                             error=text.splitlines()[0][:300] if text else "docker exec failed")
        seconds = time.monotonic() - start
        text_out, text_err = decode(out), decode(err)
        if code in (126, 127) and "exec failed" in text_out + text_err:
            return RunResult(argv, code, "", text_err, seconds,
                             error=_("not found or not executable in the container"))
        if code is None:
            return RunResult(argv, None, text_out, text_err, seconds,
                             error=_("the exec ended without an exit code"))
        return RunResult(argv, code, text_out, text_err, seconds)

    def candidates(self, name: str) -> list[str]:
        """Where `name` may be: itself when it has a slash, else each absolute folder of the container's
        PATH."""
        if "/" in name:
            return [name]
        return [posixpath.join(d, name) for d in (self.environ.get("PATH") or DEFAULT_PATH).split(":")
                if d.startswith("/")]

    def which(self, name: str) -> str | None:
        """An executable on the container's PATH, looked up in its files (no exec needed)."""
        paths = self.candidates(name)
        self.prefetch(paths)
        return next((p for p in paths if self.is_file(p)), None)

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
            self.problems.append(_("exec agent stopped ({error}); reading files through the archive API "
                                   "instead", error=exc))
            self.agent = None
            return False, None

    def _lstat(self, path: str) -> Entry | None:
        local = self._local(path)
        if local is not None:
            try:
                s = os.lstat(local)
            except OSError:
                return None
            kind = ("d" if st.S_ISDIR(s.st_mode) else "l" if st.S_ISLNK(s.st_mode)
                    else "f" if st.S_ISREG(s.st_mode) else "o")
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
                self.problems.append(_("exec agent stopped ({error}); reading files through the archive API "
                                       "instead", error=exc))
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
