"""`mlu-doctor capture -o FILE.tar.gz`: the files and command outputs the probes read, for `check
--capture`."""

from __future__ import annotations

import sys
from typing import Optional

import typer

from mlu_doctor.cli.check import ContainerOpt, ProjectOpt, PythonOpt, RootOpt, TimeoutOpt
from mlu_doctor.cli.common import ConfigOpt, LangOpt, config_from, guard, setup_language
from mlu_doctor.defaults import check_timeout
from mlu_doctor.diagnose import Target
from mlu_doctor.errors import CannotRun, UsageError
from mlu_doctor.i18n import _

app = typer.Typer()


@app.command("capture")
@guard
def capture(
    output: str = typer.Option(..., "--output", "-o", metavar="FILE",
                               help="The tarball to write (e.g. host.tar.gz)."),
    redact: bool = typer.Option(False, "--redact",
                                help="Mask host and user names, home paths, IP/MAC addresses, serials, "
                                     "tokens."),
    container: Optional[str] = ContainerOpt,
    root: str = RootOpt,
    python: Optional[str] = PythonOpt,
    project: Optional[str] = ProjectOpt,
    timeout: Optional[float] = TimeoutOpt,
    config: Optional[str] = ConfigOpt,
    lang: Optional[str] = LangOpt,
) -> int:
    """Record what the probes read into a tarball.

    The files and command outputs the probes read; `check --capture FILE` replays them."""
    from mlu_doctor.capture.archive import FILE_LIMIT, tarball_bytes
    from mlu_doctor.capture.take import take_capture
    from mlu_doctor.output.files import refuse_special, write_atomic

    setup_language(lang)
    check_timeout(timeout)
    if output == "-" or not output.strip():
        raise UsageError(_("-o needs a file name (the capture is a binary tarball)"))
    refuse_special(output)  # before any probe runs
    target = Target(root=root, python=python, project=project, timeout=timeout, container=container)
    taken, _facts = take_capture(target, config_from(config))
    if redact:
        from mlu_doctor.capture.redaction import redact_capture

        redact_capture(taken)
    data = tarball_bytes(taken)
    if len(data) > FILE_LIMIT:  # `check --capture` would refuse it: say so now, write nothing
        raise CannotRun(_("the capture would be {mib} MiB, more than the {limit} MiB mlu-doctor reads; "
                          "nothing was written", mib=(len(data) + 0xFFFFF) >> 20, limit=FILE_LIMIT >> 20))
    write_atomic(output, data)
    files = sum(len(s.data) for s in taken.systems.values())
    runs = sum(len(s.runs) for s in taken.systems.values())
    note = _(" (redacted)") if redact else ""
    sys.stdout.write(_("wrote {path}{note}: {files} files and {runs} command outputs, {kib} KiB; replay it "
                       "with "
                       "`mlu-doctor check --capture {path}`", path=output, note=note, files=files, runs=runs,
                       kib=max(1, len(data) // 1024)) + "\n")
    return 0
