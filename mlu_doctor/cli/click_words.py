"""Click's own words ("Usage:", "Options", "Error: ...") in the chosen language; loaded only when it is not English.

Two hooks, because typer's click has two kinds of text:
- text passed through `gettext.gettext` (all of click <= 8.x; typer.core's "Options", "Arguments", "Commands",
  "default: ...", "Missing command."): a wrapper around `gettext.dgettext`/`dngettext` answers the ids
  listed in WORDS from our catalog and hands everything else to the original;
- text hard-coded in the click that typer >= 0.26 vendors as `typer._click` ("Usage: ", "Error: ",
  "Show this message and exit.", "No such option: ..."): command classes that write the usage line, the help
  option and the error lines themselves, and translate click's error messages through PATTERNS.
Anything not listed stays English.
"""

from __future__ import annotations

import gettext
import re
import sys
from typing import Any

import typer

from mlu_doctor.i18n import N_, _

try:  # typer >= 0.26 vendors click
    from typer import _click as click_api  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - older typer uses click itself
    import click as click_api  # type: ignore[no-redef]

WORDS = (
    N_("Usage:"), N_("Options"), N_("Arguments"), N_("Commands"), N_("Show this message and exit."),
    N_("Error: {message}"), N_("Try '{command} {option}' for help."), N_("Aborted!"), N_("required"),
    N_("default: {default}"), N_("env var: {var}"), N_("Missing command."), N_("No such command {name!r}."),
    N_("No such option: {name}"), N_("Missing argument"), N_("Missing option"), N_("Missing parameter"),
    N_("Option {name!r} requires an argument."), N_("Got unexpected extra argument ({args})"),
    N_("Got unexpected extra arguments ({args})"), N_("Invalid value for {param_hint}: {message}"),
)
# click's hard-coded messages (typer._click) -> our template; the groups fill the template's fields in order
PATTERNS = (
    (re.compile(r"^No such option: (?P<name>\S+)(?P<rest>.*)$", re.S), N_("No such option: {name}")),
    (re.compile(r"^Got unexpected extra argument\(s\) \((?P<args>.*)\)$", re.S), N_("Got unexpected extra arguments ({args})")),
    (re.compile(r"^Missing (?P<what>argument|option|parameter)(?P<rest>.*)$", re.S), None),
    (re.compile(r"^Option (?P<name>'[^']*') requires an argument\.$"), N_("Option {name!r} requires an argument.")),
    (re.compile(r"^No such command (?P<name>'[^']*')\.$"), N_("No such command {name!r}.")),
    (re.compile(r"^Invalid value for (?P<param_hint>.+?): (?P<message>.*)$", re.S), N_("Invalid value for {param_hint}: {message}")),
)
_POSSIBLE = re.compile(r"\(Possible options: (?P<options>[^)]*)\)")
_MISSING = {"argument": N_("Missing argument"), "option": N_("Missing option"), "parameter": N_("Missing parameter")}


def translate_click_message(text: str) -> str:
    """A click error message in the current language (unknown messages are returned as they are)."""
    for pattern, template in PATTERNS:
        m = pattern.match(text)
        if not m:
            continue
        groups = m.groupdict()
        rest = _POSSIBLE.sub(lambda p: _(N_("(Possible options: {options})"), options=p["options"]),
                             groups.pop("rest", ""))
        if template is None:
            return _(_MISSING[groups["what"]]) + rest
        if "name" in groups and groups["name"].startswith("'"):
            groups["name"] = groups["name"][1:-1]
        return _(template, **groups) + rest
    return text


def install_gettext_hook() -> None:
    """Answer click's gettext ids from our catalog (other ids and domains go to the original gettext)."""
    if getattr(gettext.dgettext, "mlu_doctor_hook", False):
        return
    original, original_n = gettext.dgettext, gettext.dngettext
    ids = set(WORDS)

    def dgettext(domain: str, message: str) -> str:
        return _(message) if message in ids else original(domain, message)

    def dngettext(domain: str, singular: str, plural: str, n: int) -> str:
        text = singular if n == 1 else plural
        return _(text) if text in ids else original_n(domain, singular, plural, n)

    dgettext.mlu_doctor_hook = True  # type: ignore[attr-defined]
    gettext.dgettext, gettext.dngettext = dgettext, dngettext


def _show(exc: Any) -> None:
    """Print a click error as click does, in our words."""
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        hint = ""
        if ctx.command.get_help_option(ctx) is not None:
            hint = _("Try '{command} {option}' for help.", command=ctx.command_path, option=ctx.help_option_names[0])
        typer.echo(f"{ctx.get_usage()}\n{hint}\n" if hint else ctx.get_usage() + "\n", err=True)
    typer.echo(_("Error: {message}", message=translate_click_message(exc.format_message())), err=True)


def _plain_show(exc: Any) -> bool:
    """True when `exc` uses click's stock show() (NoArgsIsHelpError and others print help: leave them)."""
    show = type(exc).show
    return show in (click_api.exceptions.ClickException.show, click_api.exceptions.UsageError.show)


class _Words:
    """Mixin for typer's command classes: usage prefix, help option text and error lines translated."""

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=_("Usage:") + " ")

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None and isinstance(option.help, str):
            option.help = _(option.help)
        return option

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)  # type: ignore[misc]
        try:
            code = super().main(*args, standalone_mode=False, **kwargs)  # type: ignore[misc]
        except click_api.exceptions.ClickException as exc:
            if _plain_show(exc):
                _show(exc)
            else:
                exc.show()
            sys.exit(exc.exit_code)
        except click_api.exceptions.Abort:
            typer.echo(_("Aborted!"), err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


def command_classes() -> tuple[type, type]:
    """(group class, command class) with translated click words."""
    from typer.core import TyperGroup

    from mlu_doctor.cli.usage import Command

    class WordsGroup(_Words, TyperGroup):
        pass

    class WordsCommand(_Words, Command):
        pass

    return WordsGroup, WordsCommand


def install(app: Any) -> None:
    """Translate click's words for `app` (call after the language is set, before app() runs)."""
    from typer.core import TyperCommand, TyperGroup

    from mlu_doctor.cli.usage import Command

    install_gettext_hook()
    group, command = command_classes()
    if not isinstance(app.info.cls, type) or app.info.cls is TyperGroup:
        app.info.cls = group
    for info in app.registered_commands:
        if info.cls in (None, TyperCommand, Command):
            info.cls = command
