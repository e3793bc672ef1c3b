"""Mask personal and secret values in report text with consistent placeholders (`<host-1>`, `<user-1>`).

Two sources of values: literals the caller knows (host name, user, home, serials, secret env vars)
and patterns found in the text itself (IPv4/IPv6, MAC, e-mail, URL credentials, Authorization
headers, *TOKEN*/*SECRET*/*PASSWORD*/*KEY* assignments, serial numbers, /home/NAME). `learn()` first
collects pattern-found values from every text, so a token seen once in context is masked everywhere;
`redact()` then replaces everything in one regex pass (replacements are never scanned again).
Placeholders hold no quotes or backslashes, so JSON text stays valid.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

_NOT_JSON_LITERAL = r"(?!(?:null|true|false)\b)"
_SECRET_NAME = (
    r"[A-Z0-9_]*(?:TOKEN|SECRET|PASSWORD|PASSWD|PASS|KEY|CREDENTIAL|AUTH)[A-Z0-9_]*"
    r"|[a-z0-9_]*(?:token|secret|password|passwd|api_?key|access_?key|secret_?key|private_?key)\b"
)
_VALUE = _NOT_JSON_LITERAL + r"[^\s\"',;&<>{}\[\]]+"
_JSON_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")

# (kind, regex with optional group `pre` kept as is and group `val` masked)
PATTERNS: tuple[tuple[str, str], ...] = (
    ("secret", r"(?P<pre>\b[a-zA-Z][\w+.-]*://)(?P<val>[^\s/@:\"'<>]+(?::[^\s/@\"'<>]*)?)(?=@)"),
    ("secret",
     r"(?P<pre>(?i:authorization)[\"']?\s*[:=]\s*[\"']?(?:(?i:bearer|basic|token)\s+)?)"
     r"(?P<val>" + _VALUE + ")"),
    ("secret", r"(?P<pre>\b(?:" + _SECRET_NAME + r")[\"']?\s*[:=]\s*[\"']?)(?P<val>" + _VALUE + ")"),
    ("serial",
     r"(?P<pre>(?i:\b(?:board[ _-]?)?serial(?:[ _-]*(?:number|no|num))?|\bSN)[\"']?\s*[:=]\s*[\"']?)"
               r"(?P<val>" + _NOT_JSON_LITERAL + r"[A-Za-z0-9][\w-]{2,})"),
    ("email", r"(?P<val>\b[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)"),
    ("secret", r"(?P<val>\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_\w{20,}|hf_[A-Za-z0-9]{20,}|sk-[\w-]{20,}"
               r"|xox[abprs]-[\w-]{10,}|AKIA[0-9A-Z]{16}|glpat-[\w-]{20,})\b)"),
    ("mac", r"(?P<val>(?<![\w:])(?:[0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}(?![\w:]))"),
    ("ip", r"(?P<val>(?<![\w:.])(?:(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}"
           r"|(?:[0-9A-Fa-f]{1,4}:){1,7}:(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){0,6})?"
           r"|::(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{1,4})(?![\w:]))"),
    ("ip", r"(?P<val>(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?![\w.]))"),
    ("user", r"(?P<pre>/(?:home|Users)/)(?P<val>[^/\s\"':<>]+)"),
)
_SECRET_NAME_RE = re.compile(f"(?:{_SECRET_NAME})")


def is_secret_name(name: str) -> bool:
    """Whether a variable name looks like it holds a secret (*TOKEN*, *SECRET*, *PASSWORD*, *KEY*...)."""
    return bool(_SECRET_NAME_RE.fullmatch(name))


_CONTEXT_PATTERNS = 5  # the first PATTERNS: URL credentials, Authorization, secret names, serials, e-mail
KEEP = frozenset({"127.0.0.1", "0.0.0.0", "::1", "::", "localhost", "root", "none", "null"})
MIN_LITERAL = 3


class Redactor:
    """Consistent placeholders for every value it masks, across all the texts it is given."""

    def __init__(self) -> None:
        self.literals: dict[str, str] = {}  # value -> kind
        self.placeholders: dict[str, str] = {}  # value -> "<kind-n>"
        self._counts: dict[str, int] = {}
        self._regex: re.Pattern | None = None

    def add(self, kind: str, values: Iterable[str | None]) -> None:
        """Known values to mask wherever they appear (too short or harmless ones are ignored)."""
        for value in values:
            value = (value or "").strip()
            shortest = 2 if kind in ("host", "user") else MIN_LITERAL
            if len(value) >= shortest and value.lower() not in KEEP and value.rstrip("/") not in ("", "/"):
                self.literals.setdefault(value, kind)
                self._regex = None

    def learn(self, text: str) -> None:
        """Collect the values the patterns find in `text`, to mask them everywhere."""
        for kind, pattern in PATTERNS:
            for m in re.finditer(pattern, text):
                self.add(kind, [m.group("val")])

    def placeholder(self, kind: str, value: str) -> str:
        if value not in self.placeholders:
            self._counts[kind] = self._counts.get(kind, 0) + 1
            self.placeholders[value] = f"<{kind}-{self._counts[kind]}>"
        return self.placeholders[value]

    def _compile(self) -> re.Pattern:
        variants: dict[str, str] = {}
        for value in self.literals:
            variants[value] = value
            variants.setdefault(json.dumps(value)[1:-1], value)  # as it appears inside JSON strings
        alts = [f"(?P<p{i}>{p.replace('?P<pre>', f'?P<pre{i}>').replace('?P<val>', f'?P<val{i}>')})"
                for i, (_, p) in enumerate(PATTERNS)]
        # known values: after the patterns that keep context (assignments, e-mail), before the rest
        if variants:
            words = "|".join(re.escape(v) for v in sorted(variants, key=len, reverse=True))
            alts.insert(_CONTEXT_PATTERNS, f"(?P<lit>(?<![A-Za-z0-9])(?:{words})(?![A-Za-z0-9]))")
        self._variants = variants
        return re.compile("|".join(alts))

    def _replace(self, m: re.Match) -> str:
        groups = m.groupdict()
        if groups.get("lit") is not None:
            value = self._variants[groups["lit"]]
            return self.placeholder(self.literals[value], value)
        i = next(i for i in range(len(PATTERNS)) if groups[f"p{i}"] is not None)
        value, pre = groups[f"val{i}"], groups.get(f"pre{i}") or ""
        if value.lower() in KEEP:
            return m.group(0)
        mask = self.placeholder(self.literals.get(value, PATTERNS[i][0]), value)
        if _JSON_NUMBER.fullmatch(value) and not pre.endswith(("'", '"')):
            mask = f'"{mask}"'  # keep JSON valid where a number was
        return pre + mask

    def redact(self, text: str) -> str:
        """`text` with every known and pattern-found value replaced by its placeholder."""
        if self._regex is None:
            self._regex = self._compile()
        return self._regex.sub(self._replace, text)


def redact_texts(texts: list[str], redactor: Redactor | None = None) -> list[str]:
    """Learn from all texts first, then redact each (same placeholders everywhere)."""
    redactor = redactor or Redactor()
    for text in texts:
        redactor.learn(text)
    return [redactor.redact(text) for text in texts]
