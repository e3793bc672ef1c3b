"""The cards a system has, from every source in the facts (pure helpers for checks)."""

from __future__ import annotations

from typing import Optional

from mlu_doctor.facts.model import Facts
from mlu_doctor.findings import Evidence
from mlu_doctor.records import record as dataclass  # shared eq/repr: faster import


@dataclass(frozen=True)
class Card:
    """One physical card: family ("MLU220"), label ("MLU220-M2"), and where it was seen."""

    family: Optional[str]
    label: str
    evidence: Evidence


def cards_of(facts: Facts) -> list[Card]:
    """Cards from /proc (best: board model), else PCI (SKU or family), else cnmon; VFs skipped."""
    dev, out = facts.device, []
    if dev:
        for c in dev.proc:
            src = f"file:/proc/driver/cambricon/mlus/{c.bus}/information"
            out.append(Card(c.family, c.model or c.name or "unknown card",
                            Evidence(src, f"Device name: {c.name}")))
        if not out:
            for p in dev.pci:
                if not p.is_vf:
                    excerpt = f"cabc:{p.device_id[2:]} subsystem {p.subsystem_id}"
                    label = p.sku or p.family or f"cabc:{p.device_id}"
                    out.append(Card(p.family, label,
                                    Evidence(f"sysfs:/sys/bus/pci/devices/{p.address}", excerpt)))
    cnmon = facts.driver.cnmon if facts.driver else None
    if not out and cnmon:
        for cc in cnmon.cards:
            if not cc.is_vf:
                out.append(Card(cc.family, cc.name or cc.family or "unknown card",
                                Evidence(cnmon.command or "cnmon", cc.name or "")))
    return out


def visible_card_count(facts: Facts) -> Optional[int]:
    """How many cards the MLU runtime can number here: /dev nodes in a container, else cards seen."""
    dev = facts.device
    if dev and dev.in_container:
        nodes = [n for n in dev.nodes if n.startswith("/dev/cambricon_dev")]
        if nodes:
            return len(nodes)
    n = len(cards_of(facts))
    return n or None
