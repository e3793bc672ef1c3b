"""The capture manifest: per System, the answers it gave (paths, ranges, which, commands) and how it was
asked.

```
{"format": "mlu-doctor-capture", "version": 1, "tool": "mlu-doctor 0.1.0", "created": "...",
 "target": "host", "systems": {"host": SYSTEM, "container": SYSTEM}}      # container: only with --container
SYSTEM = {"label": "host", "root": "/", "is_host": true, "can_run": true, "environ": {...},
          "context": {"python": null, "project_dir": "/work", "cwd": "/work", "timeout": 3.0,
                      "coco_roots": []},
          "paths": {"/proc/modules": {"exists": true, "file": true, "data": DATA, "complete": true}, ...},
          "ranges": {"/x/_MLUC.so": [{"offset": 0, "b64": "..."}]},
          "which": {"cnmon": "/usr/bin/cnmon"}, "writable": {"/root/.cache/torch": [true, null, 66676658176]},
          "runs": [{"argv": [...], "cwd": null, "returncode": 0, "stdout": "", "stderr": "", "seconds": 0.1,
                    "timed_out": false, "error": null}],
          "facts": {...}}          # container only: its ContainerFacts (inspect), without the probed sections
DATA = {"member": "host/files/proc/modules"} (tarball) | {"b64": "..."} (probe script) | null (unreadable)
```
A path entry holds only the questions that were asked: `exists` (lstat), `dir` / `file` (followed), `link`
(readlink), `list` (listdir; null = could not list), `data` + `complete` (bytes read; complete when the
read ended before its limit). Absent keys are unknown; replay.py derives what it can from the parent's
listing.
"""

from __future__ import annotations

import base64
import posixpath
import threading
from collections.abc import Callable, Mapping
from typing import Any

from mlu_doctor.errors import UsageError
from mlu_doctor.i18n import _

FORMAT = "mlu-doctor-capture"
CAPTURE_VERSION = 1
SYSTEM_NAMES = ("host", "container")
BOOL_KEYS = ("exists", "dir", "file", "complete")


def norm(path: str) -> str:
    """The key of a path: absolute, normalised (`..` and `.` folded, no trailing slash)."""
    return posixpath.normpath("/" + path.lstrip("/")) if path else "/"


class SystemCapture:
    """What one System answered. Filled by a recorder (thread-safe: early commands run in threads) or
    loaded."""

    def __init__(self, label: str = "host", root: str = "/", is_host: bool = True, can_run: bool = True,
                 environ: Mapping[str, str] | None = None) -> None:
        self.label, self.root, self.is_host, self.can_run = label, root, is_host, can_run
        self.environ: dict[str, str] = dict(environ or {})
        self.context: dict[str, Any] = {}
        self.paths: dict[str, dict[str, Any]] = {}
        self.data: dict[str, bytes | None] = {}  # path -> bytes read (None: asked, not readable)
        self.ranges: dict[str, list[tuple[int, bytes]]] = {}
        self.which: dict[str, str | None] = {}
        self.writable: dict[str, list[Any]] = {}  # path -> [writable, why not, free bytes] (facts/env.py)
        self.runs: list[dict[str, Any]] = []
        self.facts: dict[str, Any] | None = None
        self._lock = threading.Lock()

    def entry(self, path: str) -> dict[str, Any]:
        return self.paths.setdefault(norm(path), {})

    def note(self, path: str, key: str, value: Any) -> None:
        """Record one answer about `path` (the first answer wins: later ones come from the same system)."""
        with self._lock:
            self.entry(path).setdefault(key, value)

    def note_read(self, path: str, data: bytes | None, limit: int) -> None:
        """Keep the longest read of `path`; complete when it ended before `limit`."""
        key = norm(path)
        with self._lock:
            entry = self.entry(key)
            old = self.data.get(key)
            if key in self.data and (data is None or (old is not None and len(old) >= len(data))):
                return
            self.data[key] = data
            entry["complete"] = data is not None and len(data) < limit

    def note_range(self, path: str, offset: int, data: bytes | None) -> None:
        if data:
            with self._lock:
                self.ranges.setdefault(norm(path), []).append((offset, data))

    def note_run(self, run: dict[str, Any]) -> None:
        with self._lock:
            self.runs.append(run)


