"""Workload evidence: which MLU platform the user's scripts and offline models target (bounded scan)."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from typing import Optional

from mlu_doctor.facts.model import WorkloadEvidence
from mlu_doctor.records import record as dataclass  # shared eq/repr: faster import
from mlu_doctor.system.files import FileSource

SKIP_DIRS = {".git", ".hg", ".svn", "__pycache__", "datasets", "coco", "images", "labels", "runs",
             "node_modules", ".venv", "venv", ".tox", ".mypy_cache", ".idea"}
TEXT_SUFFIXES = (".py", ".sh", ".bash", ".cfg", ".ini", ".yaml", ".yml", ".txt")


@dataclass(frozen=True)
class ScanLimits:
    max_depth: int = 4
    max_files: int = 400  # files opened
    max_entries: int = 5000  # names looked at
    max_file_bytes: int = 256 * 1024
    max_total_bytes: int = 8 * 1024 * 1024
    max_evidence: int = 40


_CORE_VERSION = re.compile(r"""set_core_version\(\s*['"]([A-Za-z0-9_]+)['"]""")
_MCORE = re.compile(r"""-mcore[\s=]+['"]?(MLU\d{3})""", re.IGNORECASE)
_CORE_NUMBER = re.compile(r"""(?:set_core_number\(\s*|-core_number[\s=]+|\bcore_number\s*[=:]\s*)(\d+)""")
_MODEL_TARGET = (("mlu270", "MLU270"), ("_270_", "MLU270"), ("mlu220", "MLU220"), ("_220_", "MLU220"))
_TWINS_CORE = r"(?m)^\s*Core version:[ \t]*(\S*)"  # compiled on use (re caches it): only with a twins file


def _target(text: str) -> Optional[str]:
    m = re.match(r"(?i)mlu(\d{3})", text)
    return f"MLU{m.group(1)}" if m else None


def walk(fs: FileSource, top: str, limits: ScanLimits) -> Iterator[str]:
    """File paths below `top`, breadth first, skipping VCS/dataset/cache dirs, within the limits."""
    queue, seen = [(top, 0)], 0
    while queue:
        folder, depth = queue.pop(0)
        for name in fs.listdir(folder) or []:
            seen += 1
            if seen > limits.max_entries:
                return
            path = posixpath.join(folder, name)
            if fs.is_dir(path):
                if depth + 1 < limits.max_depth and name not in SKIP_DIRS and not name.startswith("."):
                    queue.append((path, depth + 1))
            else:
                yield path


def scan_text(path: str, text: str) -> list[WorkloadEvidence]:
    """Evidence lines in one script or config (comments skipped)."""
    out: list[WorkloadEvidence] = []
    lines = text.splitlines()
    for i, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        src, excerpt = f"{path}:{i}", line[:200]
        for m in _CORE_VERSION.finditer(line):
            out.append(WorkloadEvidence("set_core_version", _target(m.group(1)), src, excerpt))
        for m in _MCORE.finditer(line):
            out.append(WorkloadEvidence("mcore", _target(m.group(1)), src, excerpt))
        if path.endswith((".sh", ".bash")) and "genoff.py" in line and "-mcore" not in _joined(lines, i - 1):
            out.append(WorkloadEvidence("mcore", "MLU270", src,
                                        excerpt + "   (no -mcore: genoff defaults to MLU270)"))
        for m in _CORE_NUMBER.finditer(line):
            n = int(m.group(1))
            out.append(WorkloadEvidence("core_number", "MLU270" if n > 4 else None, src, excerpt, n))
    return out


def _joined(lines: list[str], start: int) -> str:
    """A shell command with its backslash continuations."""
    parts, i = [], start
    while i < len(lines):
        parts.append(lines[i])
        if not lines[i].rstrip().endswith("\\"):
            break
        i += 1
    return " ".join(parts)


def model_name_evidence(path: str) -> Optional[WorkloadEvidence]:
    name = posixpath.basename(path).lower()
    for mark, target in _MODEL_TARGET:
        if mark in name:
            return WorkloadEvidence("offline-model", target, path, posixpath.basename(path))
    return None


def twins_evidence(path: str, text: str) -> WorkloadEvidence:
    """A `.cambricon_twins` file: its `Core version:` (often empty, then target unknown)."""
    m = re.search(_TWINS_CORE, text)
    line = text[: m.start()].count("\n") + 1 if m else 0
    value = m.group(1) if m else ""
    excerpt = f"Core version: {value}" if m else "no 'Core version:' line"
    return WorkloadEvidence("twins", _target(value) if value else None, f"{path}:{line}" if m else path,
                            excerpt)


def scan_project(fs: FileSource, top: str, limits: ScanLimits = ScanLimits()) -> tuple[list[WorkloadEvidence],
                                                                                       int]:
    """(evidence, files read) for the project below `top`."""
    found: list[WorkloadEvidence] = []
    opened = total = 0
    for path in walk(fs, top, limits):
        if len(found) >= limits.max_evidence or opened >= limits.max_files or total >= limits.max_total_bytes:
            break
        if path.endswith(".cambricon"):
            ev = model_name_evidence(path)
            found.extend([ev] if ev else [])
            continue
        if not path.endswith((".cambricon_twins", *TEXT_SUFFIXES)):
            continue
        data = fs.read_bytes(path, limits.max_file_bytes)
        if data is None or b"\x00" in data[:1024]:
            continue
        opened, total = opened + 1, total + len(data)
        text = data.decode("utf-8", errors="replace")
        found.extend([twins_evidence(path, text)] if path.endswith(".cambricon_twins")
                     else scan_text(path, text))
    return found[: limits.max_evidence], opened
