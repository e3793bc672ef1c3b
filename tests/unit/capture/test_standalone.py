"""The probe script runs on Python 3.6: checked with ast (3.6 grammar, no later features), stdlib imports only."""

from __future__ import annotations

import ast
import sys

import pytest

from mlu_doctor.capture.script import plan, probe_script, template


@pytest.fixture(scope="module")
def tree() -> ast.Module:
    return ast.parse(probe_script(), feature_version=(3, 6))  # raises SyntaxError for 3.7+ grammar


def test_no_feature_newer_than_python_36(tree):
    for node in ast.walk(tree):
        assert not isinstance(node, ast.NamedExpr), f"walrus at line {node.lineno}"
        assert not isinstance(node, ast.JoinedStr), f"f-string at line {node.lineno} (use % formatting)"
        assert not isinstance(node, ast.AnnAssign), f"variable annotation at line {node.lineno} (type comments only)"
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            args = node.args
            assert node.returns is None and not args.posonlyargs, f"{node.name}: annotations or / parameters"
            assert all(a.annotation is None for a in [*args.args, *args.kwonlyargs]), node.name
        if isinstance(node, ast.ImportFrom):
            assert node.module != "__future__", "from __future__ import annotations is 3.7+"
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "run":
            assert not any(k.arg in ("capture_output", "text") for k in node.keywords), "subprocess.run(...) 3.7+ keywords"


def test_imports_only_the_standard_library_of_36(tree):
    names = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    names |= {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert names <= set(sys.stdlib_module_names)
    assert not names & {"dataclasses", "importlib", "contextvars", "graphlib", "zoneinfo"}, "3.7+ modules"


def test_the_plan_is_filled_in_from_the_probes():
    text = probe_script()
    assert "PLAN = {}" in template() and "PLAN = {}" not in text
    namespace: dict = {}
    exec(compile(text.replace('if __name__ == "__main__":', "if False:"), "probe.py", "exec"), namespace)
    assert namespace["PLAN"] == plan()
    from mlu_doctor.facts import pyenv

    assert namespace["PLAN"]["sys_path_script"] == pyenv.SCRIPT, "the same command the doctor replays"
