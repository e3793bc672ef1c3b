"""Log signatures as data: loaded once from signatures.yaml, validated field by field, regexes compiled once.

A signature file is user input (`explain --signatures FILE`): every wrong type, empty keyword, bad regex
or malformed template is a ConfigError naming the entry and the field, never a TypeError later.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mlu_doctor.errors import ConfigError
from mlu_doctor.explain.template import fields_of, fill, template_problem
from mlu_doctor.findings import Status
from mlu_doctor.i18n import _, language

__all__ = ["Signature", "builtin_signatures", "fields_of", "parse_signature", "parse_signatures"]

SIGNATURES_FILE = Path(__file__).with_name("signatures.yaml")
TEXT_FIELDS = ("title", "cause", "remedy")
NEXT_KINDS = ("check", "recipe", "command")
SEVERITIES = ("warn", "fail")
CONTEXT_LINES = 6
MAX_CONTEXT_LINES = 50
LIST_FIELDS = ("keywords", "patterns", "examples", "not_examples", "context", "supersedes")
KNOWN_FIELDS = frozenset({"id", "severity", "next", "context_lines", *LIST_FIELDS, *TEXT_FIELDS,
                          *(f"{name}_zh" for name in TEXT_FIELDS)})
_ID = re.compile(r"^log\.[a-z0-9]+(?:[.-][a-z0-9]+)*$")
_CJK_GAP = re.compile(r"(?<=[\u3000-\u303f\uff00-\uffef]) | (?=[\u3000-\u303f\uff00-\uffef])"
                      r"|(?<=[\u3000-\u9fff]) (?=[\u3000-\u9fff])")


def _squash_cjk(text: str) -> str:
    """Drop the spaces YAML folding puts between two Chinese characters."""
    return _CJK_GAP.sub("", text)


@dataclass(frozen=True)
class Signature:
    """One known error: how to spot it (keywords, patterns, context) and what to say (texts per language)."""

    id: str
    severity: Status
    keywords: tuple[bytes, ...]
    patterns: tuple[re.Pattern[str], ...]
    texts: dict[str, dict[str, str]]  # lang -> field -> template
    next: tuple[tuple[str, str], ...] = ()  # (kind, value)
    examples: tuple[str, ...] = field(default=(), compare=False)
    not_examples: tuple[str, ...] = field(default=(), compare=False)
    context: tuple[bytes, ...] = ()  # one of these must appear on this line or the `context_lines` before it
    context_lines: int = CONTEXT_LINES
    supersedes: tuple[str, ...] = ()  # ids not reported for a line this signature matched

    def text(self, name: str, captures: dict[str, str], lang: str | None = None) -> str:
        """A text field in `lang` (default: the current language) with captures filled; '?' when missing."""
        texts = self.texts.get(lang or language()) or self.texts["en"]
        return fill(texts.get(name) or self.texts["en"][name], captures)


def _keyword_bytes(words: list[str]) -> tuple[bytes, ...]:
    """Keywords as lower-cased raw bytes in UTF-8 and GB18030 (identical for ASCII)."""
    out: list[bytes] = []
    for w in words:
        for enc in ("utf-8", "gb18030"):
            b = w.encode(enc, "replace").lower()
            if b not in out:
                out.append(b)
    return tuple(out)


class _Entry:
    """One raw YAML mapping with typed accessors that raise ConfigError naming entry and field."""

    def __init__(self, raw: dict[Any, Any], where: str) -> None:
        self.raw, self.where = raw, where
        self.id = raw.get("id", "")
        if not isinstance(self.id, str) or not _ID.match(self.id):
            self.fail(_("id {id} must look like log.kebab-case", id=repr(self.id)))
        unknown = sorted(str(k) for k in raw if k not in KNOWN_FIELDS)
        if unknown:
            self.fail(_("unknown field(s) {keys}; known: {known}", keys=", ".join(unknown),
                        known=", ".join(sorted(KNOWN_FIELDS))))

    def fail(self, message: str) -> None:
        label = f"{self.where} ({self.id})" if isinstance(self.id, str) and self.id else self.where
        raise ConfigError(f"{label}: {message}")

    def strings(self, name: str, required: bool = False) -> list[str]:
        value = self.raw.get(name)
        if value is None or value == []:
            if required:
                self.fail(_("missing {keys}", keys=name))
            return []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(_("{field} must be a list of strings", field=name))
        return list(value)

    def text(self, name: str, required: bool) -> str | None:
        value = self.raw.get(name)
        if value is None or value == "":
            if required:
                self.fail(_("missing {keys}", keys=name))
            return None
        if not isinstance(value, str):
            self.fail(_("{field} must be a string", field=name))
        problem = template_problem(value)
        if problem:
            self.fail(_("{field}: {problem}", field=name, problem=problem))
        return " ".join(value.split())


def _patterns(entry: _Entry) -> tuple[re.Pattern[str], ...]:
    out = []
    for p in entry.strings("patterns", required=True):
        try:
            out.append(re.compile(p))
        except (re.error, OverflowError, RecursionError) as exc:
            entry.fail(_("bad pattern: {error}", error=exc))
    return tuple(out)


def _keywords(entry: _Entry, name: str, required: bool) -> tuple[bytes, ...]:
    words = entry.strings(name, required)
    if any(not w.strip() for w in words):
        entry.fail(_("{field}: an empty keyword would match every line", field=name))
    return _keyword_bytes(words)


def _next(entry: _Entry) -> tuple[tuple[str, str], ...]:
    items = entry.raw.get("next") or []
    if not isinstance(items, list):
        entry.fail(_("each 'next' entry is a one-key mapping: check: ID, recipe: ID or command: TEXT"))
    out = []
    for item in items:
        if (not isinstance(item, dict) or len(item) != 1 or next(iter(item)) not in NEXT_KINDS
                or not isinstance(next(iter(item.values())), (str, int, float))):
            entry.fail(_("each 'next' entry is a one-key mapping: check: ID, recipe: ID or command: TEXT"))
        kind, value = next(iter(item.items()))
        problem = template_problem(str(value))
        if problem:
            entry.fail(_("{field}: {problem}", field=f"next.{kind}", problem=problem))
        out.append((kind, str(value)))
    return tuple(out)


def _severity(entry: _Entry) -> Status:
    value = entry.raw.get("severity", "fail")
    if not isinstance(value, str) or value.strip().lower() not in SEVERITIES:
        entry.fail(_("severity must be one of {choices}", choices=", ".join(SEVERITIES)))
    return Status.parse(value)


def _context_lines(entry: _Entry) -> int:
    value = entry.raw.get("context_lines", CONTEXT_LINES)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_CONTEXT_LINES:
        entry.fail(_("context_lines must be a whole number from 0 to {n}", n=MAX_CONTEXT_LINES))
    return int(value)


def _texts(entry: _Entry) -> dict[str, dict[str, str]]:
    texts: dict[str, dict[str, str]] = {"en": {}}
    for name in TEXT_FIELDS:
        texts["en"][name] = entry.text(name, required=True) or ""
        zh = entry.text(f"{name}_zh", required=False)
        if zh:
            texts.setdefault("zh", {})[name] = _squash_cjk(zh)
    return texts


def parse_signature(raw: Any, where: str) -> Signature:
    """Validate one YAML entry and compile it."""
    if not isinstance(raw, dict):
        raise ConfigError(_("{where}: each signature is a mapping (id, keywords, patterns, title, ...)",
                            where=where))
    entry = _Entry(raw, where)
    return Signature(
        id=entry.id,
        severity=_severity(entry),
        keywords=_keywords(entry, "keywords", required=True),
        patterns=_patterns(entry),
        texts=_texts(entry),
        next=_next(entry),
        examples=tuple(entry.strings("examples")),
        not_examples=tuple(entry.strings("not_examples")),
        context=_keywords(entry, "context", required=False),
        context_lines=_context_lines(entry),
        supersedes=tuple(entry.strings("supersedes")),
    )


def _yaml_load(text: str, where: str = "signatures.yaml") -> Any:
    from mlu_doctor.untrusted import InputProblem, load_yaml

    try:
        return load_yaml(text, where)  # data tags only, no duplicate keys, aliases and nesting capped
    except InputProblem as exc:
        raise ConfigError(str(exc)) from None


def parse_signatures(text: str, where: str = "signatures.yaml") -> tuple[Signature, ...]:
    """Parse a YAML list of signatures; ids must be unique."""
    data = _yaml_load(text, where)
    if not isinstance(data, list):
        raise ConfigError(_("{where}: expected a list of signatures", where=where))
    sigs = tuple(parse_signature(raw, f"{where}[{i}]") for i, raw in enumerate(data))
    ids = [s.id for s in sigs]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise ConfigError(_("{where}: duplicate ids: {ids}", where=where, ids=", ".join(dupes)))
    return sigs


@functools.lru_cache(maxsize=1)
def builtin_signatures() -> tuple[Signature, ...]:
    """The signatures shipped with mlu-doctor (parsed once per process)."""
    return parse_signatures(SIGNATURES_FILE.read_text(encoding="utf-8"), SIGNATURES_FILE.name)
