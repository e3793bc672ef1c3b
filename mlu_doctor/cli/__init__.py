"""The command line: one module per command, joined here. Commands parse, run, render, exit."""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable, Iterable
from typing import Optional

import typer

from mlu_doctor.cli.common import LangOpt, pin_language, setup_language

# One loader per command module (each defines `app = typer.Typer()` with its commands). Only the invoked
# command's module is imported: all of them together cost ~10 ms of every start-up; help imports them all.


def _check() -> typer.Typer:
    from mlu_doctor.cli.check import app
    return app


def _facts() -> typer.Typer:
    from mlu_doctor.cli.facts import app
    return app


def _list() -> typer.Typer:
    from mlu_doctor.cli.list_checks import app
    return app


def _npd() -> typer.Typer:
    from mlu_doctor.cli.npd import app
    return app


def _explain() -> typer.Typer:
    from mlu_doctor.cli.explain import app
    return app


def _report() -> typer.Typer:
    from mlu_doctor.cli.report import app
    return app


def _fix() -> typer.Typer:
    from mlu_doctor.cli.fix import app  # fix and undo
    return app


def _inject() -> typer.Typer:
    from mlu_doctor.cli.inject import app
    return app


def _capture() -> typer.Typer:
    from mlu_doctor.cli.capture import app
    return app


def _probe_script() -> typer.Typer:
    from mlu_doctor.cli.probe_script import app
    return app


def _fetch_coco() -> typer.Typer:
    from mlu_doctor.cli.fetch_coco import app
    return app


# command name -> the loader of the module defining it, in the order help lists them
COMMANDS: dict[str, Callable[[], typer.Typer]] = {
    "check": _check,
    "facts": _facts,
    "list": _list,
    "npd": _npd,
    "explain": _explain,
    "report": _report,
    "fix": _fix,
    "undo": _fix,
    "inject": _inject,
    "fetch-coco": _fetch_coco,
    "capture": _capture,
    "probe-script": _probe_script,
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
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Print the version."),
    lang: Optional[str] = LangOpt,
) -> None:
    """Diagnose and fix PyTorch environments on Cambricon MLU hosts and containers."""
    setup_language(lang, before_command=True)


def register(names: Iterable[str] | None = None) -> typer.Typer:
    """Attach the commands `names` (default: all) to the app; returns the app."""
    from typer.core import TyperCommand

    from mlu_doctor.cli.usage import Command, first_paragraph

    for load in dict.fromkeys(COMMANDS[n] for n in names or COMMANDS):
        if load not in _registered:
            _registered.add(load)
            infos = load().registered_commands
            for info in infos:
                info.cls = Command if info.cls in (None, TyperCommand) else info.cls
                info.short_help = info.short_help or first_paragraph(getattr(info, "help", None) or
                                                                     inspect.getdoc(info.callback) or "")
            app.registered_commands.extend(infos)
    return app



_registered: set[Callable[[], typer.Typer]] = set()
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
    """Console-script entry point. What escapes the commands' guards (--help into a full disk or a closed
    pipe, Ctrl-C before a command starts, a bug while parsing) ends through the same mapping
    (errors.outcome)."""
    try:
        first = command_word(sys.argv[1:])
        register([first] if first in COMMANDS else None)
        from mlu_doctor.cli.language import choose_language, unknown_language

        choose_language(app, sys.argv[1:])
        pin_language()  # --lang was read from the whole command line, wherever it stands
        bad_lang = unknown_language(sys.argv[1:])
        if bad_lang:
            from mlu_doctor.cli.common import err

            err(bad_lang)
            sys.exit(2)
        import gc

        # What is loaded by now lives until the process ends: the collector skips it from here on, and so
        # does its last pass at exit (~10 ms of a plain check; bench/README.md). Later garbage is collected.
        gc.freeze()
        app(prog_name="mlu-doctor")
    except SystemExit:
        raise
    except (Exception, KeyboardInterrupt) as exc:
        from mlu_doctor.cli.common import fail

        sys.exit(fail(exc))
