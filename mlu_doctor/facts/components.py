"""Installed toolkit component versions (CNToolkit, CNNL, CNNL_Extra, CNCL, MLU-OPS, MagicMind, ...), by
source.

The toolkit probe records what costs nothing (lib64 names it listed anyway); the framework probe reads the
rest only for the components torch_mlu declares it needs and that are still unknown.

Sources, each read bounded: the library file names in lib64 (`libcnnl.so.1.21.1`), the headers in include
(`#define CNNL_MAJOR 1`, `CNCL_MAJOR_VERSION`, `MLUOP_PATCHLEVEL`, ...), version.txt (CNToolkit), the dpkg
status file, and the rpm database (a pattern scan for NAME, VERSION, RELEASE in header blobs, which sit side
by side in the data store of an rpm header, whatever the database format: sqlite, Berkeley DB or ndb).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Optional

from mlu_doctor.facts.model import InstalledVersion

# component -> library stem in lib64
LIBRARIES = {"cnrt": "cnrt", "cnnl": "cnnl", "cnnl_extra": "cnnl_extra", "cncl": "cncl", "mluops": "mluops",
             "magicmind": "magicmind", "cncv": "cncv", "cndrv": "cndrv", "cndev": "cndev", "cnml": "cnml"}
# component -> (header, macro prefix)
HEADERS = {"cnnl": ("cnnl.h", "CNNL"), "cnnl_extra": ("cnnl_extra.h", "CNNL_EXTRA"),
           "cncl": ("cncl.h", "CNCL"), "mluops": ("mlu_op.h", "MLUOP"), "cnrt": ("cnrt.h", "CNRT")}
# package names (dpkg / rpm) -> component
PACKAGES = {"cntoolkit": "cntoolkit", "cntoolkit-cloud": "cntoolkit", "cntoolkit-edge": "cntoolkit",
            "cnnl": "cnnl", "cnnlextra": "cnnl_extra", "cnnl-extra": "cnnl_extra", "cncl": "cncl",
            "mluops": "mluops", "mlu-ops": "mluops", "magicmind": "magicmind", "cncv": "cncv"}
DPKG_STATUS = "/var/lib/dpkg/status"
RPM_DBS = ("/var/lib/rpm/rpmdb.sqlite", "/var/lib/rpm/Packages", "/var/lib/rpm/Packages.db",
           "/usr/lib/sysimage/rpm/rpmdb.sqlite", "/usr/lib/sysimage/rpm/Packages.db")
RPM_LIMIT = 128 * 1024 * 1024
DPKG_LIMIT = 32 * 1024 * 1024
_LIB = re.compile(r"^lib(?P<lib>[a-z_]+?)\.so\.(?P<ver>\d+(?:\.\d+){2,})$")
_STANZA_START = r"^Package: (?P<name>" + "|".join(map(re.escape, PACKAGES)) + r")$"  # compiled on use
_RPM_HEADER = (rb"(?<![\w.+-])(?P<name>" + b"|".join(re.escape(p.encode()) for p in PACKAGES) +
               rb")\x00(?P<ver>\d+(?:\.\d+)+)\x00(?P<rel>[\w.+~]{1,40})\x00")


if TYPE_CHECKING:  # file access protocols for the type checker; any object with these methods works
    from typing import Protocol

    class Files(Protocol):
        def read_bytes(self, path: str, limit: int = ...) -> bytes | None: ...
        def read_text(self, path: str, limit: int = ...) -> str | None: ...
        def listdir(self, path: str) -> list[str] | None: ...


def _key(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split("."))


def from_library_names(names: Iterable[str], directory: str) -> dict[str, InstalledVersion]:
    """component -> the most specific version among `lib<x>.so.A.B.C` names."""
    best: dict[str, tuple[tuple[int, ...], str]] = {}
    for name in names:
        m = _LIB.match(name)
        comp = next((c for c, stem in LIBRARIES.items() if m and m.group("lib") == stem), None)
        if m and comp and (comp not in best or _key(m.group("ver")) > best[comp][0]):
            best[comp] = (_key(m.group("ver")), m.group("ver"))
    return {c: InstalledVersion(v, f"file:{directory}/lib{LIBRARIES[c]}.so.{v}")
            for c, (_k, v) in best.items()}


def header_version(text: str, prefix: str) -> Optional[str]:
    """`#define CNNL_MAJOR 1` / `CNCL_MAJOR_VERSION` / `MLUOP_PATCHLEVEL` ... -> "1.21.1"."""
    parts = []
    for names in (("MAJOR", "MAJOR_VERSION"), ("MINOR", "MINOR_VERSION"),
                  ("PATCHLEVEL", "PATCH_VERSION", "PATCH")):
        alt = "|".join(names)
        m = re.search(rf"^\s*#\s*define\s+{prefix}_(?:{alt})\s+(\d+)\b", text, re.MULTILINE)
        if not m:
            return None
        parts.append(m.group(1))
    return ".".join(parts)


def from_headers(fs: Files, include: str, wanted: Optional[set[str]] = None) -> dict[str, InstalledVersion]:
    out = {}
    for comp, (header, prefix) in HEADERS.items():
        if wanted is not None and comp not in wanted:
            continue
        path = posixpath.join(include, header)
        version = header_version(fs.read_text(path, 256 * 1024) or "", prefix)
        if version:
            out[comp] = InstalledVersion(version, f"header:{path}")
    return out


def parse_dpkg(text: str) -> dict[str, InstalledVersion]:
    """component -> upstream version of installed Cambricon packages in a dpkg status file."""
    out: dict[str, InstalledVersion] = {}
    for m in re.finditer(_STANZA_START, text, re.MULTILINE):
        end = text.find("\n\n", m.end())
        stanza = text[m.start(): end if end >= 0 else len(text)]
        fields = dict(re.findall(r"^([A-Za-z-]+):[ \t]*(.*)$", stanza, re.MULTILINE))
        version = fields.get("Version", "").split(":")[-1]
        upstream = version.rsplit("-", 1)[0] if "-" in version else version
        comp = PACKAGES[m.group("name")]
        if "installed" in fields.get("Status", "").split() and upstream and comp not in out:
            out[comp] = InstalledVersion(upstream, f"dpkg:{m.group('name')} {version}")
    return out


def parse_rpmdb(data: bytes, path: str) -> dict[str, InstalledVersion]:
    """component -> version of Cambricon packages found in an rpm database's header blobs."""
    out: dict[str, InstalledVersion] = {}
    for m in re.finditer(_RPM_HEADER, data):
        name = m.group("name").decode()
        comp = PACKAGES[name]
        if comp not in out:
            ver, rel = m.group("ver").decode(), m.group("rel").decode()
            out[comp] = InstalledVersion(ver, f"rpm:{name} {ver}-{rel} ({path})")
    return out


