"""`mlu-doctor report -o FILE`: a Markdown support bundle (and FILE.json) to paste into an issue."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Optional

import typer

from mlu_doctor import __version__
from mlu_doctor.cli.check import ProjectOpt, PythonOpt, RootOpt, TimeoutOpt
from mlu_doctor.cli.common import ConfigOpt, LangOpt, config_from, guard, setup_language
from mlu_doctor.diagnose import Target, diagnose
from mlu_doctor.errors import UsageError
from mlu_doctor.findings import Report
from mlu_doctor.i18n import _

if TYPE_CHECKING:
    from mlu_doctor.redact import Redactor

app = typer.Typer()


def _user() -> str:
    import getpass

    try:
        return getpass.getuser()
    except Exception:
        return os.environ.get("USER", "")


def environment(container: Optional[str]) -> dict[str, str]:
    """Where and when the report was made."""
    import datetime
    import platform
    import socket

    return {
        "mlu-doctor": __version__,
        _("generated"): datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC"),
        _("host"): socket.gethostname(),
        _("user"): _user(),
        _("system"): platform.platform(),
        _("Python (mlu-doctor)"): platform.python_version(),
        _("target"): _("container {name}", name=container) if container else _("host"),
    }


def redactor_for(report: Report) -> Redactor:
    """A Redactor primed with the names and secrets this machine and these facts know."""
    import socket

    from mlu_doctor.redact import Redactor, is_secret_name

    red = Redactor()
    host = socket.gethostname()
    red.add("host", [host, host.split(".")[0], socket.getfqdn()])
    red.add("user", [_user(), *(os.environ.get(v) for v in ("USER", "LOGNAME", "SUDO_USER"))])
    homes = [os.environ.get("HOME"), os.path.expanduser("~")]
    env = getattr(report.facts, "env", None)
    homes.append(getattr(env, "home", None))
    red.add("home", homes)
    red.add("user", [os.path.basename(h.rstrip("/")) for h in homes if h
                     and h.rstrip("/") not in ("", "/root")])
    extra = getattr(report.facts, "extra", None) or {}
    hosts = [str(extra[k]) for k in ("hostname", "host", "node") if isinstance(extra.get(k), str)]
    red.add("host", hosts + [h.split(".")[0] for h in hosts])
    device = getattr(report.facts, "device", None)
    red.add("serial", [c.serial for c in getattr(device, "proc", None) or []])
    container = getattr(report.facts, "container", None)
    inner = {**(getattr(container, "env", None) or {}),
             **(getattr(getattr(container, "env_facts", None), "vars", None) or {})}
    variables = {**os.environ, **(getattr(env, "vars", None) or {}), **inner}
    red.add("secret", [v for k, v in variables.items() if v and is_secret_name(k)])
    return red


def json_path(path: str) -> str:
    """The JSON twin of the Markdown file: the same name with the extension .json (rep.md -> rep.json)."""
    root, ext = os.path.splitext(path)
    if ext.lower() == ".json":
        raise UsageError(_("-o {path}: name the Markdown file (e.g. {md}); the JSON report is written beside "
                           "it as {path}",
                           path=path, md=root + ".md"))
    return root + ".json"


def texts(report: Report, env: dict[str, str]) -> tuple[str, str]:
    """The Markdown bundle and its JSON (the check envelope, kind `report`, with the environment)."""
    from mlu_doctor.report import markdown
    from mlu_doctor.report.json import envelope

    return markdown.render(report, environment=env), envelope(report, "report", environment=env).to_json()


@app.command("report")
@guard
def report(
    output: str = typer.Option(..., "--output", "-o", metavar="FILE",
                               help="The Markdown file to write; the JSON twin goes beside it (rep.md -> "
                                    "rep.json)."),
    redact: bool = typer.Option(False, "--redact",
                                help="Mask host and user names, home paths, IP/MAC addresses, serials, "
                                     "tokens."),
    container: Optional[str] = typer.Option(None, "--container", metavar="NAME",
                                            help="Also diagnose this Docker container (name or id), running "
                                                 "or stopped."),
    facts_file: Optional[str] = typer.Option(None, "--facts", metavar="FILE",
                                             help="Replay a facts JSON file instead of probing."),
    root: str = RootOpt,
    python: Optional[str] = PythonOpt,
    project: Optional[str] = ProjectOpt,
    timeout: Optional[float] = TimeoutOpt,
    config: Optional[str] = ConfigOpt,
    lang: Optional[str] = LangOpt,
) -> int:
    """Write a support report to attach to an issue.

    FILE gets Markdown (versions, findings with fixes and evidence, facts); the JSON twin goes beside it
    (rep.md -> rep.json)."""
    from mlu_doctor.output.files import refuse_special, write_atomic

    setup_language(lang)
    json_out = json_path(output)
    refuse_special(output)  # before any probe runs; and neither file is written when one target cannot be
    refuse_special(json_out)
    target = Target(root=root, python=python, project=project, timeout=timeout, facts_file=facts_file,
                    container=container)
    result = diagnose(target, config_from(config))
    md, js = texts(result, environment(container))
    if redact:
        from mlu_doctor.redact import redact_texts

        md, js = redact_texts([md, js], redactor_for(result))
    write_atomic(output, md)
    write_atomic(json_out, js)
    note = _(" (redacted)") if redact else ""
    sys.stdout.write(_("wrote {md} and {json}{note}", md=output, json=json_out, note=note) + "\n")
    return 0
