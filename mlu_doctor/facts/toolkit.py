"""Toolkit probe: where Neuware / CNToolkit lives, its version, library versions, era, loader paths."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Mapping
from typing import Optional

from mlu_doctor.facts.cnmon import excerpt
from mlu_doctor.facts.components import DPKG_LIMIT, DPKG_STATUS, listed_components
from mlu_doctor.facts.context import ProbeContext
from mlu_doctor.facts.model import Evidence, ToolkitFacts
from mlu_doctor.system.files import FileSource

DEFAULT_HOMES = ("/usr/local/neuware", "/torch/neuware_home")
LIBS = ("cnrt", "cnnl", "cndrv", "cndev", "cncl", "mluops", "cnml")
_LIB = re.compile(r"^lib(" + "|".join(LIBS) + r")\.so(?:\.(\d+(?:\.\d+)*))?$")
_VERSION_TXT = re.compile(r"(?:neuware|cntoolkit|toolkit)\s+version\s*[:=]?\s*v?(\d+(?:\.\d+)+)",
                          re.IGNORECASE)
DPKG_PACKAGES = ("cntoolkit", "cntoolkit-cloud", "cntoolkit-edge")


def candidates(environ: Mapping[str, str]) -> list[tuple[str, str]]:
    """(path, source) in resolution order: $NEUWARE_HOME, then the default locations."""
    out = []
    if environ.get("NEUWARE_HOME"):
        out.append((environ["NEUWARE_HOME"].rstrip("/") or "/", "NEUWARE_HOME"))
    out.extend((p, p) for p in DEFAULT_HOMES if p not in {c[0] for c in out})
    return out


def parse_version_txt(text: str) -> Optional[str]:
    """`Neuware Version 3.9.0` -> "3.9.0"."""
    m = _VERSION_TXT.search(text or "")
    return m.group(1) if m else None


def _key(version: str) -> tuple[int, tuple[int, ...]]:
    parts = tuple(int(p) for p in version.split(".")) if version else ()
    return len(parts), parts


def lib_versions(names: Iterable[str]) -> dict[str, str]:
    """Library -> the most specific version in file names (`libcnrt.so.4.7.5`); "" when only unversioned."""
    found: dict[str, str] = {}
    for name in names:
        m = _LIB.match(name)
        if not m:
            continue
        lib, version = m.group(1), m.group(2) or ""
        if lib not in found or _key(version) > _key(found[lib]):
            found[lib] = version
    return found


def era_of(libs: Mapping[str, str]) -> Optional[str]:
    """libcnml present -> "cnml"; libcnnl without libcnml -> "cnnl"; otherwise unknown (None)."""
    if "cnml" in libs:
        return "cnml"
    return "cnnl" if "cnnl" in libs else None


def _norm(path: str) -> str:
    return posixpath.normpath(path) if path else ""


def on_path_list(value: Optional[str], directory: str) -> bool:
    """Whether `directory` is an entry of a colon-separated list (trailing slashes ignored)."""
    want = _norm(directory)
    return any(_norm(entry) == want for entry in (value or "").split(":") if entry)


def ld_conf_dirs(fs: FileSource) -> list[str]:
    """Directories listed in /etc/ld.so.conf and /etc/ld.so.conf.d/*.conf (the loader cache's sources)."""
    dirs: list[str] = []
    for path in ["/etc/ld.so.conf", *fs.glob("/etc/ld.so.conf.d/*.conf")]:
        for line in (fs.read_text(path, 64 * 1024) or "").splitlines():
            line = line.split("#", 1)[0].strip()
            if line and not line.startswith("include"):
                dirs.append(_norm(line))
    return dirs


def parse_dpkg_status(text: str) -> Optional[tuple[str, str]]:
    """(package, upstream version) of an installed cntoolkit package in a dpkg status file."""
    for stanza in re.split(r"\n\s*\n", text or ""):
        if "cntoolkit" not in stanza:
            continue
        fields = dict(re.findall(r"^([A-Za-z-]+):[ \t]*(.*)$", stanza, re.MULTILINE))
        if fields.get("Package") in DPKG_PACKAGES and "installed" in fields.get("Status", "").split():
            version = fields.get("Version", "").split(":")[-1].split("-")[0]
            if version:
                return fields["Package"], version
    return None


def _find_home(ctx: ProbeContext, facts: ToolkitFacts) -> None:
    for path, source in candidates(ctx.system.environ):
        facts.looked_at.append(path)
        if ctx.system.is_dir(path):
            facts.neuware_home, facts.source = path, source
            return


def _read_home(fs: FileSource, facts: ToolkitFacts) -> None:
    home = facts.neuware_home or ""
    text = fs.read_text(home + "/version.txt", 16 * 1024)
    facts.version = parse_version_txt(text or "")
    if facts.version:
        facts.version_source = "version.txt"
        facts.evidence.append(Evidence(f"file:{home}/version.txt", excerpt(text, lines=4)))
    names = fs.listdir(home + "/lib64") or []
    facts.libs = lib_versions(names)
    facts.era = era_of(facts.libs)
    if facts.libs:
        shown = sorted(n for n in names if _LIB.match(n))
        facts.evidence.append(Evidence(f"dir:{home}/lib64", "\n".join(shown[:20])))


def _read_dpkg(fs: FileSource, facts: ToolkitFacts) -> None:
    text = fs.read_text(DPKG_STATUS, DPKG_LIMIT)
    if not text or "cntoolkit" not in text:
        return
    found = parse_dpkg_status(text)
    if found:
        facts.version, facts.version_source = found[1], "dpkg"
        facts.source = facts.source or "dpkg"
        facts.evidence.append(Evidence(f"file:{DPKG_STATUS}", f"Package: {found[0]}\nVersion: {found[1]}"))


def _version_source(facts: ToolkitFacts) -> str:
    if facts.version_source == "dpkg":
        return f"file:{DPKG_STATUS}"
    return f"file:{facts.neuware_home}/version.txt"


def probe(ctx: ProbeContext) -> ToolkitFacts:
    """Resolve NEUWARE_HOME and read the toolkit's version, libraries and loader configuration."""
    facts = ToolkitFacts(neuware_home_env=ctx.system.environ.get("NEUWARE_HOME") or None)
    _find_home(ctx, facts)
    if facts.neuware_home:
        _read_home(ctx.system, facts)
    if not facts.version:
        facts.looked_at.append(DPKG_STATUS)
        _read_dpkg(ctx.system, facts)

    names = ctx.system.listdir(facts.neuware_home.rstrip("/") + "/lib64") or [] if facts.neuware_home else []
    facts.components = listed_components(names, facts.neuware_home, facts.version, _version_source(facts))
    if facts.neuware_home:
        lib64 = facts.neuware_home.rstrip("/") + "/lib64"
        facts.lib64_on_ld_path = on_path_list(ctx.system.environ.get("LD_LIBRARY_PATH"), lib64)
        facts.lib64_in_ld_conf = _norm(lib64) in ld_conf_dirs(ctx.system)
        facts.bin_on_path = on_path_list(ctx.system.environ.get("PATH"),
                                         facts.neuware_home.rstrip("/") + "/bin")
    return facts
