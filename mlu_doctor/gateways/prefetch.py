"""Start independent commands early, in threads, so they overlap; probes then take the results.

`gather()` asks each probe which command it will run first (`cnmon`, the user's `python3 -c <sys.path
script>`), starts them all at once through the inspected System's own `run` (whatever runner it has: the
subprocess seam, a test's fake), then runs the probes in order on a `PrefetchingSystem`. When a
probe calls the runner with the same argv, timeout, env and cwd, it waits for the early run instead of
starting a new process; any other call runs as usual. Every command still goes through the wrapped seam,
so each stays time-boxed (`proc.run` kills it at its timeout). `close()` waits for results nobody took.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from mlu_doctor.defaults import PROBE_TIMEOUT
from mlu_doctor.gateways import proc
from mlu_doctor.system.files import READ_LIMIT

if TYPE_CHECKING:
    from mlu_doctor.system import System

Key = tuple


def _key(argv: Sequence[str], timeout: float, env: Mapping[str, str] | None, cwd: str | None) -> Key:
    return tuple(argv), float(timeout), None if env is None else tuple(sorted(env.items())), cwd


class _Early(threading.Thread):
    def __init__(self, run: Callable[..., proc.RunResult], argv: Sequence[str], timeout: float,
                 env: Mapping[str, str] | None, cwd: str | None) -> None:
        super().__init__(daemon=True, name=f"prefetch {argv[0]}")
        self._call = (run, list(argv), timeout, env, cwd)
        self.result: proc.RunResult | None = None

    def run(self) -> None:
        run, argv, timeout, env, cwd = self._call
        self.result = run(argv, timeout=timeout, env=env, cwd=cwd)


class PrefetchRunner:
    """A `proc.Runner` that can start commands ahead of the probes asking for them."""

    def __init__(self, run: Callable[..., proc.RunResult] = proc.run) -> None:
        self._run = run
        self._early: dict[Key, _Early] = {}
        self._threads: list[_Early] = []

    def start(self, argv: Sequence[str], timeout: float = PROBE_TIMEOUT, env: Mapping[str, str] | None = None,
              cwd: str | None = None) -> None:
        key = _key(argv, timeout, env, cwd)
        if key not in self._early:
            early = self._early[key] = _Early(self._run, argv, timeout, env, cwd)
            self._threads.append(early)
            early.start()

    def __call__(self, argv: Sequence[str], timeout: float = PROBE_TIMEOUT,
                 env: Mapping[str, str] | None = None, cwd: str | None = None) -> proc.RunResult:
        early = self._early.pop(_key(argv, timeout, env, cwd), None)
        if early is not None:
            early.join()
            if early.result is not None:
                return early.result
        return self._run(argv, timeout=timeout, env=env, cwd=cwd)

    def close(self, abort: bool = False) -> None:
        """Wait for early commands no probe asked for (each ends by its timeout); abort kills them first."""
        if abort:  # Ctrl-C: a join it interrupted may already report its thread as stopped, so reap here
            proc.kill_all()
        try:
            for early in self._threads:
                early.join()
        finally:
            if abort:
                proc.allow_runs()
            self._early.clear()
            self._threads.clear()


class PrefetchingSystem:
    """A System whose `run` takes the commands started early; everything else is the wrapped system's."""

    def __init__(self, system: System, runner: PrefetchRunner) -> None:
        self.inner, self.runner = system, runner
        self.label, self.environ, self.can_run = system.label, system.environ, system.can_run

    def run(self, argv: Sequence[str], timeout: float = PROBE_TIMEOUT, env: Mapping[str, str] | None = None,
            cwd: str | None = None) -> proc.RunResult:
        return self.runner(argv, timeout=timeout, env=env, cwd=cwd)

    def read_bytes(self, path: str, limit: int = READ_LIMIT) -> bytes | None:
        return self.inner.read_bytes(path, limit)

    def read_text(self, path: str, limit: int = READ_LIMIT) -> str | None:
        return self.inner.read_text(path, limit)

    def listdir(self, path: str) -> list[str] | None:
        return self.inner.listdir(path)

    def is_dir(self, path: str) -> bool:
        return self.inner.is_dir(path)

    def is_file(self, path: str) -> bool:
        return self.inner.is_file(path)

    def exists(self, path: str) -> bool:
        return self.inner.exists(path)

    def readlink(self, path: str) -> str | None:
        return self.inner.readlink(path)

    def glob(self, pattern: str) -> list[str]:
        return self.inner.glob(pattern)

    def which(self, name: str) -> str | None:
        return self.inner.which(name)

    def __getattr__(self, name: str) -> Any:  # optional extras (read_range, host_path): the wrapped system's
        return getattr(self.inner, name)
