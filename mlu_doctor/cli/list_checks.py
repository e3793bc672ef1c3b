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
    compat: bool = typer.Option(False, "--compat", help="Show the compatibility data instead: Cambricon "
                                "PyTorch releases with their cards, driver, toolkit and torch."),
    lang: Optional[str] = LangOpt,
) -> int:
    """List the checks, their fact needs and fix recipes."""
    setup_language(lang)
    check_format(fmt, ("human", "json"))
    if compat:
        return list_compat(fmt)
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


def list_compat(fmt: str) -> int:
    """The rows of compat.yaml, each with its sources."""
    from mlu_doctor.compat import COLUMNS, load_compat

    rows = load_compat()
    if fmt == "json":
        data = [{"framework": r.framework, "version": r.version, "channel": r.channel, **r.fields,
                 "sources": list(r.sources)} for r in rows]
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return 0
    cells = [[r.framework, r.version + (" (" + _("develop branch") + ")" if r.channel != "release" else "")]
             + [r.get(c) or "-" for c in COLUMNS[2:]] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(COLUMNS)]
    sys.stdout.write("  ".join(c.ljust(w) for c, w in zip(COLUMNS, widths)).rstrip() + "\n")
    for row, r in zip(cells, rows):
        sys.stdout.write("  ".join(v.ljust(w) for v, w in zip(row, widths)).rstrip() + "\n")
        for source in r.sources:
            sys.stdout.write(f"    {_('source')}: {source}\n")
    return 0
