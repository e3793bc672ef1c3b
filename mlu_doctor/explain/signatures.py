"""Log signatures as data: loaded once from signatures.yaml, regexes compiled once, texts per language."""

from __future__ import annotations

import functools
import re
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mlu_doctor.errors import ConfigError
from mlu_doctor.i18n import _, language
from mlu_doctor.models import Status

SIGNATURES_FILE = Path(__file__).with_name("signatures.yaml")
TEXT_FIELDS = ("title", "cause", "remedy")
NEXT_KINDS = ("check", "recipe", "command")
_ID = re.compile(r"^log\.[a-z0-9]+(?:[.-][a-z0-9]+)*$")
_CJK_GAP = re.compile(r"(?<=[\u3000-\u303f\uff00-\uffef]) | (?=[\u3000-\u303f\uff00-\uffef])"
                      r"|(?<=[\u3000-\u9fff]) (?=[\u3000-\u9fff])")


def _squash_cjk(text: str) -> str:
    """Drop the spaces YAML folding puts between two Chinese characters."""
    return _CJK_GAP.sub("", text)


@dataclass(frozen=True)
class Signature:
    """One known error: how to spot it (keywords, patterns) and what to say (texts per language)."""

    id: str
    severity: Status
    keywords: tuple[bytes, ...]
    patterns: tuple[re.Pattern, ...]
    texts: dict[str, dict[str, str]]  # lang -> field -> template
    next: tuple[tuple[str, str], ...] = ()  # (kind, value)
    examples: tuple[str, ...] = field(default=(), compare=False)

    def text(self, name: str, captures: dict[str, str], lang: str | None = None) -> str:
        """A text field in `lang` (default: the current language) with captures filled; '?' when missing."""
        texts = self.texts.get(lang or language()) or self.texts["en"]
        template = texts.get(name) or self.texts["en"][name]
        return string.Formatter().vformat(template, (), _Missing(captures))


class _Missing(dict):
    def __missing__(self, key: str) -> str:
        return "?"


def fields_of(template: str) -> set[str]:
    """The {field} names a template uses."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _keyword_bytes(words: list[str]) -> tuple[bytes, ...]:
    """Keywords as lower-cased raw bytes in UTF-8 and GB18030 (identical for ASCII)."""
    out: list[bytes] = []
    for w in words:
        for enc in ("utf-8", "gb18030"):
            b = w.encode(enc).lower()
            if b not in out:
                out.append(b)
    return tuple(out)


def _next(items: Any, where: str) -> tuple[tuple[str, str], ...]:
    out = []
    for item in items or ():
        if not isinstance(item, dict) or len(item) != 1 or next(iter(item)) not in NEXT_KINDS:
            raise ConfigError(_("{where}: each 'next' entry is one of {{check|recipe|command: VALUE}}", where=where))
        kind, value = next(iter(item.items()))
        out.append((kind, str(value)))
    return tuple(out)


def parse_signature(raw: dict, where: str) -> Signature:
    """Validate one YAML entry and compile it."""
    sid = raw.get("id", "")
    if not isinstance(sid, str) or not _ID.match(sid):
        raise ConfigError(_("{where}: id {id} must look like log.kebab-case", where=where, id=repr(sid)))
    missing = [k for k in ("keywords", "patterns", *TEXT_FIELDS) if not raw.get(k)]
    if missing:
        raise ConfigError(_("{where} ({id}): missing {keys}", where=where, id=sid, keys=", ".join(missing)))
    try:
        patterns = tuple(re.compile(p) for p in raw["patterns"])
    except re.error as exc:
        raise ConfigError(_("{where} ({id}): bad pattern: {error}", where=where, id=sid, error=exc)) from None
    texts: dict[str, dict[str, str]] = {"en": {}}
    for name in TEXT_FIELDS:
        texts["en"][name] = " ".join(str(raw[name]).split())
        if raw.get(f"{name}_zh"):
            texts.setdefault("zh", {})[name] = _squash_cjk(" ".join(str(raw[f"{name}_zh"]).split()))
    return Signature(
        id=sid,
        severity=Status.parse(raw.get("severity", "fail")),
        keywords=_keyword_bytes([str(k) for k in raw["keywords"]]),
        patterns=patterns,
        texts=texts,
        next=_next(raw.get("next"), f"{where} ({sid})"),
        examples=tuple(str(e) for e in raw.get("examples") or ()),
    )


def _yaml_load(text: str, where: str = "signatures.yaml") -> Any:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        from mlu_doctor.i18n import _

        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(_("{where}: malformed YAML: {problem}", where=f"{where}{line}", problem=problem)) from None


def parse_signatures(text: str, where: str = "signatures.yaml") -> tuple[Signature, ...]:
    """Parse a YAML list of signatures; ids must be unique."""
    data = _yaml_load(text, where)
    if not isinstance(data, list):
        raise ConfigError(_("{where}: expected a list of signatures", where=where))
    sigs = tuple(parse_signature(raw, f"{where}[{i}]") for i, raw in enumerate(data) if isinstance(raw, dict))
    ids = [s.id for s in sigs]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise ConfigError(_("{where}: duplicate ids: {ids}", where=where, ids=", ".join(dupes)))
    return sigs


@functools.lru_cache(maxsize=1)
def builtin_signatures() -> tuple[Signature, ...]:
    """The signatures shipped with mlu-doctor (parsed once per process)."""
    return parse_signatures(SIGNATURES_FILE.read_text(encoding="utf-8"), SIGNATURES_FILE.name)
