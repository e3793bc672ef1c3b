"""Exit codes and the error hierarchy that carries them to one clean message."""

from __future__ import annotations

import errno
from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes, documented in the README."""

    OK = 0
    PROBLEMS = 1
    USAGE = 2
    FIX_FAILED = 3
    CANNOT_RUN = 4
    INTERNAL = 5
    INTERRUPTED = 130


class DoctorError(Exception):
    """An expected failure: printed as one line, exits with `exit_code`."""

    exit_code: ExitCode = ExitCode.CANNOT_RUN

    def __init__(self, message: str, exit_code: ExitCode | None = None) -> None:
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code


class UsageError(DoctorError):
    """Bad arguments or an unusable input file."""

    exit_code = ExitCode.USAGE


class ConfigError(UsageError):
    """A malformed or invalid configuration file (message names file and line)."""


class CannotRun(DoctorError):
    """The job could not be done (docker unreachable, no space, mirror exhausted...)."""

    exit_code = ExitCode.CANNOT_RUN


# errno values of a write that failed for reasons outside mlu-doctor: disk full, quota, file too large, I/O error
WRITE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EROFS})


class Outcome:
    """How an exception that reached the top ends the run: exit code, the one stderr line, whether it is a bug."""

    __slots__ = ("code", "message", "bug")

    def __init__(self, code: ExitCode, message: str | None, bug: bool = False) -> None:
        self.code, self.message, self.bug = code, message, bug


def outcome(exc: BaseException) -> Outcome:
    """THE mapping of exception classes to exit codes and messages, used by every command's guard and by the
    console-script entry point. Exit 5 (INTERNAL) is for everything not listed here: bugs."""
    from mlu_doctor.i18n import _

    if isinstance(exc, DoctorError):
        return Outcome(exc.exit_code, _("mlu-doctor: {error}", error=one_line(str(exc))))
    if isinstance(exc, KeyboardInterrupt):
        return Outcome(ExitCode.INTERRUPTED, _("mlu-doctor: interrupted"))
    if isinstance(exc, BrokenPipeError):  # the reader went away (`| head`): nothing to say to anyone
        return Outcome(ExitCode.OK, None)
    if isinstance(exc, OSError) and exc.errno in WRITE_ERRNOS:  # a full disk, not a bug
        return Outcome(ExitCode.CANNOT_RUN, write_error(exc))
    return Outcome(ExitCode.INTERNAL, None, bug=True)


def write_error(exc: OSError) -> str:
    """One line for a failed write: the file when known, else the output."""
    from mlu_doctor.i18n import _

    reason = exc.strerror or str(exc)
    if exc.filename:
        return _("mlu-doctor: cannot write {path}: {error}", path=exc.filename, error=reason)
    return _("mlu-doctor: cannot write the output: {error}", error=reason)


def one_line(text: str) -> str:
    """A message on one line: lines after the first joined with '; ' (stderr gets one line per failure)."""
    return "; ".join(part.strip() for part in text.splitlines() if part.strip())
