"""Version strings as comparable tuples, without importing `packaging` on the check path."""

from __future__ import annotations

import re
from typing import Optional

_NUM = re.compile(r"^[vV]?(\d+(?:\.\d+)*)")


def version_tuple(text: Optional[str]) -> Optional[tuple[int, ...]]:
    """`v5.10.22-1` -> (5, 10, 22); `1.3.0a0+b8a5f1d` -> (1, 3, 0); unparsable -> None."""
    if not text:
        return None
    m = _NUM.match(text.strip())
    return tuple(int(p) for p in m.group(1).split(".")) if m else None


def release(text: Optional[str]) -> Optional[str]:
    """The numeric release part: `5.10.22-1` -> `5.10.22`."""
    t = version_tuple(text)
    return ".".join(str(p) for p in t) if t else None


def major_minor(text: Optional[str]) -> Optional[str]:
    t = version_tuple(text)
    return ".".join(str(p) for p in t[:2]) if t else None


def older(a: Optional[str], b: Optional[str]) -> Optional[bool]:
    """Whether version `a` is older than `b`; None when either is unknown."""
    ta, tb = version_tuple(a), version_tuple(b)
    if ta is None or tb is None:
        return None
    width = max(len(ta), len(tb))
    return ta + (0,) * (width - len(ta)) < tb + (0,) * (width - len(tb))
