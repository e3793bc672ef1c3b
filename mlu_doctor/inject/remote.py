"""The container side, through the docker seam: state, user, free space, mkdir, listing, hashes, archive PUT."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from typing import Any

from mlu_doctor.errors import CannotRun, UsageError
from mlu_doctor.i18n import _
from mlu_doctor.inject.tree import (
    DF_MARK,
    LIST_SCRIPT,
    STAT_FORMAT,
    SURVEY_SCRIPT,
    Remote,
    parse_df,
    parse_listing,
)

NEEDS = "sh, find, stat, df, mkdir, sha256sum (busybox or coreutils)"


@dataclass(frozen=True)
class Survey:
    remote: dict[str, Remote]
    existing: str  # DEST or its nearest existing ancestor: where the archive is unpacked
    free: int


class Container:
    """A running container we copy into. All commands run as root (uid 0) in separate exec sessions."""

    def __init__(self, client: Any, container: Any) -> None:
        self.client, self.c = client, container

    @property
    def name(self) -> str:
        return self.c.name

    def require_running(self) -> None:
        if self.c.status != "running":
            raise CannotRun(_("container {name} is not running (status: {status}); start it with "
                              "`docker start {name}` and run this again", name=self.name, status=self.c.status))

    def exec(self, argv: list[str], check: bool = True) -> tuple[int, str, str]:
        from docker.errors import APIError

        try:
            code, (out, err) = self.c.exec_run(argv, user="0", demux=True)
        except APIError as exc:
            raise CannotRun(_("cannot run {cmd} in {name}: {error}", cmd=argv[0], name=self.name,
                              error=exc.explanation or exc)) from None
        text = (out or b"").decode("utf-8", "surrogateescape")
        etext = (err or b"").decode("utf-8", "replace")
        if check and code != 0:
            if code in (126, 127) or "executable file not found" in etext:
                raise CannotRun(_("{name} lacks {cmd}; injection needs {needs}", name=self.name, cmd=argv[0], needs=NEEDS))
            raise CannotRun(_("{cmd} failed in {name} (exit {code}): {error}", cmd=" ".join(argv[:3]),
                              name=self.name, code=code, error=etext.strip()[-300:]))
        return code, text, etext

    def configured_owner(self) -> tuple[int, int]:
        """uid:gid of the container's configured user (Config.User), resolved inside the container."""
        user = (self.c.attrs.get("Config") or {}).get("User") or ""
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
            raise UsageError(_("cannot resolve the container user {user!r} inside {name}; pass --owner UID:GID",
                               user=name, name=self.name))
        return int(out.strip())

    def _group(self, group: str) -> int:
        code, out, _err = self.exec(["sh", "-c", 'grep "^$1:" /etc/group | cut -d: -f3', "sh", group], check=False)
        if code != 0 or not out.strip().isdigit():
            raise UsageError(_("cannot resolve the group {group!r} inside {name}; pass --owner UID:GID",
                               group=group, name=self.name))
        return int(out.strip())

    def survey(self, dest: str) -> Survey:
        """In one exec session: what DEST holds, its nearest existing ancestor, the free space there."""
        _code, out, err = self.exec(["sh", "-c", SURVEY_SCRIPT, "sh", dest, STAT_FORMAT, DF_MARK], check=False)
        listing, _sep, tail = out.partition(DF_MARK + "\n")
        existing, _sep, df = tail.partition("\n")
        free = parse_df(df)
        if "@@find-failed" in listing or free is None or not existing.startswith("/"):
            raise CannotRun(_("could not list {name}:{dest} ({needs} needed): {error}", name=self.name, dest=dest,
                              needs=NEEDS, error=(err or out).strip()[-300:]))
        return Survey(parse_listing(listing), existing, free)

    def listing(self, dest: str) -> dict[str, Remote]:
        """What DEST holds now (after a copy)."""
        _code, out, _err = self.exec(["sh", "-c", LIST_SCRIPT, "sh", dest, STAT_FORMAT])
        return parse_listing(out)

    def sha256(self, dest: str, rels: list[str]) -> dict[str, str]:
        """sha256 of DEST/rel for each rel, computed inside the container in one exec session."""
        paths = [posixpath.join(dest, r) for r in rels]
        _code, out, _err = self.exec(["sha256sum", *paths], check=False)
        prefix = dest.rstrip("/") + "/"
        found: dict[str, str] = {}
        for line in out.split("\n"):
            digest, _sep, path = line.partition("  ")
            if len(digest) == 64 and path.startswith(prefix):
                found[path[len(prefix):]] = digest
        return found

    def put_archive(self, dest: str, body: Any) -> None:
        """PUT a tar stream to /containers/{id}/archive with noOverwriteDirNonDir=true (the SDK never sends it)."""
        from docker.errors import APIError

        api = self.client.api
        url = api._url("/containers/{0}/archive", self.c.id)
        params = {"path": dest, "noOverwriteDirNonDir": "true"}
        res = api._put(url, params=params, data=body, headers={"Content-Type": "application/x-tar"})
        try:
            api._raise_for_status(res)
        except APIError as exc:
            raise CannotRun(_("the daemon refused the copy into {name}:{dest}: {error}",
                              name=self.name, dest=dest, error=exc.explanation or exc)) from None
        finally:
            res.close()
