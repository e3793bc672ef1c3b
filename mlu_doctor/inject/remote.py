"""The container side, through the docker seam: state, user, free space, mkdir, listing, hashes, archive
PUT."""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Optional

from mlu_doctor.errors import CannotRun, UsageError
from mlu_doctor.i18n import _
from mlu_doctor.inject.tree import (
    DF_MARK,
    LIST_SCRIPT,
    SHA_EACH,
    STAT_EACH,
    STAT_FORMAT,
    SURVEY_SCRIPT,
    TAR_SCRIPT,
    ListingParser,
    Remote,
    parse_df,
    parse_each,
    parse_listing,
)

ARGS_PER_EXEC = 500  # paths passed in one exec's argv

NEEDS = "sh, find, stat, df, mkdir, sha256sum (busybox or coreutils)"


def copying(dest: str = "") -> str:
    return _("copying into {dest}", dest=dest) if dest else _("copying into it")


@dataclass(frozen=True)
class Survey:
    remote: dict[str, Remote]
    existing: str  # DEST or its nearest existing ancestor: where the archive is unpacked
    free: int
    tar: bool = False  # the container has a `tar` (then the stream goes through exec, not the archive API)


class Container:
    """A running container we copy into, through the docker seam (`system.docker`). Commands run as root.

    When a call fails, `broken` says what happened to the container (removed, killed, stopped) if that is
    why."""

    def __init__(self, docker: Any, attrs: dict) -> None:
        self.docker, self.attrs = docker, attrs
        self.dest = ""  # the folder being copied into, named when the container goes away meanwhile

    @classmethod
    def open(cls, docker: Any, name: str) -> Container:
        return cls(docker, docker.inspect(name))

    def lost(self, settle: float = 0.0) -> Optional[CannotRun]:
        """The container's fate when it was removed, killed or stopped meanwhile (else None); `settle`:
        seconds to let the daemon record a kill an exec already died of."""
        fate = self.docker.fate(self.id, self.name, copying(self.dest), settle=settle)
        if fate is None or fate.removed:
            return fate
        return CannotRun(_("{what}; what landed is kept: run the same command again once it runs",
                           what=str(fate)))

    def broken(self, exc: Exception) -> CannotRun:
        """The error to report for a failed call: the container's fate when that is why, else `exc`."""
        return self.lost(settle=2.0) or (exc if isinstance(exc, CannotRun) else CannotRun(str(exc)))

    def still_running(self) -> None:
        """Between batches: stop at once when the container was removed, killed or stopped meanwhile."""
        lost = self.lost()
        if lost is not None:
            raise lost

    @property
    def name(self) -> str:
        return (self.attrs.get("Name") or self.id[:12]).lstrip("/")

    @property
    def id(self) -> str:
        return self.attrs["Id"]

    @property
    def status(self) -> str:
        return (self.attrs.get("State") or {}).get("Status") or "unknown"

    def require_running(self) -> None:
        if self.status != "running":
            raise CannotRun(_("container {name} is not running (status: {status}); start it with "
                              "`docker start {name}` and run this again", name=self.name, status=self.status))

    def exec(self, argv: list[str], check: bool = True,
             on_out: Optional[Callable[[bytes], None]] = None) -> tuple[int, str, str]:
        """Run argv as root; stdout goes to `on_out` as it arrives when given (then "" is returned for it)."""
        from mlu_doctor.system.docker import DaemonError

        try:
            code, out, err = self.docker.exec_run(self.id, argv, on_out=on_out)
        except (DaemonError, CannotRun) as exc:
            broken = self.broken(CannotRun(_("cannot run {cmd} in {name}: {error}", cmd=argv[0],
                                             name=self.name, error=getattr(exc, "explanation", None) or exc)))
            raise broken from None
        text = out.decode("utf-8", "surrogateescape")
        etext = err.decode("utf-8", "replace")
        if code is None:
            raise self.broken(CannotRun(_("{cmd} in {name} ended without an exit code", cmd=argv[0],
                                          name=self.name)))
        if check and code != 0:
            raise self.failed(argv, code, etext)
        return code, text, etext

    def failed(self, argv: list[str], code: Optional[int], etext: str) -> CannotRun:
        """Why a command failed: the container's fate first, then a missing tool, then its own message."""
        lost = self.lost(settle=2.0 if code is None or code >= 128 else 0.0)
        if lost is not None:
            return lost
        if code in (126, 127) or "executable file not found" in etext:
            return CannotRun(_("{name} lacks {cmd}; injection needs {needs}", name=self.name, cmd=argv[0],
                               needs=NEEDS))
        return CannotRun(_("{cmd} failed in {name} (exit {code}): {error}", cmd=" ".join(argv[:3]),
                           name=self.name, code=code, error=etext.strip()[-300:]))

    def configured_owner(self) -> tuple[int, int]:
        """uid:gid of the container's configured user (Config.User), resolved inside the container."""
        user = (self.attrs.get("Config") or {}).get("User") or ""
        if not user:
            return 0, 0
        name, _sep, group = user.partition(":")
        uid = int(name) if name.isdigit() else self._id("-u", name)
        if group:
            return uid, int(group) if group.isdigit() else self._group(group)
        code, out, _err = self.exec(["id", "-g", name], check=False)
        return uid, int(out.strip()) if code == 0 and out.strip().isdigit() else 0

    def _id(self, flag: str, name: str) -> int:
        code, out, _err = self.exec(["id", flag, name], check=False)
        if code != 0 or not out.strip().isdigit():
            raise UsageError(_("cannot resolve the container user {user!r} inside {name}; pass --owner "
                               "UID:GID",
                               user=name, name=self.name))
        return int(out.strip())

    def _group(self, group: str) -> int:
        code, out, _err = self.exec(["sh", "-c", 'grep "^$1:" /etc/group | cut -d: -f3', "sh", group],
                                    check=False)
        if code != 0 or not out.strip().isdigit():
            raise UsageError(_("cannot resolve the group {group!r} inside {name}; pass --owner UID:GID",
                               group=group, name=self.name))
        return int(out.strip())

    def survey(self, dest: str) -> Survey:
        """In one exec session: what DEST holds, its nearest existing ancestor, whether `tar` exists, free
        space."""
        parser = ListingParser(DF_MARK)  # parsed while the container is still listing
        _code, _out, err = self.exec(["sh", "-c", SURVEY_SCRIPT, "sh", dest, STAT_FORMAT, DF_MARK],
                                     check=False, on_out=parser.feed)
        remote, tail = parser.finish()
        existing, _sep, rest = tail.partition("\n")
        tar, _sep, df = rest.partition("\n")
        free = parse_df(df)
        if parser.text_seen or free is None or not existing.startswith("/"):
            raise CannotRun(_("could not list {name}:{dest} ({needs} needed): {error}", name=self.name,
                              dest=dest,
                              needs=NEEDS, error=(err or " ".join(parser.text_seen) or tail).strip()[-300:]))
        return Survey(remote, existing, free, bool(tar.strip()))

    def listing(self, dest: str) -> dict[str, Remote]:
        """What DEST holds now (after a copy)."""
        _code, out, _err = self.exec(["sh", "-c", LIST_SCRIPT, "sh", dest, STAT_FORMAT])
        return parse_listing(out)

    def stat_each(self, dest: str, rels: list[str]) -> dict[str, Remote]:
        """DEST/rel for each rel, one `stat` per path (names holding a newline, which the listing leaves
        out)."""
        found: dict[str, Remote] = {}
        for i in range(0, len(rels), ARGS_PER_EXEC):
            chunk = rels[i:i + ARGS_PER_EXEC]
            _code, out, _err = self.exec(["sh", "-c", STAT_EACH, "sh", dest, *chunk], check=False)
            found.update(parse_each(chunk, out))
        return found

    def sha256(self, dest: str, rels: list[str]) -> dict[str, str]:
        """sha256 of DEST/rel for each rel, computed inside the container in one exec session (names holding a
        newline, which sha256sum's output lines cannot carry, one by one in another)."""
        plain = [r for r in rels if "\n" not in r and "\\" not in r]
        paths = [posixpath.join(dest, r) for r in plain]
        _code, out, _err = self.exec(["sha256sum", *paths], check=False) if paths else (0, "", "")
        prefix = dest.rstrip("/") + "/"
        found: dict[str, str] = {}
        for line in out.split("\n"):
            digest, _sep, path = line.partition("  ")
            if len(digest) == 64 and path.startswith(prefix):
                found[path[len(prefix):]] = digest
        kept = set(plain)
        odd = [r for r in rels if r not in kept]
        for i in range(0, len(odd), ARGS_PER_EXEC):
            chunk = odd[i:i + ARGS_PER_EXEC]
            _code, out, _err = self.exec(["sh", "-c", SHA_EACH, "sh", dest, *chunk], check=False)
            found.update({r: d for r, d in zip(chunk, out.split("\n")) if len(d) == 64})
        return found

    def chown_links(self, base: str, rels: list[str], owner: tuple[int, int]) -> None:
        """Own symlinks as the archive says (busybox tar does not lchown them); in chunks of 500 paths."""
        for i in range(0, len(rels), 500):
            paths = [posixpath.join(base, r) for r in rels[i:i + 500]]
            self.exec(["chown", "-h", f"{owner[0]}:{owner[1]}", "--", *paths])

    def tar_pipe(self, base: str, list_dest: Optional[str]) -> Any:
        """An exec session unpacking the tar written to its stdin into `base` (`tar` in the container; no
        container lock, unlike the archive API); with `list_dest`, the listing of that folder follows on
        stdout."""
        from mlu_doctor.system.docker import DaemonError, ExecPipe

        script = TAR_SCRIPT if list_dest else 'exec tar xf - -C "$1"'
        try:
            stream = self.docker.exec_start(self.id, ["sh", "-c", script, "sh", base, list_dest or "",
                                                      STAT_FORMAT],
                                            stdin=True)
        except (DaemonError, CannotRun) as exc:
            raise self.broken(CannotRun(_("cannot run {cmd} in {name}: {error}", cmd="tar", name=self.name,
                                          error=getattr(exc, "explanation", None) or exc))) from None
        return ExecPipe(stream)

    def put_archive(self, dest: str, write: Callable[[Any], None], length: int) -> None:
        """PUT the tar that `write` sends to the archive API, with noOverwriteDirNonDir=true."""
        from mlu_doctor.system.docker import DaemonError

        try:
            self.docker.put_archive(self.id, dest, write, length)
        except DaemonError as exc:
            raise self.broken(CannotRun(_("the daemon refused the copy into {name}:{dest}: {error}",
                                          name=self.name, dest=dest, error=exc.explanation))) from None
        except CannotRun as exc:
            raise self.broken(exc) from None
