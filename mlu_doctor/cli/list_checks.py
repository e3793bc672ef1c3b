"""`mlu-doctor list`: the checks this installation knows."""

from __future__ import annotations

import json
import sys

import typer

from mlu_doctor.checks import all_checks
from mlu_doctor.cli.common import err, guard
from mlu_doctor.i18n import _

app = typer.Typer()


@app.command("list")
@guard
def list_checks(fmt: str = typer.Option("human", "--format", "-f", help="human or json.")) -> int:
    """List the available checks, their fact needs and fix recipes."""
    checks, problems = all_checks()
    for problem in problems:
        err(_("mlu-doctor: {error}", error=problem))
    if fmt == "json":
        rows = [{"id": c.id, "title": c.title, "needs": list(c.needs), "recipe": c.recipe, "origin": c.origin}
                for c in checks]
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        return 0
    width = max((len(c.id) for c in checks), default=10)
    for c in checks:
        recipe = f"  [fix: {c.recipe}]" if c.recipe else ""
        sys.stdout.write(f"{c.id:<{width}}  {_(c.title)}{recipe}\n")
    return 0