def listed_components(names: list[str], home: Optional[str], toolkit_version: Optional[str] = None,
                      version_source: Optional[str] = None) -> dict[str, list[InstalledVersion]]:
    """What costs no extra read: lib64 file names (already listed) and the toolkit version (already read)."""
    found = ({c: [v] for c, v in from_library_names(names, home.rstrip("/") + "/lib64").items()}
             if home else {})
    if toolkit_version:
        found.setdefault("cntoolkit",
                         []).append(InstalledVersion(toolkit_version, version_source or "version.txt"))
    return found


def installed_components(fs: Files, home: Optional[str], wanted: set[str],
                         known: Optional[set[str]] = None) -> dict[str, list[InstalledVersion]]:
    """Readings for the `wanted` components not `known` yet: headers, then dpkg, then rpm (each only while
    some wanted component is still unknown: a package database can be tens of MB)."""
    found: dict[str, list[InstalledVersion]] = {}
    targets = set(wanted) - set(known or ())
    todo = set(targets)

    def add(items: dict[str, InstalledVersion]) -> None:
        for comp, item in items.items():
            if comp in targets:
                found.setdefault(comp, []).append(item)
                todo.discard(comp)

    if home and todo & set(HEADERS):
        add(from_headers(fs, home.rstrip("/") + "/include", todo))
    if todo & set(PACKAGES.values()):
        text = fs.read_text(DPKG_STATUS, DPKG_LIMIT)
        if text and "Package: " in text:
            add(parse_dpkg(text))
    if todo & set(PACKAGES.values()):
        for path in RPM_DBS:
            data = fs.read_bytes(path, RPM_LIMIT)
            if data:
                add(parse_rpmdb(data, path))
                break
    return found
