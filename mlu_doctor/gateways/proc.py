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
        out, err, timed_out, error = _collect(proc, start + timeout)
    except BaseException:  # Ctrl-C: the command runs in its own session, so it would outlive us
        _kill_group(proc)
        _reap(proc)
        raise
    finally:
        _LIVE.discard(proc)
    seconds = time.monotonic() - start
    if timed_out:
        return RunResult(argv, None, decode(out), decode(err), seconds, timed_out=True)
    return RunResult(argv, proc.returncode, decode(out), decode(err), seconds, error=error)


POLL_EXIT = 0.1  # seconds between looks at whether the command exited while its pipes stay open
# seconds of output still read after the command exits (what it wrote is in the pipe already)
EXIT_GRACE = 0.2


def _collect(proc: subprocess.Popen, deadline: float) -> tuple[bytes, bytes, bool, str | None]:
    """(stdout, stderr, timed out, error) of `proc`, read until both pipes end, the deadline passes, or the
    command has exited and EXIT_GRACE passed: a child it left behind in another session (`setsid cmd &`)
    may hold the pipes open forever, and its EOF is never waited for. Whenever reading stops before both
    pipes ended (the deadline, output past MAX_OUTPUT, or after the exit) the command's process group is
    killed."""
    import selectors

    fds = [pipe.fileno() if pipe is not None else -1 for pipe in (proc.stdout, proc.stderr)]
    bufs = {fd: bytearray() for fd in fds}
    with selectors.DefaultSelector() as sel:
        for fd in fds:
            if fd >= 0:
                os.set_blocking(fd, False)
                sel.register(fd, selectors.EVENT_READ)
        timed_out, error, exited_at = False, None, None
        while sel.get_map():
            now = time.monotonic()
            if exited_at is None and proc.poll() is not None:
                exited_at = now
            end = deadline if exited_at is None else min(deadline, exited_at + EXIT_GRACE)
            if now >= end:
                timed_out = exited_at is None
                break
            for key, _events in sel.select(min(end - now, POLL_EXIT) if exited_at is None else end - now):
                if not _read_into(key.fd, bufs[key.fd]):
                    sel.unregister(key.fd)
            if any(len(b) > MAX_OUTPUT for b in bufs.values()):
                error = _("printed more than {mib} MiB; stopped", mib=MAX_OUTPUT >> 20)
                break
        stopped_early = bool(sel.get_map())
    if not stopped_early and proc.poll() is None:  # it closed its pipes but runs on: still time-boxed
        try:
            proc.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            timed_out = stopped_early = True
    if stopped_early:  # timed out, too much output, or what it left behind in its group holds the pipes
        _kill_group(proc)
    _close_pipes(proc)
    _reap(proc)
    return bytes(bufs[fds[0]]), bytes(bufs[fds[1]]), timed_out, error


def _read_into(fd: int, buf: bytearray) -> bool:
    """Append what `fd` has to `buf`; False at EOF."""
    try:
        chunk = os.read(fd, 65536)
    except BlockingIOError:
        return True
    except OSError:
        return False
    buf += chunk
    return bool(chunk)


def _close_pipes(proc: subprocess.Popen) -> None:
    for pipe in (proc.stdout, proc.stderr):
        if pipe is not None:
            with contextlib.suppress(OSError):
                pipe.close()


def _reap(proc: subprocess.Popen) -> None:
    """Wait for a command that exited or was killed (SIGKILL: at once); never block for long."""
    with contextlib.suppress(subprocess.TimeoutExpired):  # unkillable (D state): the OS reaps it when we exit
        proc.wait(timeout=2)


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
