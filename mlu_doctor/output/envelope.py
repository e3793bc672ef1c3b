"""The one envelope of every JSON document a command prints or writes: `schema_version`, `tool`, `kind`, then
the command's own keys (check: findings, facts, summary; fix: mode, recipes, ...; undo: mode, outcome, files,
... or, for `undo --list`, mode, journals).

`kind` names the document (the command that made it: check, report, facts, fix, undo, explain, fetch-coco,
inject); `schema_version` is the version of that kind's keys: 1 for every command result, the facts schema for
a facts document (which `check --facts` reads back and refuses when it is newer than it knows).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from mlu_doctor.records import record

SCHEMA_VERSION = 1
TOOL = "mlu-doctor"
RESERVED = ("schema_version", "tool", "kind")
KINDS = ("check", "report", "facts", "fix", "undo", "explain", "fetch-coco", "inject")


@record(frozen=True)
class Envelope:
    """One JSON document: `kind` and the command's keys, versioned and signed with the tool's version."""

    kind: str
    data: Mapping[str, Any]
    schema_version: int = SCHEMA_VERSION

    def to_data(self) -> dict[str, Any]:
        """{"schema_version", "tool": {"name", "version"}, "kind", **data}; data may not reuse those keys."""
        from mlu_doctor import __version__

        if self.kind not in KINDS:
            raise ValueError(f"unknown envelope kind {self.kind!r}")
        clash = [k for k in RESERVED if k in self.data]
        if clash:
            raise ValueError(f"envelope data may not set {', '.join(clash)}")
        return {"schema_version": self.schema_version, "tool": {"name": TOOL, "version": __version__},
                "kind": self.kind, **self.data}

    def to_json(self) -> str:
        """Indented UTF-8 JSON text ending in a newline."""
        return json.dumps(self.to_data(), indent=2, ensure_ascii=False) + "\n"
