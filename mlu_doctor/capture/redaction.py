"""`capture --redact`: mask personal and secret values in everything a capture holds, consistently.

The same Redactor as `mlu-doctor report --redact` (mlu_doctor/redact.py): it first learns from every text
(the manifest and each text file), then replaces values everywhere with the same placeholders, in paths
too, so the replayed probes still find a redacted file under its redacted path. Binary contents (ELF
headers, files that are not UTF-8 text) are kept as they are.
"""

from __future__ import annotations

import json
import posixpath
from collections.abc import Callable
from typing import Any

from mlu_doctor.capture.model import Capture, SystemCapture
from mlu_doctor.redact import Redactor, is_secret_name


def _text(data: bytes | None) -> str | None:
    if data is None or b"\x00" in data:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _walk(value: Any, fix: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return fix(value)
    if isinstance(value, list):
        return [_walk(v, fix) for v in value]
    if isinstance(value, dict):
        return {fix(k) if isinstance(k, str) else k: _walk(v, fix) for k, v in value.items()}
    return value


def primed(capture: Capture) -> Redactor:
    """A Redactor that knows this machine's host name and the captured homes, users and secret variables."""
    import socket

    red = Redactor()
    hosts = [socket.gethostname()]
    for s in capture.systems.values():
        env = {**s.environ, **((s.facts or {}).get("env") or {})}
        hostname = _text(s.data.get("/etc/hostname"))
        hosts += [env.get("HOSTNAME", ""), (hostname or "").strip()]
        # masked by its user name: paths stay absolute (/home/<user-1>)
        home = (env.get("HOME") or "").rstrip("/")
        red.add("user", [env.get("USER"), env.get("LOGNAME"), posixpath.basename(home) if home != "/root"
                         else None])
        red.add("secret", [v for k, v in env.items() if isinstance(v, str) and v and is_secret_name(k)])
    red.add("host", [h for h in hosts if h] + [h.split(".")[0] for h in hosts if h])
    return red


def redact_capture(capture: Capture, red: Redactor | None = None) -> Capture:
    """`capture` with every text value, path and text file masked (in place; returned for convenience)."""
    red = red or primed(capture)
    red.learn(json.dumps(capture.to_manifest(lambda _n, _d: {}), ensure_ascii=False))
    for s in capture.systems.values():
        for data in s.data.values():
            text = _text(data)
            if text is not None:
                red.learn(text)
    fix = red.redact
    for s in capture.systems.values():
        _redact_system(s, fix)
    return capture


def _redact_system(s: SystemCapture, fix: Callable[[str], str]) -> None:
    s.label, s.root = fix(s.label), fix(s.root)
    s.environ = _walk(s.environ, fix)
    s.context = _walk(s.context, fix)
    s.paths = _walk(s.paths, fix)
    s.which = _walk(s.which, fix)
    s.runs = _walk(s.runs, fix)
    s.facts = _walk(s.facts, fix)
    s.ranges = {fix(p): r for p, r in s.ranges.items()}
    data: dict[str, bytes | None] = {}
    for path, blob in s.data.items():
        text = _text(blob)
        data[fix(path)] = blob if text is None else fix(text).encode("utf-8")
    s.data = data

