"""The command class every command uses: usage lines name arguments plainly (`inject [OPTIONS] SRC DEST`).

typer writes a required argument as `{SRC}` in the usage line; braces read like a template placeholder,
and the help already says which arguments are required.
"""

from __future__ import annotations

from typing import Any

from typer.core import TyperCommand


def first_paragraph(text: str | None) -> str | None:
    """What a command list shows in full for a command: the first paragraph of its help, on one line."""
    return " ".join((text or "").split("\n\n", 1)[0].split()) or None


def unbraced(piece: str) -> str:
    """`{SRC}` -> `SRC`; anything else unchanged."""
    return piece[1:-1] if piece.startswith("{") and piece.endswith("}") and piece.count("{") == 1 else piece


class Command(TyperCommand):
    """A typer command whose usage line shows required arguments without braces."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        return [unbraced(piece) for piece in super().collect_usage_pieces(ctx)]
