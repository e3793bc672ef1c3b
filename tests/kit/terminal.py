"""`mlu-doctor` on a real pseudo-terminal: what a user sees in a terminal, colour and layout included."""

from __future__ import annotations

import os
import select
import subprocess
import sys
import time
from pathlib import Path


def run_in_pty(args: list[str], env: dict, cwd: Path) -> tuple[int, str]:
    """mlu-doctor with a pseudo-terminal as stdout/stderr (stdin too), TERM=xterm-256color unless `env` sets it;
    (code, output)."""
    master, slave = os.openpty()
    inherited = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    full = {k: v for k, v in {**inherited, "TERM": "xterm-256color", **env, "LANG": "C.UTF-8"}.items() if v is not None}
    proc = subprocess.Popen([sys.executable, "-m", "mlu_doctor", *args], stdin=slave, stdout=slave, stderr=slave,
                            env=full, cwd=cwd, start_new_session=True)
    os.close(slave)
    out, deadline = b"", time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
        elif proc.poll() is not None:
            break
    os.close(master)
    return proc.wait(timeout=30), out.decode("utf-8", "replace")
