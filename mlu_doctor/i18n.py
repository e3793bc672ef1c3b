"""User-facing text. Messages are written in English inside `_()`; catalogs map them to other languages.

The English template is the message id, so adding a message is writing it; a test lists every
`_("...")` literal and fails when a catalog lacks it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

_lang = "en"
_catalog: Mapping[str, str] = {}
SUPPORTED = ("en", "zh")


def detect_language(explicit: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """--lang, else a zh_* locale in LC_ALL / LC_MESSAGES / LANG, else English."""
    if explicit:
        return explicit.split("_")[0].lower()
    env = os.environ if environ is None else environ
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def set_language(lang: str) -> None:
    """Switch the language of `_()`; unknown languages fall back to English."""
    global _lang, _catalog
    _lang = lang if lang in SUPPORTED else "en"
    _catalog = {}
    if _lang != "en":
        from importlib import import_module

        try:
            _catalog = import_module(f"mlu_doctor.locale.{_lang}").MESSAGES
        except (ImportError, AttributeError):
            _catalog = {}


def language() -> str:
    return _lang


def _(template: str, **params: object) -> str:
    """Translate `template` to the current language and fill `{name}` fields."""
    text = _catalog.get(template, template)
    if not params:
        return text
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        return template.format(**params)


def join_sentences(*sentences: str) -> str:
    """Sentences one after another: a space between them in English, none after Chinese punctuation."""
    out = ""
    for sentence in sentences:
        out = _("{sentence} {next}", sentence=out, next=sentence) if out and sentence else out or sentence
    return out


class Deferred(str):
    """English text now, the template and fields kept to translate later (help built at import time)."""

    template: str
    params: dict[str, object]

    def __new__(cls, template: str, **params: object) -> Deferred:
        obj = super().__new__(cls, template.format(**params))
        obj.template, obj.params = template, params
        return obj


def N_(template: str, **params: object) -> str:  # noqa: N802 - the gettext name for "mark, translate later"
    """Mark `template` for the catalog without translating it now; `translate()` translates it later.

    Use it for messages chosen through variables (tables of templates) and for help text built at
    import time with fields: `help=N_("Output: {formats}.", formats=...)`.
    """
    return Deferred(template, **params) if params else template


def translate(text: str) -> str:
    """`_()` for text that may come from `N_()` with fields."""
    if isinstance(text, Deferred):
        return _(text.template, **text.params)
    return _(text)