class Capture:
    """A whole capture: the host's System and, with --container, the container's."""

    def __init__(self, tool: str = "", created: str = "", target: str = "host") -> None:
        self.tool, self.created, self.target = tool, created, target
        self.systems: dict[str, SystemCapture] = {}

    def to_manifest(self, store: Callable[[str, bytes], dict[str, Any]]) -> dict[str, Any]:
        """The JSON manifest; `store(member_name, bytes)` says how file contents are kept (member or
        inline)."""
        return {"format": FORMAT, "version": CAPTURE_VERSION, "tool": self.tool, "created": self.created,
                "target": self.target,
                "systems": {name: _system_out(name, s, store) for name, s in self.systems.items()}}


def inline(_name: str, data: bytes) -> dict[str, Any]:
    """Keep file contents in the manifest itself (the probe script's JSON)."""
    return {"b64": base64.b64encode(data).decode("ascii")}


def _system_out(name: str, s: SystemCapture, store: Callable[[str, bytes], dict[str, Any]]) -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    for path in sorted(set(s.paths) | set(s.data)):
        entry = dict(s.paths.get(path, {}))
        if path in s.data:
            data = s.data[path]
            entry["data"] = None if data is None else store(f"{name}/files{path}", data)
        paths[path] = entry
    out: dict[str, Any] = {
        "label": s.label, "root": s.root, "is_host": s.is_host, "can_run": s.can_run, "environ": s.environ,
        "context": s.context, "paths": paths,
        "ranges": {p: [{"offset": o, **inline("", d)} for o, d in sorted(r)]
                   for p, r in sorted(s.ranges.items())},
        "which": s.which, "runs": s.runs, "writable": s.writable,
    }
    if s.facts is not None:
        out["facts"] = s.facts
    return out


# --- loading: every field checked; a malformed manifest is one UsageError --------------------------


class Invalid(ValueError):
    """A manifest field of the wrong type (the message names it)."""


def _need(value: Any, kind: type | tuple[type, ...], where: str) -> Any:
    """`value` when it is a `kind` (a bool is not a number here); else Invalid naming the field."""
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
        raise Invalid(where)
    return value


def _opt_str(value: Any, where: str) -> str | None:
    return None if value is None else _need(value, str, where)


def _strings(value: Any, where: str) -> list[str]:
    return [_need(v, str, where) for v in _need(value, list, where)]


def _str_map(value: Any, where: str, optional: bool = False) -> dict[str, Any]:
    out = {}
    for k, v in _need(value, dict, where).items():
        out[k] = _opt_str(v, f"{where}.{k}") if optional else _need(v, str, f"{where}.{k}")
    return out


