"""Run one call in a thread while the caller does something else (the container works, we scan)."""

from __future__ import annotations

import threading
import time
from typing import Any, Callable


class Background:
    """`fn(*args)` started at once in a thread; `result()` waits and returns it or re-raises its exception."""

    def __init__(self, fn: Callable[..., Any], *args: Any) -> None:
        self._fn, self._args = fn, args
        self._value: Any = None
        self._error: BaseException | None = None
        self.seconds = 0.0
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        start = time.monotonic()
        try:
            self._value = self._fn(*self._args)
        except BaseException as exc:  # handed to the caller by result()
            self._error = exc
        self.seconds = time.monotonic() - start

    def result(self) -> Any:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value
