"""Pure parsers for cnmon output: the card table (CNMON 1.x, v4.x, v5.x/v6.x layouts) and `cnmon info`.

Never raise: output that cannot be read as a cnmon table gives status "unparsed" with an excerpt.
The driver version is the header's `Driver` field (v5 and later) or the per-card `Driver` column (1.x,
v4.x); cnmon's own version can differ from it (`CNMON v6.5.48 ... Driver v6.2.29`) and is never used as
the driver's. Pasted tables keep working: blank lines between rows and collapsed spacing are tolerated.
Masked board names (`MLUXXX-XX`) give an unknown family.
"""

from __future__ import annotations

import re
from typing import Optional, Union

from mlu_doctor.facts.cnversions import release_text
from mlu_doctor.facts.families import normalise_name
from mlu_doctor.facts.model import CnmonCard, CnmonFacts

NO_DRIVER = "CNDEV_ERROR_NO_DRIVER"
_VERSION = r"v?(\d+(?:\.\d+)+)(?:-\d+)?"
_HEADER = re.compile(r"\|\s*CNMON\s+" + _VERSION + r"(?:\s+Driver\s+" + _VERSION + r")?\s*\|", re.IGNORECASE)
_PROCESSES = re.compile(r"^\|\s*Processes\s*:", re.IGNORECASE)
# Compiled on use (re caches them), not at import: only some cnmon versions print bus ids or `cnmon info`.
_BUS = r"^[0-9a-fA-F]{4}:[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\.[0-7]$"
_INFO_CARD = r"(?i)^\s*Card\s*[:#]?\s*(\d+)\s*:?\s*$"
_INFO_KEYS = {"product name": "name", "driver": "driver", "firmware": "firmware", "bus id": "bus"}

Text = Union[str, bytes, None]


def _as_text(text: Text) -> str:
    if text is None:
        return ""
    if isinstance(text, bytes):
        return text.decode("utf-8", errors="replace").replace("\x00", "")
    return text.replace("\x00", "")


def excerpt(text: Text, lines: int = 14, limit: int = 1200) -> str:
    """The first lines of some output, printable characters only, for evidence."""
    kept = _as_text(text).splitlines()[:lines]
    clean = "\n".join("".join(c if c.isprintable() else "?" for c in line.rstrip()) for line in kept)
    return clean[:limit]


def no_driver_line(text: Text) -> Optional[str]:
    """The line saying CNDEV_ERROR_NO_DRIVER, if any (cnmon exits 0 in that case)."""
    for line in _as_text(text).splitlines():
        if NO_DRIVER in line:
            return line.strip()
    return None


def _version(token: str) -> Optional[str]:
    """`v4.6.9` / `v5.10.22-1` -> the release; anything else (`N/A`, `On`) -> None."""
    token = token.strip()
    return release_text(token) if re.match(r"^[vV]?\d+\.\d", token) else None


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def _card_row(line: str, bus_layout: bool) -> Optional[CnmonCard]:
    """`| 0  /  MLU220-M2  v1.1.1 | On  v4.6.9 | ...` or `| 0  /  MLU370-X4  v1.1.6 | 0000:1B:00.0 | ...`."""
    cells = _cells(line)
    if len(cells) < 2:
        return None
    tokens = cells[0].split()
    if len(tokens) < 3 or not tokens[0].isdigit():
        return None
    firmware = _version(tokens[-1]) if len(tokens) >= 4 else None
    name = " ".join(tokens[2:-1] if firmware else tokens[2:])
    card = CnmonCard(index=int(tokens[0]), name=name or None, family=normalise_name(name)[0],
                     firmware=firmware, is_vf=tokens[1] != "/")
    second = cells[1].split()
    if bus_layout:
        card.bus_id = second[-1] if second and re.match(_BUS, second[-1]) else None
    elif second:
        card.driver_version = _version(second[-1])
    return card


def _layout(version: Optional[str], bus_layout: bool) -> str:
    major = (version or "").split(".")[0]
    if bus_layout:
        return f"{major}.x" if major.isdigit() and int(major) > 5 else "5.x"
    return "1.x" if major in ("", "1", "2", "3") else "4.x"


