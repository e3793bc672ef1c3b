"""One loader for every kind of plugin (plugin_contract.py): entry points found by importlib.metadata.

Start-up: importing importlib.metadata costs about 15 ms (email, zipfile, csv, tempfile), a sixth of a
`check`, which reads its plugins on every run. So `declared()` first reads the entry_points.txt files on
sys.path (about 1 ms) and only when one of them names the group is importlib.metadata imported. That scan
is a gate, never the answer: which entry points load, and in which order, is importlib.metadata's. This
module defines no record, and `check` imports the contract (plugin_contract.py) only past the gate.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from mlu_doctor.i18n import _

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

    from mlu_doctor.plugin_contract import Plugin, PluginKind

T = TypeVar("T")

# The entry-point groups; plugin_contract.py says what an entry point of each must name.
CHECKS_GROUP = "mlu_doctor.checks"
RECIPES_GROUP = "mlu_doctor.recipes"
SIGNATURES_GROUP = "mlu_doctor.signatures"


def declared(group: str, path: Iterable[str] | None = None) -> bool:
    """Whether a distribution on `path` (default sys.path) may declare entry points of `group`."""
    for base in sys.path if path is None else path:
        try:
            names = os.listdir(base or ".")
        except NotADirectoryError:  # a zip archive: only importlib.metadata looks inside
            return True
        except OSError:
            continue
        egg = base.lower().endswith(".egg")  # an egg's own metadata is its EGG-INFO folder
        infos = [e for e in names if e.lower().endswith((".dist-info", ".egg-info"))
                 or (egg and e.lower() == "egg-info")]
        if any(_names_group(os.path.join(base or ".", info, "entry_points.txt"), group) for info in infos):
            return True
    return False


def _names_group(path: str, group: str) -> bool:
    from mlu_doctor.system.files import read_regular

    try:  # bounded, and never blocking: a FIFO in some site-packages must not hang every command
        return f"[{group}]".encode() in read_regular(path, 1 << 20)
    except (OSError, ValueError):
        return False


def entry_points(group: str) -> list[EntryPoint]:
    """The entry points of `group` of the installed distributions, each distribution once, first on sys.path
    first."""
    from importlib import metadata

    found: Any = metadata.entry_points()
    # Python 3.9: a dict
    eps = found.select(group=group) if hasattr(found, "select") else found.get(group, [])
    seen: set[tuple[str, str]] = set()
    out: list[EntryPoint] = []
    for ep in eps:  # 3.9 lists a distribution found twice on sys.path twice
        if (ep.name, ep.value) not in seen:
            seen.add((ep.name, ep.value))
            out.append(ep)
    return out


def load_plugins(kind: PluginKind[T]) -> tuple[list[Plugin[T]], list[str]]:
    """Every item the installed plugins of `kind` provide, and one line per plugin that failed to load."""
    if not declared(kind.group):
        return [], []
    return load_declared(kind)


def load_declared(kind: PluginKind[T]) -> tuple[list[Plugin[T]], list[str]]:
    """`load_plugins` past its gate: for a caller that asked `declared(kind.group)` itself."""
    from mlu_doctor.plugin_contract import Plugin  # loaded by the caller already (it holds `kind`)

    loaded: list[Plugin[T]] = []
    problems: list[str] = []
    for ep in entry_points(kind.group):
        try:
            items = kind.items(ep.load())
        except Exception as exc:  # a broken plugin is reported; the run goes on without it
            problems.append(_("plugin {name} ({value}): {error}", name=ep.name, value=ep.value,
                              error=f"{type(exc).__name__}: {exc}"))
            continue
        loaded.extend(Plugin(item, ep.name, ep.value) for item in items)
    return loaded, problems
