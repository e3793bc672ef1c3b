"""`mlu-doctor probe-script -o probe.py`: a stdlib-only script (Python 3.6+) that captures a machine's raw
inputs."""

from __future__ import annotations

import sys
from typing import Optional

import typer

from mlu_doctor.cli.common import LangOpt, guard, setup_language
from mlu_doctor.i18n import _

app = typer.Typer()


@app.command("probe-script")
@guard
def probe_script(
    output: Optional[str] = typer.Option(None, "--output", "-o", metavar="FILE",
                                         help="Write the script to FILE (default: standard output)."),
    lang: Optional[str] = LangOpt,
) -> int:
    """Write probe.py, a capture script for any Python 3.6+.

    Run it where mlu-doctor is not installed, then `check --capture` its output."""
    from mlu_doctor.capture.script import probe_script as text_of

    setup_language(lang)
    text = text_of()
    if not output or output == "-":
        sys.stdout.write(text)
        return 0
    from mlu_doctor.output.files import write_atomic

    write_atomic(output, text)
    sys.stderr.write(_("wrote {path}; run `python3 {path} > facts.json` on the machine to diagnose, then "
                       "`mlu-doctor check --capture facts.json` here", path=output) + "\n")
    return 0
