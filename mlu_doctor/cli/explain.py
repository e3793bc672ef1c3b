"""`mlu-doctor explain [FILE|-]`: recognise known errors in a log; exit 1 when a failure was recognised
(warnings alone, such as operators on the CPU or CNCL without MLU Direct RDMA, exit 0)."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, BinaryIO, Optional

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
    from mlu_doctor.defaults import YAML_FILE_LIMIT
    from mlu_doctor.untrusted import read_input, refusal

    try:
        text = read_input(extra, YAML_FILE_LIMIT).decode("utf-8")
    except (OSError, ValueError) as exc:  # missing, a FIFO or device, too large, not UTF-8
        raise UsageError(refusal(extra, exc, _("signature file"))) from None
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
    try:
        with _open_log(path) as fh:
            return explain_stream(fh, path, sigs)
    except OSError as exc:
        raise UsageError(_("cannot read {path}: {error}", path=path, error=exc.strerror or exc)) from None


def _open_log(path: str) -> BinaryIO:
    """A log file, or a pipe read like standard input (`explain <(docker logs x)`, a named FIFO: waits for its
    writer, Ctrl-C stops it). A folder, a device (/dev/zero would never end) or a socket is a UsageError."""
    import stat

    from mlu_doctor.system.files import file_kind, open_regular

    mode = os.stat(path).st_mode
    if stat.S_ISFIFO(mode):
        if sys.stderr.isatty():
            err(_("reading the log from the pipe {path} (waiting for its writer; Ctrl-C to stop)", path=path))
        return open(path, "rb")  # noqa: SIM115 - the caller closes it
    if not stat.S_ISREG(mode):
        hint = _(" (to read standard input, use -)") if stat.S_ISCHR(mode) else ""
        raise UsageError(_("{path} is {kind}, not a log file{hint}", path=path, kind=file_kind(mode),
                           hint=hint))
    fd, _st = open_regular(path)  # without blocking: a FIFO put there since the stat is refused
    return os.fdopen(fd, "rb")


@app.command("explain")
@guard
def explain(
    path: str = typer.Argument("-", metavar="[FILE|-]",
                               help="The log to read; - or nothing reads standard input."),
    fmt: str = typer.Option("human", "--format", "-f", metavar="human|json", help="Output: human or json."),
    signatures: Optional[str] = typer.Option(None, "--signatures", metavar="FILE",
                                             help="A YAML file of extra signatures."),
    lang: Optional[str] = LangOpt,
) -> int:
    """Explain the known errors in a failing log.

    For each: the lines, the cause, the fix and what to run next."""
    setup_language(lang)
    from mlu_doctor.explain.render import FORMATS, exit_code

    if fmt not in FORMATS:
        raise UsageError(_("unknown format {fmt}; choose one of: {choices}", fmt=repr(fmt),
                           choices=", ".join(FORMATS)))
    result = _explain(path, _signatures(signatures))
    sys.stdout.write(FORMATS[fmt](result))
    return exit_code(result)
