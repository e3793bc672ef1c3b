"""`mlu-doctor list`: the checks this installation knows."""

from __future__ import annotations

import json
import sys
from typing import Optional

import typer

from mlu_doctor.checks import all_checks
from mlu_doctor.cli.common import LangOpt, check_format, err, guard, setup_language
from mlu_doctor.i18n import _

app = typer.Typer()


@app.command("list")
@guard
def list_checks(
    fmt: str = typer.Option("human", "--format", "-f", metavar="human|json", help="Output: human or json."),
    lang: Optional[str] = LangOpt,
) -> int:
    """List the checks, their fact needs and fix recipes."""
    setup_language(lang)
    check_format(fmt, ("human", "json"))
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
