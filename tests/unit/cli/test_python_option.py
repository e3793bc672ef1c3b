"""`--python` names the interpreter the user's code runs with: a program that does not answer like Python is
bad input (exit 2, one line naming it and what it answered), never a report built on a guess."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.kit.files import fake_tool

# (program, what the one line must say it answered)
NOT_PYTHON = [
    ("/bin/ls", "it exited 2 and printed: /bin/ls: cannot access '…': File name too long"),
    ("/bin/echo", "it exited 0 and printed: -c …"),
    ("/bin/false", "it exited 1 and printed nothing"),
]


def run(args, **env):
    full = {**os.environ, "LC_ALL": "", "LC_MESSAGES": "", "LANG": "C.UTF-8", "NO_COLOR": "1", **env}
    return subprocess.run([sys.executable, "-m", "mlu_doctor", *args], capture_output=True, text=True, env=full,
                          timeout=60)


@pytest.mark.parametrize("program, answer", NOT_PYTHON, ids=[p for p, _ in NOT_PYTHON])
@pytest.mark.parametrize("command", [["check"], ["facts"], ["fix", "--dry-run"]])
def test_a_program_that_is_not_python_is_a_usage_error(tmp_path, program, answer, command):
    if not os.path.exists(program):
        pytest.skip(f"{program} is not on this system")
    result = run([*command, "--python", program], HOME=str(tmp_path))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == f"mlu-doctor: --python {program} is not a Python interpreter: asked to run a short script, {answer}\n"
    assert "import json" not in result.stderr and "$'" not in result.stderr and "sys.stdout" not in result.stderr


def test_the_line_is_chinese_in_zh():
    result = run(["check", "--python", "/bin/false"], LANG="zh_CN.UTF-8")
    assert result.returncode == 2
    assert result.stderr == ("mlu-doctor：--python /bin/false 不是 Python 解释器：让它运行一段小脚本，"
                             "它以退出码 1 结束，没有任何输出\n")


def test_a_file_that_cannot_be_started_says_why(tmp_path):
    fake = tmp_path / "python3"
    fake.write_bytes(b"\x7fELF not really")
    fake.chmod(0o755)
    result = run(["check", "--python", str(fake)])
    assert result.returncode == 2
    assert result.stderr.startswith(f"mlu-doctor: --python {fake} is not a Python interpreter: asked to run a short "
                                    "script, it could not be started: ")
    assert len(result.stderr.splitlines()) == 1


def test_npd_reports_it_as_unknown(tmp_path):
    result = run(["npd", "--python", "/bin/false"])
    assert result.returncode == 2 and "is not a Python interpreter" in result.stdout


def test_a_real_python_still_works(cli, empty_root):
    result = cli(["check", "--root", empty_root, "--only", "framework.installed", "--python", sys.executable,
                  "--format", "json"])
    assert result.exit_code in (0, 1) and json.loads(result.stdout)["findings"][0]["id"] == "framework.installed"


def test_python3_on_path_that_is_broken_stays_a_finding_without_the_script(cli, tmp_path):
    """Not named by the user: the interpreter found on PATH is judged, not refused (and the script is not shown)."""
    bindir = tmp_path / "bin"
    fake_tool(bindir, "python3", stdout="", code=2)
    (bindir / "python3").write_text('#!/bin/sh\necho "python3: cannot open $2" >&2\nexit 2\n')
    result = cli(["check", "--only", "framework.installed", "--format", "json"], env={"PATH": f"{bindir}:/usr/bin:/bin"})
    finding = json.loads(result.stdout)["findings"][0]
    assert finding["status"] == "warn" and "exited 2" in finding["summary"]
    assert "import json" not in finding["summary"] and "python3: cannot open …" in finding["summary"]


def test_what_it_answered_reaches_the_terminal_without_escape_sequences(tmp_path):
    fake = tmp_path / "python3"
    fake.write_text("#!/bin/sh\nprintf '\\033[2J\\033]0;owned\\007hello\\n'\n")
    fake.chmod(0o755)
    result = run(["check", "--python", str(fake)])
    assert result.returncode == 2 and "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert result.stderr.rstrip("\n").endswith("printed: \ufffd[2J\ufffd]0;owned\ufffdhello")
