"""`mlu-doctor npd`: a node-problem-detector custom plugin (exit 0 OK, 1 problem, 2 unknown; one line)."""

from __future__ import annotations

import sys
from typing import Optional

import typer

from mlu_doctor.cli.check import ONLY_HELP, SKIP_HELP, PythonOpt, RootOpt, TimeoutOpt
from mlu_doctor.cli.common import ConfigOpt, LangOpt, config_from, setup_language
from mlu_doctor.cli.output import fail_on_status
from mlu_doctor.diagnose import Target, diagnose
from mlu_doctor.i18n import _

UNKNOWN = 2  # NPD: the plugin could not tell

app = typer.Typer()


@app.command("npd")
def npd(
    only: Optional[list[str]] = typer.Option(None, "--only", metavar="ID", help=ONLY_HELP),
    skip: Optional[list[str]] = typer.Option(None, "--skip", metavar="ID", help=SKIP_HELP),
    fail_on: Optional[str] = typer.Option(None, "--fail-on", metavar="warn|fail",
                                          help="Lowest status that is a problem: warn or fail (default)."),
    max_length: int = typer.Option(80, "--max-length", min=8, metavar="N",
                                   help="Cut the message to N characters (NPD's max_output_length)."),
    root: str = RootOpt,
    python: Optional[str] = PythonOpt,
    timeout: Optional[float] = TimeoutOpt,
    config: Optional[str] = ConfigOpt,
    lang: Optional[str] = LangOpt,
) -> None:
    """Run the checks as a node-problem-detector plugin.

    Prints one line; exit 0 ok, 1 problem, 2 unknown."""
    from mlu_doctor.report.npd import one_line, verdict  # imported on use: `check` startup stays lean

    try:
        setup_language(lang)
        threshold = fail_on_status(fail_on, False)
        target = Target(root=root, python=python, timeout=timeout)
        code, line = verdict(diagnose(target, config_from(config), only or (), skip or ()), threshold,
                             max_length)
    except (Exception, KeyboardInterrupt) as exc:  # NPD's protocol has no room for a traceback: "unknown"
        message = _("mlu-doctor: interrupted") if isinstance(exc, KeyboardInterrupt) else \
            _("mlu-doctor could not run: {error}", error=exc)
        sys.stderr.write(message + "\n")
        code, line = UNKNOWN, one_line(message, max_length)
    sys.stdout.write(line + "\n")
    raise typer.Exit(code)
