"""bench/inject.py run with an interpreter that lacks the test venv says so in one line (exit 2), no traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[3] / "bench" / "inject.py"


def test_without_the_test_venv_it_says_what_to_run():
    # -S: no site-packages, as with a bare system python3
    result = subprocess.run([sys.executable, "-S", str(BENCH)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert lines[0].startswith("bench/inject.py needs the project's test venv (")
    assert "bash scripts/test.sh" in lines[0] and ".venv/bin/python bench/inject.py" in lines[0]
