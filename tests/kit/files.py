"""Paths of the checkout and small file builders shared by every test: `write`, `fake_tool`, `path_with`."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]  # the checkout: tests/kit/files.py -> tests/kit -> tests -> here
DATA = REPO / "tests" / "data"


def write(path: Path, text: str | bytes = "") -> Path:
    """Write a file, creating parents."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)
    return path


def fake_tool(bindir: Path, name: str, stdout: str = "", code: int = 0, sleep: float = 0) -> Path:
    """An executable that prints `stdout` (from a file beside it) and exits `code`."""
    bindir.mkdir(parents=True, exist_ok=True)
    out = bindir / f"{name}.out"
    out.write_text(stdout)
    script = bindir / name
    pause = f"sleep {sleep}\n" if sleep else ""
    script.write_text(f"#!/bin/sh\n{pause}cat '{out}'\nexit {code}\n")
    script.chmod(0o755)
    return script


def path_with(bindir: Path) -> str:
    return f"{bindir}{os.pathsep}/usr/bin:/bin"


def sample_tree(root: Path) -> Path:
    """A small tree to copy: nested folders, a 70 kB random file, a non-ASCII name, a 160-character name, an
    empty folder and a relative link."""
    (root / "a/b").mkdir(parents=True)
    (root / "empty").mkdir()
    (root / "a/b/x.bin").write_bytes(os.urandom(70_001))
    (root / "非ASCII 名字.txt").write_text("ü\n")
    (root / ("long" * 40)).write_bytes(b"L")
    (root / "a/l").symlink_to("b/x.bin")
    return root
