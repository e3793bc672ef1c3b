"""The subprocess seam: run a command with a timeout, never raise on failure."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from typing import Protocol

from mlu_doctor.defaults import COMMAND_OUTPUT_LIMIT, PROBE_TIMEOUT
from mlu_doctor.i18n import _
from mlu_doctor.records import record as dataclass  # shared eq/repr: faster import

MAX_OUTPUT = COMMAND_OUTPUT_LIMIT


@dataclass(frozen=True)
class RunResult:
    """Outcome of one command: exit code, decoded output, and why it failed, if it did."""

    argv: tuple[str, ...]
    returncode: int | None
    stdout: str
    stderr: str
    seconds: float
    timed_out: bool = False
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and not self.timed_out and self.returncode == 0

    def describe(self) -> str:
        """One line saying what happened, for facts.errors and evidence."""
        cmd = " ".join(self.argv)
        if self.timed_out:
            return _("{cmd} timed out after {seconds:.1f} s and was killed", cmd=cmd, seconds=self.seconds)
        if self.error:
            return f"{cmd}: {self.error}"
        return f"{cmd} exited {self.returncode}"


class Runner(Protocol):
    def __call__(
        self,
        argv: Sequence[str],
        timeout: float = PROBE_TIMEOUT,
        env: Mapping[str, str] | None = None,
        cwd: str | None = None,
    ) -> RunResult: ...


def decode(data: bytes) -> str:
    """Decode tool output: UTF-8, undecodable bytes replaced, NULs dropped."""
    return data[:MAX_OUTPUT].decode("utf-8", errors="replace").replace("\x00", "")


def run(
    argv: Sequence[str],
    timeout: float = PROBE_TIMEOUT,
    env: Mapping[str, str] | None = None,
    cwd: str | None = None,
) -> RunResult:
    """Run `argv`; on timeout kill its whole process group. Never raises for the command's failure."""
    start = time.monotonic()
    argv = tuple(argv)
    with _SPAWN:  # kill_all() either sees this command or stops it from starting
        if _ABORTING:
            return RunResult(argv, None, "", "", 0.0, error="interrupted")
        try:
            proc = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=dict(env) if env is not None else None,
                cwd=cwd,
                start_new_session=True,
            )
        except OSError as exc:
            return RunResult(argv, None, "", "", time.monotonic() - start, error=exc.strerror or str(exc))
        _LIVE.add(proc)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        out, err = proc.communicate()
        return RunResult(argv, None, decode(out), decode(err), time.monotonic() - start, timed_out=True)
    except BaseException:  # Ctrl-C: the command runs in its own session, so it would outlive us
        _kill_group(proc)
        proc.wait()
        raise
    finally:
        _LIVE.discard(proc)
    return RunResult(argv, proc.returncode, decode(out), decode(err), time.monotonic() - start)


_LIVE: set[subprocess.Popen] = set()  # commands running now, in any thread
_SPAWN = threading.Lock()
_ABORTING = False


def kill_all() -> None:
    """Kill every command running now and refuse new ones (Ctrl-C while threads wait on commands).

    `allow_runs()` lifts the refusal once the caller has joined those threads.
    """
    global _ABORTING
    with _SPAWN:
        _ABORTING = True
        live = list(_LIVE)
    for proc in live:
        _kill_group(proc)
    for proc in live:  # reap them: the threads running them may not get the chance before we exit
        with contextlib.suppress(Exception):
            proc.wait(timeout=2)


def allow_runs() -> None:
    """Commands may start again (after kill_all() and joining the threads that ran them)."""
    global _ABORTING
    with _SPAWN:
        _ABORTING = False


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        proc.kill()


def which(name: str, path: str | None = None) -> str | None:
    """Find an executable on PATH (the seam's notion of 'installed')."""
    return shutil.which(name, path=path)
