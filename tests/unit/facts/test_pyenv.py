"""The interpreter script: Python 3.6 stdlib only, and its output parsed with or without json."""

from __future__ import annotations

import ast
import subprocess
import sys

from mlu_doctor.facts.pyenv import SCRIPT, parse_interpreter_output
from tests.kit.files import write


def test_interpreter_script_is_python36_stdlib_and_runs():
    tree = ast.parse(SCRIPT, feature_version=(3, 6))
    imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert imported <= {"json", "sys", "site"}
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=30).stdout
    data = parse_interpreter_output(out)
    assert data["version"].startswith("3.") and data["executable"] and isinstance(data["path"], list)


def test_interpreter_script_without_json_prints_a_literal(tmp_path):
    """Debian's python3-minimal has no json module: the script falls back to repr(), read with literal_eval."""
    write(tmp_path / "json/__init__.py", "raise ImportError('no json here')\n")
    env = {"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=30, env=env).stdout
    assert out.startswith("{'version'")
    data = parse_interpreter_output(out)
    assert data["version"].startswith("3.") and str(tmp_path) in data["path"]
    assert parse_interpreter_output("__import__('os').system('true')") is None
