"""`mlu-doctor facts`: dump what the probes found (for bug reports and `check --facts`)."""

from __future__ import annotations

import sys
from typing import Optional

import typer

from mlu_doctor.cli.check import ContainerOpt, ProjectOpt, PythonOpt, RootOpt, TimeoutOpt
from mlu_doctor.cli.common import (
    ConfigOpt,
    LangOpt,
    check_format,
    config_from,
    guard,
    setup_language,
    split_list,
)
from mlu_doctor.diagnose import Target, collect_facts
from mlu_doctor.errors import UsageError
from mlu_doctor.facts.io import facts_to_json
from mlu_doctor.facts.model import SECTIONS
from mlu_doctor.i18n import N_, _

app = typer.Typer()


@app.command("facts")
@guard
def facts(
    fmt: str = typer.Option("json", "--format", "-f", metavar="json", help="Output: json."),
    section: Optional[list[str]] = typer.Option(
        None, "--section", metavar="SECTION",
        help=N_("Only these sections (repeat it, or give a comma list): {sections}.",
                sections=", ".join(SECTIONS))),
    root: str = RootOpt,
    python: Optional[str] = PythonOpt,
    project: Optional[str] = ProjectOpt,
    timeout: Optional[float] = TimeoutOpt,
    container: Optional[str] = ContainerOpt,
    config: Optional[str] = ConfigOpt,
    lang: Optional[str] = LangOpt,
) -> int:
    """Print the gathered facts as JSON.

    Attach them to a bug report; `mlu-doctor check --facts FILE` replays them."""
    setup_language(lang)
    check_format(fmt, ("json",))
    sections = split_list(section)
    unknown = [s for s in sections if s not in SECTIONS]
    if unknown:
        raise UsageError(_("unknown section {section}; choose from: {sections}", section=repr(unknown[0]),
                           sections=", ".join(SECTIONS)))
    cfg = config_from(config)
    target = Target(root=root, python=python, project=project, timeout=timeout, container=container)
    sys.stdout.write(facts_to_json(collect_facts(target, cfg, sections or SECTIONS)))
    return 0
