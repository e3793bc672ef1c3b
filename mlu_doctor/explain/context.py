"""What a log says about the stack it ran on: library banners, core version, board names (never a finding).

Banners are read wherever they sit on a line (`+++++test1+++++CNRT: 3.12.0 7bfac76`); MagicMind's
`mm_run` prints CNRT and CNAPI as integer macros (`CNRT: 50801` is 5.8.1). torch_mlu's own
`Unknown library version string :1.2.0-torch1.6` is cosmetic: it only tells which catch is installed.
"""

from __future__ import annotations

import re

from mlu_doctor.facts.cnversions import parse_version

_VERSION = r"v?\d+(?:\.\d+){1,3}(?:-\d+)?"
# (component, pattern with a `v` group); the first value seen wins.
BANNERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("cnrt", re.compile(r"(?<![\w.])CNRT:\s*(?P<v>" + _VERSION + r"|\d{5,6})\b")),
    ("cnml", re.compile(r"(?<![\w.])CNML:\s*(?P<v>" + _VERSION + r")\b")),
    ("cnapi", re.compile(r"(?<![\w.])CNAPI:\s*(?P<v>" + _VERSION + r"|\d{5,6})\b")),
    ("magicmind", re.compile(r"(?<![\w.])MagicMind:\s*(?P<v>" + _VERSION + r")\b")),
    ("cncodec", re.compile(r"CNCodec Version:\s*(?P<v>" + _VERSION + r")\b")),
    ("neuware", re.compile(r"Neuware Version\s*(?P<v>" + _VERSION + r")\b", re.IGNORECASE)),
    ("driver", re.compile(r"\bDriver\s+(?P<v>v\d+(?:\.\d+){2})\b")),
    ("cnmon", re.compile(r"\bCNMON\s+(?P<v>v?\d+(?:\.\d+){2})\b")),
    ("torch_mlu", re.compile(r"Unknown library version string\s*:\s*(?P<v>\d+(?:\.\d+){2}[-+]torch[\d.]+)")),
    ("core", re.compile(r"Get Core Version\s+(?P<v>MLU\d{3})\b")),
)
KEYWORDS: tuple[bytes, ...] = (b"cnrt:", b"cnml:", b"cnapi:", b"magicmind:", b"cncodec version",
                               b"neuware version",
                               b"driver v", b"cnmon", b"unknown library version string", b"get core version")


def read_banners(text: str, into: dict[str, str]) -> None:
    """Add the stack versions and the core version `text` shows to `into` (first value seen wins)."""
    for name, pattern in BANNERS:
        if name in into:
            continue
        m = pattern.search(text)
        if not m:
            continue
        value = m.group("v")
        if name != "core" and name != "torch_mlu":
            v = parse_version(value)
            if v is None:
                continue
            value = v.text + (f"-{v.suffix}" if v.suffix else "")
        into[name] = value


LABELS = {"cnrt": "CNRT", "cnml": "CNML", "cnapi": "CNAPI", "magicmind": "MagicMind", "cncodec": "CNCodec",
          "neuware": "Neuware", "driver": "driver", "cnmon": "cnmon", "torch_mlu": "torch_mlu (catch)",
          "core": "core version"}


def describe(context: dict[str, str]) -> str:
    """`CNRT 4.6.0, core version MLU270` for people."""
    return ", ".join(f"{LABELS.get(k, k)} {v}" for k, v in context.items())
