"""Exit codes and the error hierarchy that carries them to one clean message."""

from __future__ import annotations

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