def load_manifest(data: Any, blob: Callable[[str], bytes | None], origin: str) -> Capture:
    """A Capture from manifest data; `blob(member)` gives tarball members. Raises UsageError naming
    `origin`."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise UsageError(_("{path} is not an mlu-doctor capture (no \"format\": \"{format}\")", path=origin,
                           format=FORMAT))
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or not 1 <= version <= CAPTURE_VERSION:
        raise UsageError(_("{path} is capture version {version}; this mlu-doctor reads version {supported}: "
                           "upgrade mlu-doctor or capture again with this version",
                           path=origin, version=repr(version), supported=CAPTURE_VERSION))
    try:
        cap = Capture(_need(data.get("tool", ""), str, "tool"),
                      _need(data.get("created", ""), str, "created"),
                      _need(data.get("target", "host"), str, "target"))
        systems = _need(data.get("systems"), dict, "systems")
        for name, raw in systems.items():
            if name not in SYSTEM_NAMES:
                raise Invalid(f"systems.{name}")
            cap.systems[name] = _load_system(_need(raw, dict, f"systems.{name}"), blob, f"systems.{name}")
    except Invalid as exc:
        raise UsageError(_("{path}: invalid capture: bad or missing {field}", path=origin,
                           field=exc)) from None
    except MissingMember as exc:
        raise UsageError(_("{path}: invalid capture: member {member} is missing or not a regular file",
                           path=origin, member=exc)) from None
    if "host" not in cap.systems:
        raise UsageError(_("{path}: invalid capture: bad or missing {field}", path=origin,
                           field="systems.host"))
    return cap


class MissingMember(LookupError):
    """A member the manifest names is not in the tarball (or is not a regular file)."""


def _data(value: Any, blob: Callable[[str], bytes | None], where: str) -> bytes | None:
    if value is None:
        return None
    value = _need(value, dict, where)
    if "b64" in value:
        try:
            return base64.b64decode(_need(value["b64"], str, where), validate=True)
        except ValueError:
            raise Invalid(where) from None
    member = _need(value.get("member"), str, where)
    found = blob(member)
    if found is None:
        raise MissingMember(member)
    return found


def _load_system(raw: dict[str, Any], blob: Callable[[str], bytes | None], where: str) -> SystemCapture:
    s = SystemCapture(_need(raw.get("label", "host"), str, f"{where}.label"),
                      _need(raw.get("root", "/"), str, f"{where}.root"),
                      _need(raw.get("is_host", False), bool, f"{where}.is_host"),
                      _need(raw.get("can_run", False), bool, f"{where}.can_run"),
                      _str_map(raw.get("environ", {}), f"{where}.environ"))
    s.context = _context(_need(raw.get("context", {}), dict, f"{where}.context"), f"{where}.context")
    for path, entry in _need(raw.get("paths", {}), dict, f"{where}.paths").items():
        s.paths[norm(path)] = _entry(_need(entry, dict, f"{where}.paths"), f"{where}.paths[{path}]")
        if "data" in entry:
            s.data[norm(path)] = _data(entry["data"], blob, f"{where}.paths[{path}].data")
    for path, ranges in _need(raw.get("ranges", {}), dict, f"{where}.ranges").items():
        for item in _need(ranges, list, f"{where}.ranges"):
            item = _need(item, dict, f"{where}.ranges[{path}]")
            offset = _need(item.get("offset"), int, f"{where}.ranges[{path}].offset")
            data = _data(item, blob, f"{where}.ranges[{path}]")
            s.note_range(path, max(offset, 0), data)
    s.which = _str_map(raw.get("which", {}), f"{where}.which", optional=True)
    for path, answer in _need(raw.get("writable", {}), dict, f"{where}.writable").items():
        s.writable[norm(path)] = _writable(answer, f"{where}.writable[{path}]")
    s.runs = [_run(_need(r, dict, f"{where}.runs"), f"{where}.runs")
              for r in _need(raw.get("runs", []), list, f"{where}.runs")]
    if raw.get("facts") is not None:
        s.facts = _need(raw["facts"], dict, f"{where}.facts")
    return s


def _context(raw: dict[str, Any], where: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in ("python", "project_dir", "cwd"):
        out[key] = _opt_str(raw.get(key), f"{where}.{key}")
    timeout = raw.get("timeout")
    out["timeout"] = None if timeout is None else float(_need(timeout, (int, float), f"{where}.timeout"))
    out["coco_roots"] = _strings(raw.get("coco_roots", []), f"{where}.coco_roots")
    return out


def _writable(raw: Any, where: str) -> list[Any]:
    items = _need(raw, list, where)
    if len(items) != 3:
        raise Invalid(where)
    ok, why, free = items
    return [None if ok is None else _need(ok, bool, where), _opt_str(why, where),
            None if free is None else _need(free, int, where)]


def _entry(raw: dict[str, Any], where: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in BOOL_KEYS:
        if key in raw:
            out[key] = _need(raw[key], bool, f"{where}.{key}")
    if "link" in raw:
        out["link"] = _opt_str(raw["link"], f"{where}.link")
    if "list" in raw:
        out["list"] = None if raw["list"] is None else _strings(raw["list"], f"{where}.list")
    return out


def _run(raw: dict[str, Any], where: str) -> dict[str, Any]:
    code = raw.get("returncode")
    seconds = raw.get("seconds", 0.0)
    return {
        "argv": _strings(raw.get("argv"), f"{where}.argv"),
        "cwd": _opt_str(raw.get("cwd"), f"{where}.cwd"),
        "returncode": None if code is None else _need(code, int, f"{where}.returncode"),
        "stdout": _need(raw.get("stdout", ""), str, f"{where}.stdout"),
        "stderr": _need(raw.get("stderr", ""), str, f"{where}.stderr"),
        "seconds": float(_need(seconds, (int, float), f"{where}.seconds")),
        "timed_out": _need(raw.get("timed_out", False), bool, f"{where}.timed_out"),
        "error": _opt_str(raw.get("error"), f"{where}.error"),
    }
