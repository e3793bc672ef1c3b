"""The command line: one module per command, joined here. Commands parse, call the engine, render, exit."""

from __future__ import annotations

import importlib

import typer

# Command modules; each defines `app = typer.Typer()` with its command(s).
COMMAND_MODULES = (
    "mlu_doctor.cli.check",
    "mlu_doctor.cli.facts",
    "mlu_doctor.cli.list_checks",
    "mlu_doctor.cli.fetch_coco",
)

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
) -> None:
    """Diagnose and fix PyTorch environments on Cambricon MLU hosts and containers."""


for _name in COMMAND_MODULES:
    app.registered_commands.extend(importlib.import_module(_name).app.registered_commands)


def main() -> None:
    """Console-script entry point."""
    app(prog_name="mlu-doctor")
