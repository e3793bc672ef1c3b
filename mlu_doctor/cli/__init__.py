"""The command line: one module per command, joined here. Commands parse, call the engine, render, exit."""

from __future__ import annotations

import importlib
import sys
from typing import Optional

import typer

from mlu_doctor.cli.common import LangOpt, pin_language, setup_language

# command name -> module; each module defines `app = typer.Typer()` with that command.
# Only the invoked command's module is imported (start-up time); help imports them all.
COMMANDS = {
    "check": "mlu_doctor.cli.check",
    "facts": "mlu_doctor.cli.facts",
    "list": "mlu_doctor.cli.list_checks",
    "npd": "mlu_doctor.cli.npd",
    "explain": "mlu_doctor.cli.explain",
    "report": "mlu_doctor.cli.report",
    "fix": "mlu_doctor.cli.fix",
    "undo": "mlu_doctor.cli.fix",
    "inject": "mlu_doctor.cli.inject",
    "fetch-coco": "mlu_doctor.cli.fetch_coco",
}

app = typer.Typer(
    name="mlu-doctor",
    help="Diagnose and fix PyTorch environments on Cambricon MLU hosts and containers.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from mlu_doctor import __version__

        typer.echo(f"mlu-doctor {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version."),
    lang: Optional[str] = LangOpt,
) -> None:
    """Diagnose and fix PyTorch environments on Cambricon MLU hosts and containers."""
    setup_language(lang, before_command=True)


def register(names=None) -> typer.Typer:
    """Attach the commands `names` (default: all) to the app; returns the app."""
    for module in dict.fromkeys(COMMANDS[n] for n in names or COMMANDS):
        if module not in _registered:
            _registered.add(module)
            app.registered_commands.extend(importlib.import_module(module).app.registered_commands)
    return app


_registered: set[str] = set()
_ROOT_VALUE_OPTIONS = ("--lang",)  # options of the app itself that take a value


def command_word(argv: list[str]) -> str | None:
    """The command name in argv: the first word that is neither an option nor the value of a root option."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg in _ROOT_VALUE_OPTIONS:
            skip = True
        elif not arg.startswith("-"):
            return arg
    return None


def main() -> None:
    """Console-script entry point."""
    first = command_word(sys.argv[1:])
    register([first] if first in COMMANDS else None)
    from mlu_doctor.cli.language import choose_language

    choose_language(app, sys.argv[1:])
    pin_language()  # --lang was read from the whole command line, wherever it stands
    try:
        app(prog_name="mlu-doctor")
    except OSError as exc:  # --help into a full disk or a closed pipe: outside the commands' guard
        from mlu_doctor.cli.common import WRITE_ERRNOS, err, quiet_stdout, write_error

        if not isinstance(exc, BrokenPipeError) and exc.errno not in WRITE_ERRNOS:
            raise
        quiet_stdout()
        if not isinstance(exc, BrokenPipeError):
            err(write_error(exc))
        sys.exit(4 if not isinstance(exc, BrokenPipeError) else 0)
