"""Pieces shared by commands: the error guard, language, config, facts loading."""

from __future__ import annotations

import functools
import os
import sys
import time
import traceback
from collections.abc import Callable
from typing import Any, TypeVar

import typer

from mlu_doctor.config import Config, find_config, load_config
from mlu_doctor.errors import DoctorError, ExitCode
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


def guard(func: F) -> F:
    """Turn expected errors into one line + exit code, Ctrl-C into 130, bugs into exit 5 with a crash log."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            code = func(*args, **kwargs)
        except typer.Exit:
            raise
        except DoctorError as exc:
            err(f"mlu-doctor: {exc}")
            raise typer.Exit(int(exc.exit_code)) from None
        except KeyboardInterrupt:
            err(_("mlu-doctor: interrupted"))
            raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
        except BrokenPipeError:
            raise typer.Exit(int(ExitCode.OK)) from None
        except Exception as exc:
            path = crash_log(exc)
            err(_("mlu-doctor: internal error: {error} (this is a bug; crash log: {path})",
                  error=f"{type(exc).__name__}: {exc}", path=path))
            raise typer.Exit(int(ExitCode.INTERNAL)) from None
        raise typer.Exit(int(code or 0))

    return wrapper  # type: ignore[return-value]


def setup_language(lang: str | None) -> None:
    set_language(detect_language(lang))


def config_from(path: str | None) -> Config:
    return load_config(find_config(path))


LangOpt = typer.Option(None, "--lang", help="Language of messages: en or zh (default: from LANG).")
ConfigOpt = typer.Option(None, "--config", help="Config file (default: $MLU_DOCTOR_CONFIG or ./.mlu-doctor.yaml).")
