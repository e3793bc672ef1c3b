"""What a stream can show, as rich's Console decides it: a terminal or not (FORCE_COLOR, TTY_COMPATIBLE),
colour (NO_COLOR, TERM=dumb), width (the terminal's, COLUMNS) and whether progress may redraw
(TTY_INTERACTIVE).

Nothing here reads those variables itself, with one exception that only saves time: a stream that is not a
tty, with neither FORCE_COLOR nor TTY_COMPATIBLE=1 set, is one rich would call "not a terminal", so rich is
not imported for it (a piped `mlu-doctor check` starts without it).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import IO, TYPE_CHECKING, Optional

if TYPE_CHECKING:
    from rich.console import Console

Lines = Iterable[tuple[str, str]]  # (rich style, text): the style is dropped where the stream takes no colour


def may_be_terminal(stream: IO[str], environ: Optional[Mapping[str, str]] = None) -> bool:
    """False only where rich's Console would say the stream is not a terminal (so rich need not be
    imported)."""
    env = os.environ if environ is None else environ
    if env.get("TTY_COMPATIBLE") == "1" or env.get("FORCE_COLOR"):
        return True
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


def terminal_console(stream: IO[str]) -> Optional[Console]:
    """rich's Console on `stream` when rich treats it as a terminal (it then decides colour and width), else
    None."""
    if not may_be_terminal(stream):
        return None
    from rich.console import Console

    console = Console(file=stream, highlight=False)
    return console if console.is_terminal else None


def coloured(console: Optional[Console]) -> bool:
    """Whether rich will write colour through `console` (not with NO_COLOR, TERM=dumb, or off a terminal)."""
    return console is not None and console.color_system is not None and not console.no_color


def progress_allowed(stream: IO[str]) -> bool:
    """Progress bars on `stream`: only where rich would redraw (an interactive terminal) and NO_COLOR is
    unset."""
    console = terminal_console(stream)
    return console is not None and console.is_interactive and not console.no_color


def write_lines(lines: Lines, stream: IO[str]) -> None:
    """Write styled lines: coloured where rich colours, else the bare text (no rich on a pipe)."""
    console = terminal_console(stream)
    if console is None or not coloured(console):
        stream.write("".join(text + "\n" for _style, text in lines))
        return
    from rich.text import Text

    for style, text in lines:
        console.print(Text(text, style=style or ""), soft_wrap=True)
