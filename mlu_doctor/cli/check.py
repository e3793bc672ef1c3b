"""`mlu-doctor check`: gather facts, run checks, render findings, exit honestly."""

from __future__ import annotations

import dataclasses
import time
from typing import Optional

import typer

from mlu_doctor.checks.runner import exit_status
from mlu_doctor.cli.common import (
    ConfigOpt,
    LangOpt,
    check_format,
    config_from,
    err,
    guard,
    results_to_closed_pipe,
    setup_language,
    split_list,
)
from mlu_doctor.cli.output import emit, fail_on_status
from mlu_doctor.config import Config
from mlu_doctor.defaults import PROBE_TIMEOUT, RUNTIME_TIMEOUT, check_timeout
from mlu_doctor.diagnose import Target, diagnose
from mlu_doctor.errors import UsageError
from mlu_doctor.i18n import N_, _
from mlu_doctor.report import FORMATS

app = typer.Typer()

RootOpt = typer.Option("/", "--root", metavar="DIR",
                       help="Inspect the system whose files are under DIR (a capture, a mount).")
PythonOpt = typer.Option(None, "--python", metavar="PATH", help="The Python interpreter your code runs with.")
ProjectOpt = typer.Option(None, "--project", metavar="DIR",
                          help="Your project directory (default: the current directory).")
TimeoutOpt = typer.Option(None, "--timeout", metavar="SECONDS",
                          help=N_("Seconds before a probe command is killed (default {seconds:g}).",
                                  seconds=PROBE_TIMEOUT))
RuntimeOpt = typer.Option(False, "--runtime",
                          help="Also run your interpreter in a child process: import torch and torch_mlu, "
                               "add two tensors on mlu:0 (opt-in; killed after the runtime timeout).")
RuntimeTimeoutOpt = typer.Option(None, "--runtime-timeout", metavar="SECONDS",
                                 help=N_("Seconds before the --runtime child is killed (default {seconds:g}, "
                                         "or timeouts.runtime in the config).", seconds=RUNTIME_TIMEOUT))
CaptureOpt = typer.Option(None, "--capture", metavar="FILE",
                          help="Run the probes on a capture (mlu-doctor capture, or the JSON of the probe "
                               "script).")
ContainerOpt = typer.Option(None, "--container", metavar="NAME",
                            help="Also diagnose this Docker container (name or id), running or stopped.")
ONLY_HELP = N_("Run only these check ids or prefixes (repeat it, or give a comma list).")
SKIP_HELP = N_("Skip these check ids or prefixes (repeat it, or give a comma list).")


@app.command("check")
@guard
def check(
    fmt: str = typer.Option("human", "--format", "-f", metavar="FORMAT",
                            help=N_("Output: {formats}.", formats=", ".join(FORMATS))),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Show details and evidence."),
    only: Optional[list[str]] = typer.Option(None, "--only", metavar="ID", help=ONLY_HELP),
    skip: Optional[list[str]] = typer.Option(None, "--skip", metavar="ID", help=SKIP_HELP),
    strict: bool = typer.Option(False, "--strict",
                                help="Warnings make the exit code non-zero (= --fail-on warn)."),
    fail_on: Optional[str] = typer.Option(None, "--fail-on", metavar="warn|fail",
                                          help="Lowest status that makes the exit code 1: warn or fail "
                                               "(default)."),
    output: Optional[str] = typer.Option(None, "--output", "-o", metavar="FILE",
                                         help="Write the --format report to FILE atomically; stdout gets the "
                                              "human report."),
    facts_file: Optional[str] = typer.Option(None, "--facts", metavar="FILE",
                                             help="Replay a facts JSON file instead of probing."),
    capture: Optional[str] = CaptureOpt,
    root: str = RootOpt,
    python: Optional[str] = PythonOpt,
    project: Optional[str] = ProjectOpt,
    timeout: Optional[float] = TimeoutOpt,
    container: Optional[str] = ContainerOpt,
    runtime: bool = RuntimeOpt,
    runtime_timeout: Optional[float] = RuntimeTimeoutOpt,
    config: Optional[str] = ConfigOpt,
    lang: Optional[str] = LangOpt,
) -> int:
    """Diagnose this host (or a captured root).

    Gathers the facts once, runs the checks and reports the findings; the exit code says if there are
    problems."""
    setup_language(lang)
    check_format(fmt, FORMATS)
    threshold = fail_on_status(fail_on, strict)
    if output and output != "-":
        from mlu_doctor.output.files import refuse_special

        refuse_special(output)  # a FIFO or a device: said before the probes run
    cfg = runtime_config(config_from(config), runtime, runtime_timeout, facts_file or capture)
    started = time.time()
    target = Target(root=root, python=python, project=project, timeout=timeout, facts_file=facts_file,
                    container=container, capture=capture)
    report = diagnose(target, cfg, split_list(only), split_list(skip))
    for problem in report.meta.get("plugin_problems", ()):
        err(_("mlu-doctor: {error}", error=problem))
    code = exit_status(report, fail_on=threshold)
    with results_to_closed_pipe(code):
        emit(report, fmt, output, verbose=verbose, fail_on=threshold, duration=time.time() - started,
             timestamp=time.time(), fix_args=fix_args(target, config))
    return code


def fix_args(target: Target, config: Optional[str]) -> Optional[tuple[str, ...]]:
    """The options that make `mlu-doctor fix` look at what `check` looked at; None for a replayed capture or
    facts file (fix runs on the system itself)."""
    if target.capture or target.facts_file:
        return None
    pairs = (("--root", None if target.root == "/" else target.root), ("--python", target.python),
             ("--project", target.project), ("--container", target.container), ("--config", config))
    return tuple(part for flag, value in pairs if value for part in (flag, value))


def runtime_config(cfg: Config, runtime: bool, timeout: Optional[float], replay: Optional[str]) -> Config:
    """The config with --runtime / --runtime-timeout applied; the flags that cannot work are usage errors."""
    check_timeout(timeout, "--runtime-timeout")
    if timeout is not None and not runtime:
        raise UsageError(_("--runtime-timeout needs --runtime"))
    if runtime and replay:
        raise UsageError(_("--runtime cannot be combined with --facts or --capture (a replay runs nothing)"))
    if not runtime:
        return cfg
    return dataclasses.replace(cfg, runtime=True, runtime_timeout=timeout or cfg.runtime_timeout)
