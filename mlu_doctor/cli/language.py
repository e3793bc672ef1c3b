"""Choose the message language before typer renders anything, and translate the CLI help in place.

typer help strings are plain literals evaluated at import; `translate_help` passes each one (command
docstrings, `help=` of options, arguments and the app) through `_()` once the language is known, so
`--lang zh` and zh_* locales also translate `--help`. The literals are listed by locale/extract.py.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Iterable, Sequence
from typing import Any

from mlu_doctor.i18n import SUPPORTED, _, detect_language, language, set_language, translate


def lang_from_argv(argv: Sequence[str]) -> str | None:
    """The value of --lang X / --lang=X in argv, if any."""
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def unknown_language(argv: Sequence[str]) -> str | None:
    """The one-line error for a --lang other than en or zh (zh_CN and the like count as zh), else None."""
    lang = lang_from_argv(argv)
    if lang is None or detect_language(lang) in SUPPORTED:
        return None
    return _("mlu-doctor: --lang {value}: choose one of: {choices}", value=repr(lang),
             choices=", ".join(SUPPORTED))


def _param_infos(callback: Any) -> Iterable[Any]:
    from typer.models import ParameterInfo

    try:
        params = inspect.signature(callback).parameters.values()
    except (TypeError, ValueError):
        return
    try:
        hints = typing.get_type_hints(callback, include_extras=True)
    except Exception:
        hints = {}
    for p in params:
        candidates = [p.default, *getattr(hints.get(p.name), "__metadata__", ())]
        yield from (c for c in candidates if isinstance(c, ParameterInfo))


def _translate_command(info: Any) -> None:
    callback = getattr(info, "callback", None)
    doc = info.help if isinstance(getattr(info, "help", None),
                                  str) else inspect.getdoc(callback) if callback else None
    if doc:
        info.help = _(doc)
        if getattr(info, "short_help", None):  # the command list shows the first paragraph of the help
            from mlu_doctor.cli.usage import first_paragraph

            info.short_help = first_paragraph(info.help)
    for param in _param_infos(callback) if callback else ():
        if isinstance(param.help, str):
            param.help = translate(param.help)


def translate_help(app: Any) -> None:
    """Translate the help of the app, its callback and its commands into the current language."""
    if isinstance(getattr(app.info, "help", None), str):
        app.info.help = _(app.info.help)
    if app.registered_callback is not None:
        _translate_command(app.registered_callback)
    for command in app.registered_commands:
        _translate_command(command)


def choose_language(app: Any, argv: Sequence[str]) -> str:
    """Set the language from argv --lang and the locale; translate the help and click's words when not
    English."""
    set_language(detect_language(lang_from_argv(argv)))
    if language() != "en":
        from mlu_doctor.cli import click_words

        translate_help(app)
        click_words.install(app)
    return language()
