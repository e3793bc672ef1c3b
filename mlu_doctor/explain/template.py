"""Text templates of signatures: only `{name}` fields and `{{` `}}` escapes, checked at load, never raising at
render.

`str.format` would accept `{0}`, `{a.b}`, `{a!r}` and `{a:>999999999}` from a user's signature file and fail
(IndexError, AttributeError) or allocate without bound while rendering; this small language cannot.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
MISSING = "?"


def template_problem(template: str) -> str | None:
    """Why `template` is not a valid signature text, or None when it is."""
    for m in _TOKEN.finditer(template):
        token = m.group(0)
        if token in ("{{", "}}"):
            continue
        if m.group(1) is None:
            return f"unbalanced {token!r} (write {token * 2} for a literal brace)"
        if not _NAME.match(m.group(1)):
            return f"field {token} is not a capture name (use {{name}} with a named group of a pattern)"
    return None


def fields_of(template: str) -> set[str]:
    """The {field} names a (valid) template uses."""
    return {m.group(1) for m in _TOKEN.finditer(template) if m.group(1) and _NAME.match(m.group(1))}


def fill(template: str, values: Mapping[str, str], keep_missing: bool = False) -> str:
    """Fill `{name}` fields from `values` ('?' when missing, or `{name}` kept as a placeholder with
    `keep_missing`); anything malformed is kept as written."""

    def one(m: re.Match[str]) -> str:
        token, name = m.group(0), m.group(1)
        if token == "{{":
            return "{"
        if token == "}}":
            return "}"
        if name is not None and _NAME.match(name):
            return str(values.get(name) or (token if keep_missing else MISSING))
        return token

    return _TOKEN.sub(one, template)
