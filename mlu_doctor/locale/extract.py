"""Find every user-facing template in the package source, for catalog completeness checks.

Translatable: the first argument of `_("...")` and `N_("...")` (marked now, translated later: tables of
templates, help text with fields), every `help="..."` keyword (typer options, arguments,
apps, commands), the docstrings of typer commands and callbacks (their help text), and check titles
(`@check(id, "title", ...)`). Only string literals count; build messages with `_()` fields instead
of concatenation so they can be found.
"""

from __future__ import annotations

import ast
import string
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent
_COMMAND_DECORATORS = ("command", "callback")


def _literal(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _call_name(node: ast.Call) -> str:
    func = node.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _is_command(func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    for dec in func.decorator_list:
        target = dec.func if isinstance(dec, ast.Call) else dec
        if isinstance(target, ast.Attribute) and target.attr in _COMMAND_DECORATORS:
            return True
    return False


def templates_in(source: str) -> Iterator[str]:
    """Translatable string literals in one module's source."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            name = _call_name(node)
            if name in ("_", "N_") and node.args and _literal(node.args[0]):
                yield _literal(node.args[0])  # type: ignore[misc]
            if name == "check" and len(node.args) >= 2 and _literal(node.args[1]):
                yield _literal(node.args[1])  # type: ignore[misc]
            for kw in node.keywords:
                if kw.arg == "help" and _literal(kw.value):
                    yield _literal(kw.value)  # type: ignore[misc]
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and _is_command(node):
            doc = ast.get_docstring(node, clean=True)
            if doc:
                yield doc


def package_templates(root: Path = PACKAGE) -> dict[str, list[str]]:
    """Every template in the package -> the files (relative) that use it."""
    found: dict[str, list[str]] = {}
    for path in sorted(root.rglob("*.py")):
        if "locale" in path.relative_to(root).parts:
            continue
        rel = str(path.relative_to(root.parent))
        for text in templates_in(path.read_text(encoding="utf-8")):
            if text.strip():
                found.setdefault(text, [])
                if rel not in found[text]:
                    found[text].append(rel)
    return found


def fields(template: str) -> set[str]:
    """The {field} names of a template ({{ and }} are literal braces)."""
    try:
        return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None
                and name != ""}
    except ValueError:
        return {"<malformed>"}


def catalog_problems(catalog: dict[str, str], templates: dict[str, list[str]]) -> tuple[list[str], list[str]]:
    """(templates missing from the catalog, templates whose translation has other {fields})."""
    missing = [t for t in templates if t not in catalog]
    mismatched = [t for t in templates if t in catalog and fields(catalog[t]) != fields(t)]
    return missing, mismatched
