"""Emulate Python's path finder over a search path, through a FileSource (no import, no exec).

For a top-level name, each entry is tried in order: a directory with `__init__` is a regular package
and wins at once; a module file (`name.py`, `name.pyc`, `name.<abi>.so`) wins next; a directory without
`__init__` is only a namespace portion, used when no later entry has a regular package or module.
"""

from __future__ import annotations

import posixpath
from dataclasses import field
from typing import Optional

from mlu_doctor.records import record as dataclass  # shared eq/repr: faster import
from mlu_doctor.system.files import FileSource

SOURCE_SUFFIXES = (".py", ".pyc")
EXT_MARK = ".so"


@dataclass
class Spec:
    """What a top-level import found: kind is package | module | namespace; None when nothing."""

    kind: str
    origin: str  # the package dir or the module file
    portions: list[str] = field(default_factory=list)  # search locations for submodules
    entry: str = ""  # the sys.path entry it came from


def _module_file(fs: FileSource, entry: str, name: str, listing: Optional[list[str]]) -> Optional[str]:
    for suffix in SOURCE_SUFFIXES:
        path = posixpath.join(entry, name + suffix)
        if fs.is_file(path):
            return path
    for n in listing or []:
        if n.startswith(name + ".") and n.endswith(EXT_MARK) and n.count(".") >= 2:
            return posixpath.join(entry, n)
    return None


def _is_regular_package(fs: FileSource, path: str) -> bool:
    return any(fs.is_file(f"{path}/__init__{s}") for s in SOURCE_SUFFIXES)


def find_top(fs: FileSource, path: list[str], name: str) -> Optional[Spec]:
    """The spec `import name` would get with sys.path = `path`."""
    portions: list[str] = []
    for entry in path:
        pkg = posixpath.join(entry, name)
        is_dir = fs.is_dir(pkg)
        if is_dir and _is_regular_package(fs, pkg):
            return Spec("package", pkg, [pkg], entry)
        listing = fs.listdir(entry) if fs.is_dir(entry) else None
        found = _module_file(fs, entry, name, listing)
        if found:
            return Spec("module", found, [], entry)
        if is_dir:
            portions.append(pkg)
    if portions:
        return Spec("namespace", portions[0], portions, portions[0].rsplit("/", 1)[0])
    return None


def find_sub(fs: FileSource, spec: Spec, name: str) -> Optional[str]:
    """Where `<spec>.<name>` would load from, or None (a module parent has no submodules)."""
    for portion in spec.portions:
        pkg = posixpath.join(portion, name)
        if fs.is_dir(pkg) and _is_regular_package(fs, pkg):
            return pkg
        found = _module_file(fs, portion, name, fs.listdir(portion))
        if found:
            return found
    return None


def search_path(cwd: str, pythonpath: Optional[str], site_path: list[str]) -> list[str]:
    """[cwd] + PYTHONPATH entries (empty or relative ones resolved against cwd) + the interpreter's path."""
    out = [cwd]
    for part in (pythonpath or "").split(":") if pythonpath else []:
        out.append(posixpath.normpath(posixpath.join(cwd, part)) if part else cwd)
    out.extend(site_path)
    return list(dict.fromkeys(out))  # first occurrence of each, in order
