"""The inspected files as they will be once the plans made before in this run are applied.

Recipes plan one after another from the same state; two of them may change one file (toolkit.ld-path and
env.torch-home both write the managed env file and the source block in ~/.profile). Each plan after the
first reads through PendingFiles, so its steps start from what the earlier plans write: the plan shows the
real edit, and applying it finds the file as the plan expected (it was refused as "changed since the plan").
"""

from __future__ import annotations

from collections.abc import Iterable

from mlu_doctor.recipes.base import MKDIR, WRITE, Step
from mlu_doctor.system.files import READ_LIMIT, FileSource, decode_text, glob_with


class PendingFiles:
    """A FileSource: `base` with the writes and folders of earlier plans laid over it (paths as the steps
    name them: symlinks already resolved)."""

    def __init__(self, base: FileSource) -> None:
        self.base = base
        self.label = base.label
        self.writes: dict[str, bytes] = {}
        self.folders: set[str] = set()

    def add(self, steps: Iterable[Step]) -> None:
        """Lay the file changes of one plan over the view."""
        for step in steps:
            if step.kind == WRITE and step.path and step.after is not None:
                self.writes[step.path] = step.after
            elif step.kind == MKDIR and step.path:
                self.folders.add(step.path)

    def _pending_dir(self, path: str) -> bool:
        prefix = path.rstrip("/") + "/"
        return path in self.folders or any(p.startswith(prefix) for p in (*self.writes, *self.folders))

    def read_bytes(self, path: str, limit: int = READ_LIMIT) -> bytes | None:
        if path in self.writes:
            return self.writes[path][:limit]
        return self.base.read_bytes(path, limit)

    def read_text(self, path: str, limit: int = READ_LIMIT) -> str | None:
        if path in self.writes:
            return decode_text(self.writes[path][:limit])
        return self.base.read_text(path, limit)

    def listdir(self, path: str) -> list[str] | None:
        names = set(self.base.listdir(path) or [])
        prefix = path.rstrip("/") + "/"
        for p in (*self.writes, *self.folders):
            if p.startswith(prefix):
                names.add(p[len(prefix):].split("/", 1)[0])
        return sorted(names) if names or self.base.is_dir(path) or self._pending_dir(path) else None

    def is_dir(self, path: str) -> bool:
        return self._pending_dir(path) or self.base.is_dir(path)

    def is_file(self, path: str) -> bool:
        return path in self.writes or self.base.is_file(path)

    def exists(self, path: str) -> bool:
        return path in self.writes or self._pending_dir(path) or self.base.exists(path)

    def readlink(self, path: str) -> str | None:
        return None if path in self.writes or path in self.folders else self.base.readlink(path)

    def glob(self, pattern: str) -> list[str]:
        return glob_with(self, pattern)
