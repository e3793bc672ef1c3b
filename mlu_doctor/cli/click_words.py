"""Click's own words ("Usage:", "Options", "Error: ...") in the chosen language; loaded only when it is not
English.

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

# Help words click passes through gettext (click <= 8.x; typer.core): answered from our catalog.
WORDS = (
    N_("Usage:"), N_("Options"), N_("Arguments"), N_("Commands"), N_("Show this message and exit."),
    N_("Error: {message}"), N_("Try '{command} {option}' for help."), N_("Aborted!"), N_("required"),
    N_("default: {default}"), N_("env var: {var}"), N_("Missing command."),
)
# click's error messages, as click writes them in English -> our template. Each is translated whole,
# suggestion
# included, so a line never mixes languages; the named groups fill the template's fields.
PATTERNS = (
    (re.compile(r"^No such option: (?P<name>\S+)$"), N_("No such option: {name}")),
    (re.compile(r"^No such option: (?P<name>\S+) (?:\(Possible options: (?P<options>[^)]*)\)|Did you mean "
                r"(?P<one>\S+)\?)$"),
     N_("No such option: {name}. Did you mean {options}?")),
    (re.compile(r"^No such command '(?P<name>[^']*)'\.$"), N_("No such command {name!r}.")),
    (re.compile(r"^No such command '(?P<name>[^']*)'\. Did you mean (?P<options>.+)\?$"),
     N_("No such command {name!r}. Did you mean {options}?")),
    (re.compile(r"^Missing command\.$"), N_("Missing command.")),
    (re.compile(r"^Option '(?P<name>[^']*)' requires an argument\.$"),
     N_("Option {name!r} requires an argument.")),
    (re.compile(r"^Option '(?P<name>[^']*)' requires (?P<n>\d+) arguments\.$"),
     N_("Option {name!r} requires {n} arguments.")),
    (re.compile(r"^Option '(?P<name>[^']*)' does not take a value\.$"),
     N_("Option {name!r} does not take a value.")),
    (re.compile(r"^Missing argument (?P<name>.+)\.$"), N_("Missing argument {name}.")),
    (re.compile(r"^Missing option (?P<name>.+)\.$"), N_("Missing option {name}.")),
    (re.compile(r"^Missing parameter:? (?P<name>.+?)\.?$"), N_("Missing parameter {name}.")),
    (re.compile(r"^Got unexpected extra arguments? \((?P<args>.*)\)$", re.S),
     N_("Got unexpected extra arguments ({args})")),
    (re.compile(r"^Got unexpected extra argument\(s\) \((?P<args>.*)\)$", re.S),
     N_("Got unexpected extra arguments ({args})")),
    (re.compile(r"^Invalid value for (?P<param_hint>.+?): (?P<message>.*)$", re.S),
     N_("Invalid value for {param_hint}: {message}")),
    (re.compile(r"^Invalid value: (?P<message>.*)$", re.S), N_("Invalid value: {message}")),
)
# what click says is wrong with a value (the {message} of "Invalid value for ...")
VALUE_PATTERNS = (
    (re.compile(r"^(?P<value>.+) is not a valid (?:integer|int range)\.$"),
     N_("{value} is not a valid integer.")),
    (re.compile(r"^(?P<value>.+) is not a valid (?:float|float range)\.$"),
     N_("{value} is not a valid number.")),
    (re.compile(r"^(?P<value>.+) is not a valid boolean\..*$", re.S),
     N_("{value} is not a valid boolean (true or false).")),
    (re.compile(r"^(?P<value>.+) is not in the range (?P<range>.+)\.$"),
     N_("{value} is not in the range {range}.")),
)


def _fill(patterns: tuple, text: str) -> str | None:
    for pattern, template in patterns:
        m = pattern.match(text)
        if m:
            groups = {k: v for k, v in m.groupdict().items() if v is not None}
            if "one" in groups:  # click 8.1 suggests one option as "Did you mean X?"
                groups["options"] = groups.pop("one")
            if "message" in groups:
                groups["message"] = _fill(VALUE_PATTERNS, groups["message"]) or groups["message"]
            return _(template, **groups)
    return None


def translate_click_message(text: str) -> str:
    """A click error message in the current language, as one sentence (unknown messages are returned as they
    are)."""
    return _fill(PATTERNS, text.strip()) or text


def install_gettext_hook() -> None:
    """Answer click's gettext ids from our catalog (other ids and domains go to the original gettext)."""
    if getattr(gettext.dgettext, "mlu_doctor_hook", False):
        return
    original, original_n = gettext.dgettext, gettext.dngettext
    ids = set(WORDS)

    def dgettext(domain: str, message: str) -> str:
        return _(message) if message in ids else original(domain, message)

    # gettext.dngettext's parameter names
    def dngettext(domain: str, msgid1: str, msgid2: str, n: int) -> str:
        text = msgid1 if n == 1 else msgid2
        return _(text) if text in ids else original_n(domain, msgid1, msgid2, n)

    dgettext.mlu_doctor_hook = True  # type: ignore[attr-defined]
    gettext.dgettext, gettext.dngettext = dgettext, dngettext


def _show(exc: Any) -> None:
    """Print a click error as click does, in our words."""
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        hint = ""
        if ctx.command.get_help_option(ctx) is not None:
            hint = _("Try '{command} {option}' for help.", command=ctx.command_path,
                     option=ctx.help_option_names[0])
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
        # typer >= 0.26 vendors click without exceptions.Abort; typer.Abort is in every version
        except typer.Abort:
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
