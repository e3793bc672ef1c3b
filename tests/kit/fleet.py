"""Real fleet components for the tests: Debian's promtool, prometheus, node_exporter, munge and Slurm.

scripts/test.sh installs them; outside CI a missing one skips its tests, in CI (CI=true) it fails them.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Callable

import pytest

from tests.kit.files import REPO

DEPLOY = REPO / "deploy"


def need(tool: str) -> str:
    """The path of `tool`; skip without it, but fail in CI where scripts/test.sh must have installed it."""
    path = shutil.which(tool) or next((p for d in ("/usr/sbin", "/sbin") if os.access(p := f"{d}/{tool}", os.X_OK)), None)
    if path:
        return path
    if os.environ.get("CI"):
        pytest.fail(f"{tool} is missing in CI: scripts/test.sh should have installed it")
    pytest.skip(f"{tool} is not installed (scripts/test.sh installs it)")


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(what: str, ready: Callable[[], object], timeout: float = 30.0, interval: float = 0.2,
             log: Path | None = None) -> object:
    """Poll `ready()` until it returns something truthy; fail with `what` (and the log's tail) after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        with contextlib.suppress(Exception):
            value = ready()
            if value:
                return value
        if time.monotonic() > deadline:
            tail = log.read_text(errors="replace")[-2000:] if log and log.exists() else ""
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}\n{tail}")
        time.sleep(interval)


@contextlib.contextmanager
def daemon(argv: list[str], log: Path, **kw: object) -> Iterator[subprocess.Popen[bytes]]:
    """Run `argv` in the background with output to `log`; terminate it (then kill) on exit."""
    with open(log, "wb") as out:
        proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, **kw)  # type: ignore[call-overload]
    try:
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
