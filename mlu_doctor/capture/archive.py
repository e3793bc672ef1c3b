"""Capture files: a tar.gz written by `mlu-doctor capture`, or the JSON printed by the probe script.

Writing: `capture.json` first, then one regular member per file read (`host/files/proc/modules`); the
command writes the tarball with output.files.write_atomic. Reading never extracts anything to disk: members
are read into memory, regular files only, names relative without `..`, everything capped (the file, the
bytes it inflates to, each member, the number of members).
"""

from __future__ import annotations

import gzip
import io
import json
import posixpath
import tarfile
import time
import zlib
from collections.abc import Iterator
from typing import Any

from mlu_doctor.capture.model import FORMAT, Capture, load_manifest
from mlu_doctor.errors import UsageError
from mlu_doctor.i18n import _

MANIFEST = "capture.json"
FILE_LIMIT = 64 * 1024 * 1024  # a capture file as given (compressed tarball or JSON)
INFLATED_LIMIT = 512 * 1024 * 1024  # what a tarball may inflate to
MEMBER_LIMIT = 40 * 1024 * 1024  # one member (probes read at most 32 MiB of one file: dpkg status)
MAX_MEMBERS = 100_000


class TooLarge(Exception):
    """The tarball inflates past INFLATED_LIMIT."""


# --- writing ------------------------------------------------------------------------------------


def tarball_bytes(capture: Capture) -> bytes:
    """The .tar.gz of `capture` (members in a stable order, mtime of the capture)."""
    members: dict[str, bytes] = {}

    def store(name: str, data: bytes) -> dict[str, Any]:
        # a file name that is not UTF-8 (its bytes live on as \udcXX escapes in the manifest)
        if not _utf8(name):
            name = f"{name.split('/', 1)[0]}/files-by-number/{len(members)}"
        members[name] = data
        return {"member": name}

    # \u escapes: any name survives
    manifest = json.dumps(capture.to_manifest(store), indent=1).encode("ascii")
    out = io.BytesIO()
    mtime = int(time.time())
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=mtime) as gz, \
            tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, data in [(MANIFEST, manifest), *sorted(members.items())]:
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = len(data), mtime, 0o644
            tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


def _utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# --- reading ------------------------------------------------------------------------------------


def read_capture_file(path: str) -> bytes:
    """The bytes of a capture file: a regular file of at most FILE_LIMIT bytes; every problem a UsageError."""
    from mlu_doctor.system.files import NotRegularFile, read_regular

    try:
        data = read_regular(path, FILE_LIMIT + 1)
    except NotRegularFile as exc:
        raise UsageError(_("{path} is {kind}, not a capture", path=path, kind=exc.kind)) from None
    except (OSError, ValueError) as exc:
        raise UsageError(_("cannot read capture {path}: {error}", path=path,
                           error=getattr(exc, "strerror", None) or exc)) from None
    if len(data) > FILE_LIMIT:
        raise UsageError(_("{path} is larger than {mib} MiB: not a capture", path=path, mib=FILE_LIMIT >> 20))
    return data


def looks_like_capture(path: str) -> bool:
    """Whether `path` starts like a capture (gzip, or JSON naming the capture format): cheap, never raises."""
    from mlu_doctor.system.files import read_regular

    try:
        head = read_regular(path, 512)  # never opens a FIFO or a device for reading: those are not captures
    except (OSError, ValueError):
        return False
    return head[:2] == b"\x1f\x8b" or FORMAT.encode() in head


def load_capture(path: str) -> Capture:
    """A tarball from `mlu-doctor capture` or the JSON of the probe script; every problem is a UsageError."""
    data = read_capture_file(path)
    if data[:2] == b"\x1f\x8b":
        members = _members(data, path)
        if MANIFEST not in members:
            raise UsageError(_("{path}: invalid capture: member {member} is missing or not a regular file",
                               path=path, member=MANIFEST))
        return load_manifest(_json(members.pop(MANIFEST), path), members.get, path)
    return load_manifest(_json(data, path), lambda _name: None, path)


def _json(data: bytes, path: str) -> Any:
    from mlu_doctor.facts.io import too_deep

    try:
        value = json.loads(data.decode("utf-8"))
        deep = too_deep(value)
    except RecursionError:
        deep = True
    except (UnicodeDecodeError, ValueError) as exc:
        raise UsageError(_("{path} is not a capture (a .tar.gz from `mlu-doctor capture`, or the JSON of "
                           "`python3 probe.py`): {error}", path=path, error=exc)) from None
    if deep:
        raise UsageError(_("{path} nests JSON too deeply: not a capture", path=path))
    return value


def safe_member(name: str) -> bool:
    """A relative name without `..`, empty or `.` parts, or backslashes: it cannot point outside the
    capture."""
    parts = name.split("/")
    return bool(name) and not name.startswith("/") and "\\" not in name and "\x00" not in name and all(
        p not in ("", ".", "..") for p in parts)


def _members(data: bytes, path: str) -> dict[str, bytes]:
    """Regular members by name (directories skipped; links, devices and FIFOs never read), bounded."""
    out: dict[str, bytes] = {}
    try:
        stream = _Bounded(gzip.GzipFile(fileobj=io.BytesIO(data)))
        with tarfile.open(fileobj=stream, mode="r|") as tar:  # type: ignore[call-overload]  # any object with read()
            for count, info in enumerate(_iter(tar)):
                if count >= MAX_MEMBERS:
                    raise UsageError(_("{path}: more than {n} members: not a capture", path=path,
                                       n=MAX_MEMBERS))
                name = posixpath.normpath(info.name) if info.name.startswith("./") else info.name
                if not safe_member(name):
                    raise UsageError(_("{path}: unsafe member name {name}: not a capture", path=path,
                                       name=repr(info.name)))
                if info.isdir() or not info.isreg():
                    continue
                if info.size > MEMBER_LIMIT:
                    raise UsageError(_("{path}: member {name} is larger than {mib} MiB", path=path, name=name,
                                       mib=MEMBER_LIMIT >> 20))
                fh = tar.extractfile(info)
                out[name] = fh.read(info.size) if fh is not None else b""
    except TooLarge:
        raise UsageError(_("{path} inflates to more than {mib} MiB: not a capture", path=path,
                           mib=INFLATED_LIMIT >> 20)) from None
    except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
        raise UsageError(_("{path} is not a readable capture tarball: {error}", path=path,
                           error=exc)) from None
    return out


def _iter(tar: tarfile.TarFile) -> Iterator[tarfile.TarInfo]:
    while True:
        info = tar.next()
        if info is None:
            return
        yield info


class _Bounded(io.RawIOBase):
    """A read-only stream that raises TooLarge after INFLATED_LIMIT bytes (a gzip bomb stops there)."""

    def __init__(self, inner: gzip.GzipFile) -> None:
        super().__init__()
        self.inner, self.total = inner, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.inner.read(len(buffer))
        self.total += len(data)
        if self.total > INFLATED_LIMIT:
            raise TooLarge()
        buffer[:len(data)] = data
        return len(data)
