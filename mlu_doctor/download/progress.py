"""Progress bars on stderr (tqdm, imported lazily) only where rich would redraw (an interactive terminal, not
TERM=dumb) and NO_COLOR is unset: output.terminal.progress_allowed decides."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import Any


class NullProgress:
    """No output: for pipes, JSON runs, tests and the recipe runner."""

    def start(self, total: int) -> None:
        pass

    def file(self, name: str, total: int, initial: int) -> Callable[[int], None]:
        return lambda n: None

    def done_file(self) -> None:
        pass

    def close(self) -> None:
        pass


class TqdmProgress(NullProgress):
    """One bar for the current file, one for all bytes to download."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._overall: Any = None
        self._file: Any = None

    def start(self, total: int) -> None:
        from tqdm import tqdm

        self._overall = tqdm(total=total, unit="B", unit_scale=True, unit_divisor=1024, desc="total",
                             file=sys.stderr, position=0, dynamic_ncols=True)

    def file(self, name: str, total: int, initial: int) -> Callable[[int], None]:
        from tqdm import tqdm

        self._file = tqdm(total=total, initial=initial, unit="B", unit_scale=True, unit_divisor=1024,
                          desc=name, file=sys.stderr, position=1, leave=False, dynamic_ncols=True)

        def update(n: int) -> None:
            with self._lock:
                self._file.update(n)
                self._overall.update(n)

        return update

    def done_file(self) -> None:
        if self._file is not None:
            self._file.close()

    def close(self) -> None:
        if self._overall is not None:
            self._overall.close()


Progress = NullProgress


def progress_for_stderr() -> NullProgress:
    """tqdm bars where output.terminal.progress_allowed says so for stderr, else nothing."""
    from mlu_doctor.output.terminal import progress_allowed

    if progress_allowed(sys.stderr):
        return TqdmProgress()
    return NullProgress()
