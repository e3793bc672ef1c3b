"""Entry points read straight from dist-info/egg-info folders on sys.path.

`importlib.metadata.entry_points()` parses every distribution's metadata (about 30 ms on a small
venv, paid by every `check`); reading `entry_points.txt` files and parsing only the ones that name
our group costs a few milliseconds.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator

from mlu_doctor.records import record as dataclass  # shared eq/repr: faster import


@dataclass(frozen=True)
class EntryPoint:
    name: str
    value: str  # "module:attr"
    dist: str

    def load(self):
        """Import the module and return the attribute."""
        import importlib

        module, _, attr = self.value.partition(":")
        obj = importlib.import_module(module.strip())
        for part in attr.strip().split(".") if attr.strip() else ():
            obj = getattr(obj, part)
        return obj


def parse_section(text: str, group: str) -> Iterator[tuple[str, str]]:
    """`name = value` lines of `[group]` in an entry_points.txt text."""
    inside = False
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            inside = line == f"[{group}]"
            continue
        if inside and "=" in line:
            name, _, value = line.partition("=")
            yield name.strip(), value.strip()


def entry_points(group: str, path: list[str] | None = None) -> list[EntryPoint]:
    """Entry points of `group` from distributions on `path` (default sys.path); first distribution wins."""
    found: dict[str, EntryPoint] = {}
    seen_dists: set[str] = set()
    for base in sys.path if path is None else path:
        try:
            names = os.listdir(base or ".")
        except OSError:
            continue
        for entry in names:
            if not entry.endswith((".dist-info", ".egg-info")):
                continue
            dist = entry.rsplit(".", 1)[0].split("-")[0].lower().replace("_", "-")
            if dist in seen_dists:
                continue
            seen_dists.add(dist)
            try:
                with open(os.path.join(base or ".", entry, "entry_points.txt"), encoding="utf-8") as fh:
                    text = fh.read()
            except (OSError, UnicodeDecodeError):
                continue
            if f"[{group}]" in text:
                for name, value in parse_section(text, group):
                    found.setdefault(name, EntryPoint(name, value, dist))
    return list(found.values())
