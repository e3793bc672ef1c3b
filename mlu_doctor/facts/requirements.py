"""What torch_mlu / catch declares it needs: build.property (JSON or key=value), version.info, its own
version.

Pure parsers over text plus one bounded reader. Real shapes (Cambricon/torch_mlu, Cambricon/catch):

    "driver_requires": ["release", "6.2.0-1"],
    "build_requires": {"cnnl": ["release", "1.26.6-1"], "mluops": ["daily",
    "branch/1.5.0-20250208_153105-9b75004"]}, "genesis": ["release", "1.1.1", "3.0.0"]          (triton
    3.0.0+mlu1.1.1; also under python_wheel_requires) scripts/version.info: "pytorch:2.4.1+cpu",
    "vision:0.19.1+cpu"

A file too big to read whole (a 50 MB build.property) is read up to PROPERTY_LIMIT and its entries are
taken by pattern from what was read.
"""

from __future__ import annotations

import posixpath
import re
from typing import TYPE_CHECKING, Optional

from mlu_doctor.facts.model import Requirement

PROPERTY_LIMIT = 256 * 1024
# Where a build.property sits relative to the torch_mlu package dir: wheels, and source trees (develop
# installs)
PROPERTY_PLACES = ("build.property", "share/build.property", "scripts/release/build.property",
                   "../scripts/release/build.property", "../script/release/build.property")
VERSION_INFO_PLACES = ("../scripts/version.info", "scripts/version.info")

# build.property / version.info keys -> component names used by the checks
KEYS = {
    "driver": "driver", "driver_requires": "driver", "cntoolkit": "cntoolkit", "toolkit": "cntoolkit",
    "neuware": "cntoolkit", "cnnl": "cnnl", "cnnlextra": "cnnl_extra", "cnnl_extra": "cnnl_extra",
    "cncl": "cncl", "mluops": "mluops", "mlu_ops": "mluops", "magicmind": "magicmind", "cncv": "cncv",
    "cnlight": "cnlight", "cndali": "cndali", "python": "python", "pytorch": "torch", "torch": "torch",
    "vision": "torchvision", "torchvision": "torchvision", "audio": "torchaudio", "torchaudio": "torchaudio",
    "triton": "triton",
}
# Compiled on use (re caches them), not at import: only a torch_mlu with a build.property needs them.
_ENTRY = (r'"(?P<key>[A-Za-z][\w.-]*)"\s*:\s*\[\s*"(?P<channel>[^"]*)"\s*,\s*"(?P<v1>[^"]*)"'
          r'(?:\s*,\s*"(?P<v2>[^"]*)")?')
_KV = r"(?m)^\s*(?P<key>[A-Za-z][\w.-]*)\s*[=:]\s*(?P<value>[^\s#]+)"
_VERSION = r'"version"\s*:\s*"([^"]+)"'
_NUMERIC = r"\d+(?:\.\d+)+"


if TYPE_CHECKING:  # file access protocols for the type checker; any object with these methods works
    from typing import Protocol

    class TextFiles(Protocol):
        def read_text(self, path: str, limit: int = ...) -> str | None: ...


def _key(raw: str) -> Optional[str]:
    k = raw.lower().replace("-", "_")
    for suffix in ("_requires", "_version", "_required"):
        if k.endswith(suffix) and k != "driver_requires":
            k = k[: -len(suffix)]
    return KEYS.get(k)


def clean_version(channel: str, value: str) -> Optional[str]:
    """`1.21.1-1` stays; a daily build's `branch/2.0.0-20250208_195831-...` gives `2.0.0`; junk gives None."""
    if channel.lower() != "release" or "/" in value:
        m = re.search(_NUMERIC, value.rsplit("/", 1)[-1])
        return m.group(0) if m else None
    return value if re.match(_NUMERIC, value) else None


def parse_build_property(text: str, source: str) -> tuple[Optional[str], list[Requirement]]:
    """(torch_mlu version, requirements) from a build.property in any known shape; ([], None) if none
    found."""
    version = re.search(_VERSION, text)
    reqs: list[Requirement] = []
    for m in re.finditer(_ENTRY, text):
        raw = m.group("key").lower()
        # ["release", "<genesis>", "<triton>"]: the triton wheel is <triton>+mlu<genesis>
        if raw == "genesis":
            if m.group("v2") and re.match(_NUMERIC, m.group("v1")):
                reqs.append(Requirement("triton", f"{m.group('v2')}+mlu{m.group('v1')}", source,
                                        m.group("channel")))
            continue
        key = _key(raw)
        value = clean_version(m.group("channel"), m.group("v1")) if key else None
        if key and value and all(r.component != key for r in reqs):
            reqs.append(Requirement(key, value, source, m.group("channel").lower() or None))
    if reqs or version:
        return (version.group(1) if version else None), reqs
    return parse_key_values(text, source)


def parse_key_values(text: str, source: str) -> tuple[Optional[str], list[Requirement]]:
    """`key=value` / `key: value` lines (version.info, older property files)."""
    version = None
    reqs: list[Requirement] = []
    for m in re.finditer(_KV, text):
        raw, value = m.group("key"), m.group("value").strip("\"',")
        if raw.lower() == "version":
            version = value
            continue
        key = _key(raw)
        if key and re.match(_NUMERIC, value) and all(r.component != key for r in reqs):
            reqs.append(Requirement(key, value, source))
    return version, reqs


def torch_from_version(version: Optional[str]) -> Optional[str]:
    """The torch a torch_mlu version names: `1.17.0-torch1.13` -> "1.13", `1.33.1+torch2.11.0` -> "2.11.0"."""
    m = re.search(r"[-+]torch[-_]?(\d+(?:\.\d+)*)", version or "")
    return m.group(1) if m else None


def read_requirements(fs: TextFiles, pkg: str) -> tuple[Optional[str], list[Requirement], list[str]]:
    """(torch_mlu version, requirements, files read) from the build.property and version.info near `pkg`."""
    version: Optional[str] = None
    reqs: list[Requirement] = []
    read: list[str] = []
    for rel in PROPERTY_PLACES:
        path = posixpath.normpath(posixpath.join(pkg, rel))
        text = fs.read_text(path, PROPERTY_LIMIT)
        if not text:
            continue
        found_version, found = parse_build_property(text, f"file:{path}")
        if found or found_version:
            version, reqs = found_version, found
            read.append(path)
            break
    for rel in VERSION_INFO_PLACES:
        path = posixpath.normpath(posixpath.join(pkg, rel))
        text = fs.read_text(path, 64 * 1024)
        if text:
            _v, extra = parse_key_values(text, f"file:{path}")
            reqs += [r for r in extra if all(x.component != r.component for x in reqs)]
            read.append(path)
            break
    return version, reqs, read
