"""Device checks: is there a Cambricon card, and can this system open it?"""

from __future__ import annotations

from mlu_doctor.checks import check
from mlu_doctor.config import Config
from mlu_doctor.facts.model import Facts
from mlu_doctor.i18n import _
from mlu_doctor.models import Evidence, Finding, fail, ok


def card_summary(facts: Facts) -> list[str]:
    """Human names of the cards found, best source first (proc model, PCI SKU, family, cnmon)."""
    names: list[str] = []
    dev = facts.device
    if dev:
        names = [c.model or c.name or "unknown card" for c in dev.proc]
        if not names:
            names = [p.sku or p.family or f"cabc:{p.device_id}" for p in dev.pci if not p.is_vf]
    if not names and facts.driver and facts.driver.cnmon:
        names = [c.name or "unknown card" for c in facts.driver.cnmon.cards if not c.is_vf]
    return names


@check("device.present", "A Cambricon MLU card is visible", needs=("device", "driver"))
def device_present(facts: Facts, config: Config) -> Finding:
    """At least one card is seen through PCI, /proc/driver/cambricon or cnmon."""
    names = card_summary(facts)
    looked = list(facts.device.looked_at)
    if facts.driver and facts.driver.cnmon and "cnmon" not in looked:
        looked.append("cnmon")
    if names:
        counts: dict[str, int] = {}
        for n in names:
            counts[n] = counts.get(n, 0) + 1
        text = ", ".join(f"{c} x {n}" if c > 1 else n for n, c in counts.items())
        return ok(_("{n} card(s): {cards}", n=len(names), cards=text), evidence=facts.device.evidence[:4])
    return fail(
        _("no Cambricon device found; looked at {places}", places=", ".join(looked)),
        details=_("No PCI function with vendor 0xcabc, no /proc/driver/cambricon/mlus entry and no card in cnmon."),
        remedy=_("Run on a host with an MLU card; in a container, also check that the host sees the card."),
        evidence=(Evidence("looked at", "\n".join(looked)),),
    )


CHECKS = (device_present,)
