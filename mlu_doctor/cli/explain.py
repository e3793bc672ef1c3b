"""`mlu-doctor explain [FILE|-]`: recognise known errors in a log; exit 1 when a failure was recognised
(warnings alone, such as operators on the CPU or CNCL without MLU Direct RDMA, exit 0)."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Optional

import typer

from mlu_doctor.cli.common import LangOpt, err, guard, setup_language
from mlu_doctor.errors import UsageError
from mlu_doctor.i18n import _

if TYPE_CHECKING:
    from mlu_doctor.explain import Explained
    from mlu_doctor.explain.signatures import Signature

app = typer.Typer()


def _signatures(extra: Optional[str]) -> tuple[Signature, ...]:
    from mlu_doctor.explain.signatures import builtin_signatures, parse_signatures

    sigs = builtin_signatures()
    if not extra:
        return sigs
    try:
        with open(extra, encoding="utf-8") as fh:
            text = fh.read()
    except OSError as exc:
        raise UsageError(_("cannot read {path}: {error}", path=extra, error=exc.strerror or exc)) from None
    except UnicodeDecodeError:
        raise UsageError(_("cannot read {path}: {error}", path=extra, error=_("not UTF-8 text"))) from None
    try:
        return sigs + parse_signatures(text, extra)
    except (TypeError, ValueError, AttributeError, KeyError) as exc:  # a value of the wrong type in the YAML
        error = _("unknown value {value}", value=exc) if isinstance(exc, KeyError) else exc
        raise UsageError(_("{path}: malformed signature file: {error}", path=extra, error=error)) from None


def _explain(path: str, sigs: tuple[Signature, ...]) -> Explained:
    from mlu_doctor.explain import explain_stream

    if path == "-":
        if sys.stdin.isatty():
            err(_("reading the log from standard input (end with Ctrl-D)"))
        return explain_stream(sys.stdin.buffer, "<stdin>", sigs)
    if os.path.isdir(path):
        raise UsageError(_("{path} is a directory, not a log file", path=path))
    try:
        with open(path, "rb") as fh:
            return explain_stream(fh, path, sigs)
    except OSError as exc:
        raise UsageError(_("cannot read {path}: {error}", path=path, error=exc.strerror or exc)) from None


@app.command("explain")
@guard
def explain(
    path: str = typer.Argument("-", metavar="[FILE|-]", help="The log to read; - or nothing reads standard input."),
    fmt: str = typer.Option("human", "--format", "-f", help="Output: human or json."),
    signatures: Optional[str] = typer.Option(None, "--signatures", help="A YAML file of extra signatures."),
    lang: Optional[str] = LangOpt,
) -> int:
    """Explain a failing log: the known errors in it, their cause, the fix and what to run next."""
    setup_language(lang)
    from mlu_doctor.explain.render import FORMATS, exit_code

    if fmt not in FORMATS:
        raise UsageError(_("unknown format {fmt}; choose one of: {choices}", fmt=repr(fmt), choices=", ".join(FORMATS)))
    result = _explain(path, _signatures(signatures))
    sys.stdout.write(FORMATS[fmt](result))
    return exit_code(result)
