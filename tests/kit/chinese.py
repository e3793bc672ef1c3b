"""Chinese typesetting rules the catalog and the CLI's zh output keep."""

from __future__ import annotations

import re

CJK = "[\u3400-\u9fff\uf900-\ufaff]"
FULL_WIDTH = "[\u3000-\u303f\uff01-\uff5e“”‘’…—]"  # Chinese punctuation: 。，、；：？！（）“”…
SPACING = (
    (re.compile(f"{CJK} +{CJK}"), "a space between two Chinese characters"),
    (re.compile(f"(?<=\\S) +{FULL_WIDTH}"), "a space before full-width punctuation"),  # not an indentation
    (re.compile(f"{FULL_WIDTH} +(?=[^\\s|])"), "a space after full-width punctuation"),  # not a table's " |"
)


def spacing_problems(text: str) -> list[str]:
    """Spaces Chinese typesetting does not use (a space around a Latin word or a placeholder is fine)."""
    return [f"{why}: ...{text[max(m.start() - 12, 0):m.end() + 12]}..." for pattern, why in SPACING
            for m in pattern.finditer(text)]