def parse_cnmon_table(text: Text) -> CnmonFacts:
    """Parse the output of plain `cnmon` (any of the three table layouts)."""
    raw = _as_text(text)
    line = no_driver_line(raw)
    if line is not None:
        return CnmonFacts(status="no-driver", excerpt=line)
    facts = CnmonFacts(status="unparsed", excerpt=excerpt(raw))
    lines = raw.splitlines()
    head = next((i for i, ln in enumerate(lines) if _HEADER.search(ln)), None)
    if head is None:
        return facts
    m = _HEADER.search(lines[head])
    assert m is not None  # the line `head` was found by this search
    facts.version, facts.driver_version = m.group(1), m.group(2)
    columns = " ".join(lines[head:head + 6])
    bus_layout = "Bus-Id" in columns
    facts.layout = _layout(facts.version, bus_layout)
    closed = _read_cards(lines, head, bus_layout, facts)
    if facts.cards and closed and "\ufffd" not in "".join(c.name or "" for c in facts.cards):
        facts.status = "ok"
        if not facts.driver_version:
            facts.driver_version = next((c.driver_version for c in facts.cards if c.driver_version), None)
        for card in facts.cards:  # v5.x: one driver in the header for every card
            card.driver_version = card.driver_version or facts.driver_version
    return facts


def _read_cards(lines: list[str], head: int, bus_layout: bool, facts: CnmonFacts) -> bool:
    """Read card rows after the `|===` line; True when the table ends cleanly after the last card."""
    start = next((i for i in range(head, len(lines)) if lines[i].strip().startswith("|=")), None)
    if start is None:
        return False
    expect_card, closed = True, False
    for ln in lines[start + 1:]:
        s = ln.strip()
        if not s:  # pasted into an issue: blank lines between rows
            continue
        if s.startswith("+"):
            expect_card, closed = True, True
        elif s.startswith("|") and expect_card:
            # the processes table follows (pasted: no blank line)
            if closed and facts.cards and _PROCESSES.match(s):
                return True
            card = _card_row(s, bus_layout)
            if card is None:
                return False
            facts.cards.append(card)
            expect_card, closed = False, False
        elif not s.startswith("|"):
            break
    return closed


_INFO_BANNER = r"(?i)=+\s*CNMON\s+v?(\d+(?:\.\d+)+)\s*=+"  # compiled on use


def parse_cnmon_info(text: Text) -> CnmonFacts:
    """Parse `cnmon info`: a `Card N` line, then `Key : value` lines, per card."""
    raw = _as_text(text)
    line = no_driver_line(raw)
    if line is not None:
        return CnmonFacts(status="no-driver", excerpt=line, layout="info")
    facts = CnmonFacts(status="unparsed", layout="info", excerpt=excerpt(raw))
    card: Optional[CnmonCard] = None
    for ln in raw.splitlines():
        m = re.match(_INFO_CARD, ln)
        if m:
            card = CnmonCard(index=int(m.group(1)))
            facts.cards.append(card)
            continue
        banner = re.search(_INFO_BANNER, ln)
        if banner and facts.version is None:
            facts.version = banner.group(1)
            continue
        key, sep, value = ln.partition(":")
        field = _INFO_KEYS.get(key.strip().lower())
        if not sep or field is None:
            continue
        if card is None and field == "name":  # `cnmon info -c N` excerpts may start without a Card line
            card = CnmonCard(index=0)
            facts.cards.append(card)
        if card is not None:
            _set_info(card, field, value.strip())
    if facts.cards and all(c.name for c in facts.cards):
        facts.status = "ok"
        facts.driver_version = next((c.driver_version for c in facts.cards if c.driver_version), None)
    return facts


def _set_info(card: CnmonCard, field: str, value: str) -> None:
    """First value wins (later sections of a block may repeat a key)."""
    if field == "name" and not card.name:
        card.name, card.family = value or None, normalise_name(value)[0]
    elif field == "driver" and not card.driver_version:
        card.driver_version = _version(value)
    elif field == "firmware" and not card.firmware:
        card.firmware = _version(value)
    elif field == "bus" and not card.bus_id:
        card.bus_id = value or None
