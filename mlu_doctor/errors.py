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


# errno values of a write that failed for reasons outside mlu-doctor: disk full, quota, file too large, I/O
# error
WRITE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EROFS})


class Outcome:
    """How an exception that reached the top ends the run: exit code, the one stderr line, whether it is a
    bug."""

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


# Packages whose exceptions mean "Docker could not be talked to" (the docker SDK and what lies under it).
_DOCKER_STACK = ("docker", "requests", "urllib3", "paramiko", "http", "ssl", "socket")


def is_docker_failure(exc: BaseException) -> bool:
    """Whether `exc` comes from the docker SDK or the transport below it (not a bug of ours)."""
    return isinstance(exc, OSError) or type(exc).__module__.split(".")[0] in _DOCKER_STACK


def _chain(exc: BaseException) -> list[BaseException]:
    """`exc` and what it wraps: causes, contexts, exception arguments, urllib3's `reason`."""
    seen: list[BaseException] = []
    todo = [exc]
    while todo and len(seen) < 20:
        e = todo.pop(0)
        if any(e is s for s in seen):
            continue
        seen.append(e)
        args = [y for x in e.args for y in (x if isinstance(x, tuple) else (x,))]
        todo += [x for x in (e.__cause__, e.__context__, getattr(e, "reason", None), *args)
                 if isinstance(x, BaseException)]
    return seen


def _named(chain: list[BaseException], *names: str) -> BaseException | None:
    return next((e for e in chain for t in type(e).__mro__ if t.__name__ in names), None)


def docker_failure(exc: BaseException, host: str = "", timeout: float | None = None) -> CannotRun:
    """One line for any failure of the docker SDK or its transport (requests, urllib3, paramiko, sockets):
    the daemon not running, no permission, no answer in time, not HTTP, ssh or TLS trouble, a refusal."""
    from mlu_doctor.i18n import _

    chain = _chain(exc)
    text = " | ".join(str(e) for e in chain)
    where = host or _("the local socket")
    if "Install paramiko" in text:
        return CannotRun(_("DOCKER_HOST {host} needs the ssh extra of mlu-doctor (paramiko): "
                           "pip install 'mlu-doctor[ssh]'", host=where))
    if _named(chain, "FileNotFoundError", "ConnectionRefusedError"):
        return CannotRun(_("cannot talk to the Docker daemon at {host}: it is not running (start it, e.g. "
                           "'sudo systemctl start docker')", host=where))
    if _named(chain, "PermissionError"):
        return CannotRun(_("cannot talk to the Docker daemon at {host}: permission denied on its socket "
                           "(add yourself to the 'docker' group or run with sudo)", host=where))
    if _named(chain, "TimeoutError", "timeout", "ReadTimeout", "ConnectTimeout", "ReadTimeoutError",
              "ConnectTimeoutError"):
        return CannotRun(_("the Docker daemon at {host} did not answer within {seconds:g} s", host=where,
                           seconds=timeout or 0))
    if _named(chain, "RemoteDisconnected", "ConnectionResetError", "BrokenPipeError", "IncompleteRead"):
        return CannotRun(_("the Docker daemon at {host} closed the connection", host=where))
    if _named(chain, "BadStatusLine", "LineTooLong") or "got more than" in text:
        return CannotRun(_("not an HTTP answer from the Docker daemon at {host}", host=where))
    if _named(chain, "SSLError"):
        return CannotRun(_("TLS with the Docker daemon at {host} failed: {error}", host=where,
                           error=_first(chain)))
    if any(type(e).__module__.startswith("paramiko") for e in chain):
        return CannotRun(_("cannot reach the Docker daemon over ssh ({host}): {error}", host=where,
                           error=_first([e for e in chain if type(e).__module__.startswith("paramiko")])))
    if _named(chain, "ProtocolError"):
        return CannotRun(_("the Docker daemon at {host} closed the connection", host=where))
    refused = next((e for e in chain if getattr(e, "explanation", None)), None)
    if refused is not None:
        return CannotRun(_("the Docker daemon at {host} refused: {error}", host=where,
                           error=str(getattr(refused, "explanation", "")).strip()))
    return CannotRun(_("cannot talk to the Docker daemon at {host}: {error}", host=where,
                       error=_first(chain)))


def _first(chain: list[BaseException]) -> str:
    """The innermost message that says something, on one line."""
    for e in reversed(chain):
        line = str(e).strip().splitlines()[0] if str(e).strip() else ""
        if line:
            return line[:300]
    return type(chain[0]).__name__
