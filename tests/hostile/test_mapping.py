"""The one mapping of exception classes to exit codes and lines (errors.outcome), through the real entry point:
whatever a command raises, and whatever escapes before a command runs, ends as one line and the documented code;
exit 5 only for a bug, with the crash log named on that line and written where XDG_CACHE_HOME says."""

from __future__ import annotations

import errno
import os
import subprocess
import sys

import pytest

from mlu_doctor.errors import CannotRun, ConfigError, ExitCode, UsageError, outcome
from tests.hostile.harness import REPO, clean_line

pytestmark = pytest.mark.fast  # short processes; the rest of tests/hostile is slow (tests/conftest.py)

# raised from inside `mlu-doctor list` (a command's body) and from the start-up (before any command runs)
RAISED = {
    "usage": ("UsageError('bad --thing')", 2, "mlu-doctor: bad --thing"),
    "config": ("ConfigError('cfg.yaml:3: duplicate key')", 2, "mlu-doctor: cfg.yaml:3: duplicate key"),
    "cannot-run": ("CannotRun('docker is down')", 4, "mlu-doctor: docker is down"),
    "multi-line": ("CannotRun('first\\nsecond')", 4, "mlu-doctor: first; second"),
    "interrupt": ("KeyboardInterrupt()", 130, "mlu-doctor: interrupted"),
    "disk-full": ("OSError(errno.ENOSPC, 'No space left on device', '/out/r.md')", 4,
                  "mlu-doctor: cannot write /out/r.md: No space left on device"),
    "bug": ("RuntimeError('boom')", 5, "mlu-doctor: internal error: RuntimeError: boom (this is a bug; crash log: "),
    "bug-oserror": ("PermissionError(errno.EACCES, 'Permission denied')", 5, "internal error: PermissionError"),
    "recursion": ("RecursionError('deep')", 5, "internal error: RecursionError: deep"),
}
SCRIPT = """
import errno, sys
from mlu_doctor.errors import CannotRun, ConfigError, UsageError
import mlu_doctor.cli as cli
def boom(*a, **k):
    raise {exc}
if {in_command}:
    import mlu_doctor.cli.list_checks as lc
    lc.all_checks = boom
else:
    cli.command_word = boom
sys.argv = ["mlu-doctor", "list"]
cli.main()
"""


@pytest.mark.parametrize("where", ["in-command", "before-command"])
@pytest.mark.parametrize("name", list(RAISED))
def test_every_exception_ends_as_one_line_and_its_code(tmp_path, name, where):
    exc, code, words = RAISED[name]
    script = SCRIPT.format(exc=exc, in_command=where == "in-command")
    env = {"PATH": os.environ["PATH"], "PYTHONPATH": str(REPO), "LANG": "C.UTF-8", "XDG_CACHE_HOME": str(tmp_path)}
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == code, proc.stderr
    line = clean_line(proc.stderr) if code != 5 else proc.stderr.strip()
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert words in line, line
    logs = list((tmp_path / "mlu-doctor").glob("crash-*.log")) if (tmp_path / "mlu-doctor").exists() else []
    if code == 5:
        assert len(logs) == 1 and str(logs[0]) in line and "Traceback" in logs[0].read_text()
    else:
        assert not logs


def test_a_closed_pipe_is_quiet_and_not_a_bug():
    found = outcome(BrokenPipeError(errno.EPIPE, "Broken pipe"))
    assert found.code == ExitCode.OK and found.message is None and not found.bug


@pytest.mark.parametrize("exc, code", [(UsageError("x"), 2), (ConfigError("x"), 2), (CannotRun("x"), 4),
                                       (CannotRun("x", ExitCode.FIX_FAILED), 3), (KeyboardInterrupt(), 130),
                                       (OSError(errno.EDQUOT, "quota"), 4), (ValueError("x"), 5), (MemoryError(), 5)])
def test_outcome_table(exc, code):
    found = outcome(exc)
    assert found.code == code and found.bug == (code == 5)
