"""Pieces shared by commands: the error guard, language, config, facts loading."""

from __future__ import annotations

import contextlib
import functools
import os
import sys
import time
import traceback
from collections.abc import Callable, Collection, Iterable, Iterator
from typing import Any, TypeVar

import typer

from mlu_doctor.config import Config, find_config, load_config
from mlu_doctor.errors import (  # noqa: F401 - write_error re-exported
    WRITE_ERRNOS,
    UsageError,
    one_line,
    outcome,
    write_error,
)
from mlu_doctor.i18n import _, detect_language, set_language

F = TypeVar("F", bound=Callable[..., Any])


def err(message: str) -> None:
    """One line on stderr."""
    sys.stderr.write(message.rstrip("\n") + "\n")


def crash_log(exc: BaseException) -> str:
    """Write the traceback to a crash log and return its path."""
    import tempfile  # only after a crash: keeps `check` start-up lean

    folder = os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "mlu-doctor")
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError:
        folder = tempfile.gettempdir()
    path = os.path.join(folder, f"crash-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.log")
    try:
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(f"mlu-doctor crash, argv={sys.argv!r}\n")
            fh.write("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
    except OSError:
        return "(could not write a crash log)"
    return path


def quiet_stdout() -> None:
    """Point stdout at /dev/null so the flush at interpreter exit cannot fail a second time."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


@contextlib.contextmanager
def results_to_closed_pipe(code: int | None) -> Iterator[None]:
    """A reader that went away (`check | head -1`) still gets the exit code the findings deserve."""
    try:
        yield
    except BrokenPipeError:
        quiet_stdout()
        raise typer.Exit(int(code or 0)) from None


def fail(exc: BaseException) -> int:
    """End a run on `exc` as errors.outcome() says: its one line on stderr (a bug also writes a crash log and
    names it); returns the exit code."""
    found = outcome(exc)
    if found.bug:
        path = crash_log(exc)
        err(_("mlu-doctor: internal error: {error} (this is a bug; crash log: {path})",
              error=one_line(f"{type(exc).__name__}: {exc}"), path=path))
    elif found.message:
        err(found.message)
    if isinstance(exc, OSError) and (isinstance(exc, BrokenPipeError) or exc.errno in WRITE_ERRNOS):
        quiet_stdout()  # the flush at interpreter exit would fail again
    return int(found.code)


def guard(func: F) -> F:
    """A command's body: its return value is the exit code; any exception ends the run through fail()."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            code = func(*args, **kwargs)
            with results_to_closed_pipe(code):
                sys.stdout.flush()  # a full disk or a closed pipe shows here, not at interpreter exit
        except typer.Exit:
            raise
        except (Exception, KeyboardInterrupt) as exc:
            raise typer.Exit(fail(exc)) from None
        raise typer.Exit(int(code or 0))

    return wrapper  # type: ignore[return-value]


_language_before_command = False
_language_pinned = False


def pin_language() -> None:
    """The console script chose the language from the whole argv before parsing; commands keep it."""
    global _language_pinned
    _language_pinned = True


def setup_language(lang: str | None, before_command: bool = False) -> None:
    """Choose the message language: the command's --lang, else `mlu-doctor --lang X CMD`, else the locale.

    The app callback runs first on every invocation (before_command=True) and resets the choice.
    """
    global _language_before_command
    if _language_pinned:
        return
    if before_command:
        _language_before_command = lang is not None
    elif lang is None and _language_before_command:
        return
    set_language(detect_language(lang))


def config_from(path: str | None) -> Config:
    return load_config(find_config(path))


def split_list(values: Iterable[str] | None) -> list[str]:
    """A repeatable option that also takes comma lists: `--x a,b --x c` -> [a, b, c]."""
    return [part.strip() for value in values or () for part in value.split(",") if part.strip()]


def check_format(fmt: str, choices: Collection[str]) -> None:
    """--format names one of `choices`, else a usage error listing them."""
    if fmt not in choices:
        raise UsageError(_("unknown format {fmt}; choose one of: {choices}", fmt=repr(fmt),
                           choices=", ".join(choices)))


LangOpt = typer.Option(None, "--lang", metavar="en|zh",
                       help="Language of messages: en or zh (default: from LANG).")
ConfigOpt = typer.Option(None, "--config", metavar="FILE",
                         help="Config file (default: $MLU_DOCTOR_CONFIG or ./.mlu-doctor.yaml).")
