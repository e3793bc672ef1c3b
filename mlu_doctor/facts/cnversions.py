"""Cambricon version spellings, read without guessing (pure).

- Driver, CNRT, CNNL, CNToolkit: `v6.2.29`, `4.20.4-1`, `1.10.3-1` (package suffix), `v5.10.22`.
- Integer macros printed as they are: MagicMind's `CNRT: 50801` is CNRT_VERSION = 5*10000 + 8*100 + 1.
- Framework pairs: `1.17.0-torch1.13` (older torch_mlu, catch `1.2.0-torch1.6`), `1.33.1+torch2.11.0`.
- Neuware / CNToolkit numbering restarts per card generation (MLU100 8.x, MLU270 1.x, MLU370 2.x-3.x,
  MLU590 4.x): versions of different generations are not comparable, so `compare` says None for them.
"""

from __future__ import annotations

import re
from typing import Optional

from mlu_doctor.records import record as dataclass  # shared eq/repr: faster import

_DOTTED = re.compile(r"^[vV]?(\d+(?:\.\d+){1,3})(?:[-+~_]([0-9A-Za-z][0-9A-Za-z.+_-]*))?$")
# compiled on use (re caches them), not at import: integer macros and framework pairs are rare
_COMPACT = r"^(\d{5,6})$"
_PAIR = r"^[vV]?(\d+(?:\.\d+){1,3})[-+]torch(\d+(?:\.\d+){1,2})(?:[-+.].*)?$"

# Neuware / CNToolkit major version -> the card generation it was released for.
NEUWARE_MAJORS: dict[int, str] = {8: "MLU100", 1: "MLU2xx", 2: "MLU3xx", 3: "MLU3xx", 4: "MLU5xx"}


@dataclass(frozen=True)
class Version:
    """A release as numbers plus whatever suffix followed it (`-1`, `+torch2.11.0`, `+cpu`)."""

    release: tuple[int, ...]
    suffix: str = ""

    @property
    def text(self) -> str:
        """The release part: `4.20.4` for `4.20.4-1`."""
        return ".".join(str(p) for p in self.release)


def parse_version(text: Optional[str]) -> Optional[Version]:
    """`v6.2.29` / `4.20.4-1` / `1.33.1+torch2.11.0` / `50801` (compact integer) -> Version; else None."""
    if not text:
        return None
    token = text.strip()
    m = _DOTTED.match(token)
    if m:
        return Version(tuple(int(p) for p in m.group(1).split(".")), m.group(2) or "")
    m = re.match(_COMPACT, token)
    if m:
        return Version(compact_release(int(m.group(1))))
    return None


def compact_release(number: int) -> tuple[int, int, int]:
    """An integer version macro (major*10000 + minor*100 + patch) as numbers: 50801 -> (5, 8, 1)."""
    return number // 10000, number // 100 % 100, number % 100


def version_tuple(text: Optional[str]) -> Optional[tuple[int, ...]]:
    """The numeric release of a version string; None when it is not one."""
    v = parse_version(text)
    return v.release if v else None


def release_text(text: Optional[str]) -> Optional[str]:
    """`v5.10.22-1` -> `5.10.22`; `50801` -> `5.8.1`; None when not a version."""
    v = parse_version(text)
    return v.text if v else None


def framework_pair(text: Optional[str]) -> Optional[tuple[str, str]]:
    """(torch_mlu release, torch release) of `1.17.0-torch1.13` or `1.33.1+torch2.11.0`; None otherwise."""
    m = re.match(_PAIR, (text or "").strip())
    return (m.group(1), m.group(2)) if m else None


def neuware_generation(text: Optional[str]) -> Optional[str]:
    """The card generation a Neuware / CNToolkit version belongs to (`1.7.14` -> MLU2xx); None if unknown."""
    v = parse_version(text)
    return NEUWARE_MAJORS.get(v.release[0]) if v else None


def compare(a: Optional[str], b: Optional[str], neuware: bool = False) -> Optional[int]:
    """-1, 0 or 1 comparing the releases of `a` and `b`; None when either is unknown or, for Neuware
    versions (`neuware=True`), when they belong to different card generations."""
    va, vb = parse_version(a), parse_version(b)
    if va is None or vb is None:
        return None
    if neuware and neuware_generation(a) != neuware_generation(b):
        return None
    width = max(len(va.release), len(vb.release))
    ta, tb = va.release + (0,) * (width - len(va.release)), vb.release + (0,) * (width - len(vb.release))
    return (ta > tb) - (ta < tb)
