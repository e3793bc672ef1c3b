"""Compatibility data (compat.yaml, package data): Cambricon PyTorch releases with their cards, driver,
toolkit, torch.

Loaded only where it is used (a failing driver requirement's remedy, `mlu-doctor list --compat`): yaml is
not imported on the plain `check` path.
"""

from __future__ import annotations

import functools
import os
from dataclasses import field
from typing import Any, Optional

from mlu_doctor.facts.versions import older, version_tuple
from mlu_doctor.i18n import _
from mlu_doctor.records import record as dataclass

DATA_FILE = os.path.join(os.path.dirname(__file__), "compat.yaml")
COLUMNS = ("framework", "version", "cards", "driver", "cntoolkit", "cnnl", "cncl", "mluops", "torch",
           "torchvision", "triton", "python")


@dataclass(frozen=True)
class Release:
    """One row: a Cambricon PyTorch release and what it goes with, and the public sources saying so."""

    framework: str  # "torch_mlu" | "catch"
    version: str
    sources: tuple[str, ...]
    fields: dict[str, str] = field(default_factory=dict)  # driver, cntoolkit, cnnl, torch, cards, ...
    channel: str = "release"

    def get(self, key: str) -> Optional[str]:
        return self.fields.get(key)


class CompatError(ValueError):
    """compat.yaml is not what this module expects (a packaging bug)."""


def _row(item: Any, index: int) -> Release:
    if not isinstance(item, dict) or not item.get("framework") or not item.get("version"):
        raise CompatError(f"compat.yaml: row {index} needs framework and version")
    sources = item.get("sources")
    if not isinstance(sources, list) or not sources or not all(isinstance(s, str) and s.strip()
                                                               for s in sources):
        raise CompatError(f"compat.yaml: row {index} ({item.get('version')}) has no public source")
    fields = {k: (", ".join(map(str, v)) if isinstance(v, list) else str(v)) for k, v in item.items()
              if k not in ("framework", "version", "sources", "channel")}
    return Release(str(item["framework"]), str(item["version"]), tuple(sources), fields,
                   str(item.get("channel") or "release"))


def parse_compat(text: str) -> list[Release]:
    """The rows of a compat.yaml text; CompatError when a row lacks a source or its names."""
    import yaml

    data = yaml.safe_load(text)
    rows = data.get("releases") if isinstance(data, dict) else None
    if not isinstance(rows, list):
        raise CompatError("compat.yaml: no releases list")
    return [_row(item, i) for i, item in enumerate(rows)]


@functools.lru_cache(maxsize=1)
def load_compat() -> tuple[Release, ...]:
    """The packaged compatibility rows."""
    with open(DATA_FILE, encoding="utf-8") as fh:
        return tuple(parse_compat(fh.read()))


def newest_for_driver(driver: Optional[str], framework: str = "torch_mlu") -> Optional[Release]:
    """The newest published `framework` release whose minimum driver is <= `driver`; None when unknown."""
    if version_tuple(driver) is None:
        return None
    fits = [r for r in load_compat() if r.framework == framework and r.channel == "release"
            and older(driver, r.get("driver")) is False]
    return max(fits, key=lambda r: version_tuple(r.version) or (), default=None)


def driver_remedy(driver: Optional[str], framework: str = "torch_mlu") -> str:
    """A sentence naming the newest release the present driver runs (leading space), or "" when not known."""
    try:
        row = newest_for_driver(driver, framework)
    except (OSError, CompatError):
        return ""
    if row is None:
        return ""
    same = [r for r in load_compat() if r.framework == framework and r.channel == "release"
            # one release, built for several torch
            and version_tuple(r.version) == version_tuple(row.version)]
    torch = ", ".join(dict.fromkeys(r.get("torch") or "?" for r in same))
    return " " + _("Or stay on driver {driver}: the newest {framework} release in mlu-doctor's compatibility "
                   "data "
                   "that it runs is {version} (torch {torch}; needs driver >= {need}; source: {source}).",
                   driver=driver, framework=framework,
                   version=row.version.split("-torch")[0].split("+torch")[0],
                   torch=torch, need=row.get("driver"), source=row.sources[0])
