"""`check` on a real pseudo-terminal and through a pipe: rich decides colour (NO_COLOR, TERM=dumb, FORCE_COLOR)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.kit.files import REPO
from tests.kit.terminal import run_in_pty

pytestmark = pytest.mark.fast  # a few short processes on a pty and a pipe

ARGS = ["check", "--capture", str(REPO / "examples/mlu220-seed.tar.gz"), "--only", "framework.arch-match"]


@pytest.mark.parametrize("env, colour", [({}, True), ({"NO_COLOR": "1"}, False), ({"TERM": "dumb"}, False)])
def test_check_on_a_terminal_is_a_table_coloured_as_rich_decides(env, colour):
    code, out = run_in_pty(ARGS, {"PYTHONPATH": str(REPO), "COLUMNS": "100", **env}, REPO)
    assert code == 1 and "framework.arch-match" in out and "─" in out, out  # the table, in every case
    assert ("\x1b[1;31mFAIL" in out) == colour and ("\x1b[" in out) == colour, out


def test_check_through_a_pipe_is_plain_unless_colour_is_forced():
    base = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    plain = subprocess.run([sys.executable, "-m", "mlu_doctor", *ARGS], capture_output=True, text=True, timeout=60,
                           env={**base, "PYTHONPATH": str(REPO)})
    assert plain.returncode == 1 and "\x1b[" not in plain.stdout and plain.stdout.splitlines()[1].startswith("FAIL   ")
    forced = subprocess.run([sys.executable, "-m", "mlu_doctor", *ARGS], capture_output=True, text=True, timeout=60,
                            env={**base, "PYTHONPATH": str(REPO), "FORCE_COLOR": "1", "TERM": "xterm-256color"})
    assert forced.returncode == 1 and "\x1b[1;31mFAIL" in forced.stdout
