"""`mlu-doctor inject`: copy a directory into a running container, resumable and verified."""

from __future__ import annotations

import re
import sys
from typing import Optional

import typer

from mlu_doctor.cli.common import LangOpt, err, guard, setup_language
from mlu_doctor.defaults import INJECT_STALL_TIMEOUT, check_timeout
from mlu_doctor.errors import ExitCode, UsageError
from mlu_doctor.i18n import _

app = typer.Typer()
SIZE = re.compile(r"^(\d+)([KMGT]?)(i?B)?$", re.IGNORECASE)


@app.command("inject")
@guard
def inject_cmd(
    src: str = typer.Argument(..., metavar="SRC", help="Directory on this host (its contents are copied)."),
    dest: str = typer.Argument(..., metavar="DEST",
                               help="Absolute directory inside the container (created if missing)."),
    container: str = typer.Option(..., "--container", "-c", metavar="NAME",
                                  help="Name or id of a running container."),
    owner: Optional[str] = typer.Option(None, "--owner", metavar="UID:GID",
                                        help="UID:GID for the copied files (default: the container's user)."),
    verify: str = typer.Option("listing", "--verify", metavar="listing|sha256|none",
                               help="listing (size+mtime), sha256 (hash inside the container) or none."),
    batch_size: str = typer.Option("1G", "--batch-size", metavar="SIZE",
                                   help="Bytes per archive request (e.g. 1G, 500M)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Say what would be sent; send nothing."),
    via: str = typer.Option("archive", "--via", metavar="archive|exec",
                            help="archive (the Docker archive API) or exec (`tar xf -` inside the "
                                                     "container: no container lock; needs tar there)."),
    timeout: float = typer.Option(INJECT_STALL_TIMEOUT, "--timeout", metavar="SECONDS",
                                  help="Seconds the Docker daemon may stay silent before inject gives up "
                                       "(exit 4)."),
    fmt: str = typer.Option("human", "--format", "-f", metavar="human|json", help="Output: human or json."),
    lang: Optional[str] = LangOpt,
) -> int:
    """Copy a host folder into a running container.

    The contents of SRC go into DEST: streamed, resumable (only what is missing is sent), verified."""
    from mlu_doctor.inject.render import closing, envelope, exit_code, render_human
    from mlu_doctor.inject.run import VIAS, InjectRequest, inject
    from mlu_doctor.inject.verify import VERIFY_METHODS
    from mlu_doctor.output.terminal import progress_allowed

    setup_language(lang)
    if fmt not in ("human", "json"):
        raise UsageError(_("unknown format {fmt}; choose one of: {choices}", fmt=repr(fmt),
                           choices="human, json"))
    method = next((m for m in VERIFY_METHODS if m == verify), None)
    if method is None:
        raise UsageError(_("--verify must be listing, sha256 or none"))
    way = next((v for v in VIAS if v == via), None)
    if way is None:
        raise UsageError(_("--via must be archive or exec"))
    check_timeout(timeout)
    req = InjectRequest(container, src, dest, owner=parse_owner(owner), verify=method,
                        batch_size=parse_size(batch_size), dry_run=dry_run, via=way, timeout=timeout)
    try:
        result = inject(req, progress=progress_allowed(sys.stderr))
    except KeyboardInterrupt:
        err(_("mlu-doctor: interrupted; what landed is kept: run the same command again to send the rest"))
        return int(ExitCode.INTERRUPTED)
    code = exit_code(result)
    sys.stdout.write(envelope(result, code).to_json() if fmt == "json"
                     else render_human(result) + closing(result))
    return code


def parse_owner(text: Optional[str]) -> Optional[tuple[int, int]]:
    if text is None:
        return None
    uid, sep, gid = text.partition(":")
    if not (uid.isdigit() and sep and gid.isdigit()):
        raise UsageError(_("--owner {value}: expected numeric UID:GID, e.g. 1000:1000", value=repr(text)))
    return int(uid), int(gid)


def parse_size(text: str) -> int:
    m = SIZE.match(text.strip())
    if not m or int(m.group(1)) == 0:
        raise UsageError(_("--batch-size {value}: expected a size such as 1G, 500M or 1048576",
                           value=repr(text)))
    return int(m.group(1)) * 1024 ** " KMGT".index((m.group(2) or " ").upper())
