"""Device checks: is there a Cambricon card, and can this system open it?"""

from __future__ import annotations

import re
from typing import Optional

from mlu_doctor.checks import check
from mlu_doctor.config import Config
from mlu_doctor.facts.families import uses_ipcm
from mlu_doctor.facts.model import DeviceFacts, Facts, PciDevice
from mlu_doctor.findings import Evidence, Finding, fail, ok, skip, warn
from mlu_doctor.i18n import _

_DEV = re.compile(r"^/dev/(cambricon_dev|cambricon_c10Dev)(\d+)$")
_IPCM = re.compile(r"^/dev/cambricon_ipcm(\d+)$")


def pci_cards(device: Optional[DeviceFacts]) -> list[PciDevice]:
    """Physical functions; VFs only when no PF is visible (a VM given VFs)."""
    if device is None:
        return []
    pfs = [p for p in device.pci if not p.is_vf]
    return pfs or list(device.pci)


def card_summary(facts: Facts) -> list[str]:
    """Human names of the cards found, best source first (proc model, PCI SKU, family, cnmon)."""
    names: list[str] = []
    dev = facts.device
    if dev:
        by_bus = {p.address.lower(): p for p in dev.pci}
        for c in dev.proc:
            p = by_bus.get(c.bus.lower())
            names.append(c.model or (p and (p.sku or p.family)) or c.name or "unknown card")
        if not names:
            names = [p.sku or p.family or f"cabc:{p.device_id}" for p in pci_cards(dev)]
    if not names and facts.driver and facts.driver.cnmon:
        names = [c.name or "unknown card" for c in facts.driver.cnmon.cards if not c.is_vf]
    return names


def card_sources(facts: Facts) -> dict[str, int]:
    """How many cards each source shows: PCI, /proc/driver/cambricon, cnmon."""
    out = {"PCI": len(pci_cards(facts.device)), "/proc/driver/cambricon": len(facts.device.proc)
           if facts.device else 0}
    cnmon = facts.driver.cnmon if facts.driver else None
    out["cnmon"] = len([c for c in cnmon.cards if not c.is_vf]) if cnmon and cnmon.status == "ok" else 0
    return {k: v for k, v in out.items() if v}


def card_count(facts: Facts) -> int:
    return max(card_sources(facts).values(), default=0)


def card_families(facts: Facts) -> list[str]:
    """Known families of the cards (MLU220, MLU370, ...) from /proc, PCI and cnmon; unknown ones left out."""
    fams: list[Optional[str]] = []
    if facts.device:
        fams += [c.family for c in facts.device.proc] + [p.family for p in pci_cards(facts.device)]
    if facts.driver and facts.driver.cnmon:
        fams += [c.family for c in facts.driver.cnmon.cards]
    return sorted({f for f in fams if f})


def needs_ipcm(families: list[str]) -> bool:
    """MLU370 and later also expose /dev/cambricon_ipcmN."""
    return any(uses_ipcm(f) for f in families)


def _cnmon_answered(facts: Facts) -> bool:
    cn = facts.driver.cnmon if facts.driver else None
    return cn is not None and cn.status in ("ok", "no-driver")


def _not_looked_at(facts: Facts) -> list[str]:
    """Why each source of card evidence told nothing: unreadable places, a hung or missing cnmon."""
    assert facts.device is not None and facts.driver is not None  # needs=("device", "driver")
    dev, cn = facts.device, facts.driver.cnmon if facts.driver else None
    out = []
    if "PCI" not in dev.looked_at:
        out.append(_("{path} could not be listed", path="/sys/bus/pci/devices"))
    if dev.proc_dir is None:
        out.append(_("/proc has no driver information (no /proc/modules, no /proc/driver)"))
    elif not dev.proc_dir:
        out.append(_("no /proc/driver/cambricon (no driver to list the cards)"))
    if not _cnmon_answered(facts):
        status = cn.status if cn else "missing"
        out.append(_("cnmon not found") if status == "missing"
                   else facts.errors.get("driver") or _("cnmon {status}", status=status))
    return out


def _card_absence_known(facts: Facts) -> bool:
    """Evidence that no card is there: the PCI bus listed, the driver's own list, or cnmon's card table."""
    assert facts.device is not None and facts.driver is not None  # needs=("device", "driver")
    dev, cn = facts.device, facts.driver.cnmon if facts.driver else None
    return "PCI" in dev.looked_at or dev.proc_dir is True or (cn is not None and cn.status == "ok")


@check("device.present", "A Cambricon MLU card is visible", needs=("device", "driver"))
def device_present(facts: Facts, config: Config) -> Finding:
    """At least one card is seen through PCI, /proc/driver/cambricon or cnmon; unknown (skip) when none could
    tell."""
    assert facts.device is not None and facts.driver is not None  # needs=("device", "driver")
    names = card_summary(facts)
    if names:
        counts: dict[str, int] = {}
        for n in names:
            counts[n] = counts.get(n, 0) + 1
        text = ", ".join(f"{c} x {n}" if c > 1 else n for n, c in counts.items())
        return ok(_("{n} card(s): {cards}", n=len(names), cards=text),
                  details="\n".join(facts.device.problems), evidence=facts.device.evidence[:4])
    looked = list(facts.device.looked_at) + (["cnmon"] if _cnmon_answered(facts) else [])
    unseen = _not_looked_at(facts)
    if not _card_absence_known(facts):  # unknown is never ok, and never a fail that drains a node
        return skip(_("unknown whether a Cambricon card is present: {why}", why=_("; ").join(unseen)),
                    details=_("Nothing could show a card or its absence. Looked at: {places}.",
                              places=", ".join(looked) or _("nothing")),
                    evidence=(Evidence("could not look at", "\n".join(unseen)),))
    empty = ([_("no PCI function with vendor 0xcabc")] if "PCI" in looked else []) + \
        ([_("no /proc/driver/cambricon/mlus entry")] if facts.device.proc_dir else []) + \
        ([_("no card in cnmon")] if "cnmon" in looked else [])
    details = _("Found: {what}.", what=_("; ").join(empty))
    return fail(
        _("no Cambricon device found; looked at {places}", places=", ".join(looked)),
        details=details + ("\n" + _("Not looked at: {what}.", what=_("; ").join(unseen)) if unseen else ""),
        remedy=_("Run on a host with an MLU card; in a container, also check that the host sees the card."),
        evidence=(Evidence("looked at", "\n".join(looked)),),
    )


def card_indices(facts: Facts, count: int) -> list[int]:
    """Device node numbers of the cards: from /proc `Device inode path` when given, else 0..count-1."""
    assert facts.device is not None
    found = sorted({int(m.group(2)) for c in facts.device.proc if c.inode_path
                    and (m := _DEV.match(c.inode_path))})
    return found if len(found) >= count else list(range(count))


def docker_flags(facts: Facts, count: int) -> str:
    """The --device flags a container needs for these cards."""
    idx = card_indices(facts, count)
    flags = [f"--device /dev/cambricon_dev{i}" for i in idx] + ["--device /dev/cambricon_ctl"]
    if needs_ipcm(card_families(facts)):
        flags += [f"--device /dev/cambricon_ipcm{i}" for i in idx]
    return " ".join(flags)


def _missing_nodes_finding(facts: Facts, count: int, missing: list[str]) -> Finding:
    assert facts.device is not None
    seen = ", ".join(f"{k} ({v})" for k, v in card_sources(facts).items())
    summary = _("{n} card(s) seen in {sources} but {missing} missing from /dev",
                n=count, sources=seen, missing=" and ".join(missing))
    nodes = ", ".join(facts.device.nodes) or _("none")
    if facts.device.in_container:
        return fail(
            summary,
            details=_("This is a container ({markers}); Cambricon device nodes present: {nodes}. A container "
                      "started without --device flags (or --privileged) cannot open the cards.",
                      markers=", ".join(facts.device.container_markers), nodes=nodes),
            remedy=_("Recreate the container with: docker run {flags} -v /usr/bin/cnmon:/usr/bin/cnmon ...",
                     flags=docker_flags(facts, count)),
            evidence=(Evidence("dir:/dev", nodes),),
        )
    return fail(
        summary,
        details=_("Cambricon device nodes present: {nodes}. The driver creates them when it loads.",
                  nodes=nodes),
        remedy=_("Load the driver (sudo modprobe cambricon_drv, or reinstall the driver package for this "
                 "kernel) and check that udev creates /dev/cambricon_* (ls -l /dev/cambricon_*)."),
        evidence=(Evidence("dir:/dev", nodes),),
    )


@check("device.nodes", "Device nodes for the cards exist in /dev", needs=("device", "driver"))
def device_nodes(facts: Facts, config: Config) -> Finding:
    """/dev/cambricon_ctl and /dev/cambricon_devN exist for the cards seen (ipcm nodes on MLU370+)."""
    assert facts.device is not None and facts.driver is not None  # needs=("device", "driver")
    count = card_count(facts)
    if count == 0:
        return skip(_("no Cambricon card seen; no device nodes to check"))
    if not facts.device.dev_listed:
        return skip(_("not checked: /dev could not be listed, so the device nodes are unknown"))
    nodes = set(facts.device.nodes)
    fams = card_families(facts)
    devs = sorted(n for n in nodes if _DEV.match(n))
    ctl = "/dev/cambricon_ctl" in nodes or ("MLU100" in fams and "/dev/cnmon_dev" in nodes)
    missing = ([] if ctl else ["/dev/cambricon_ctl"]) + ([] if devs else ["/dev/cambricon_devN"])
    if missing:
        return _missing_nodes_finding(facts, count, missing)
    return _partial_nodes(facts, count, devs, fams, nodes)


def _partial_nodes(facts: Facts, count: int, devs: list[str], fams: list[str], nodes: set[str]) -> Finding:
    assert facts.device is not None
    listing = Evidence("dir:/dev", "  ".join(sorted(nodes)))
    ipcm = [n for n in nodes if _IPCM.match(n)]
    container = facts.device.in_container
    if needs_ipcm(fams) and not ipcm and (count > 1 or not container):  # ipcm carries traffic between cards
        remedy = (_("Add to docker run: {flags}", flags=docker_flags(facts, count)) if container
                  else _("Reload the driver and check udev rules for /dev/cambricon_ipcm*."))
        return warn(_("{fams} card(s) but no /dev/cambricon_ipcmN node (needed for inter-process "
                      "communication)",
                      fams="/".join(fams)), remedy=remedy, evidence=(listing,))
    if len(devs) < count and not container:
        return warn(_("{n} card(s) but only {k} device node(s): {nodes}", n=count, k=len(devs),
                      nodes=", ".join(devs)),
                    remedy=_("Reload the driver and check udev rules for /dev/cambricon_dev*."),
                    evidence=(listing,))
    if len(devs) < count:
        return ok(_("{k} of {n} card(s) passed into this container: {nodes}", k=len(devs), n=count,
                    nodes=", ".join(devs)),
                  evidence=(listing,))
    return ok(_("/dev/cambricon_ctl and {k} device node(s) for {n} card(s)", k=len(devs), n=count),
              evidence=(listing,))


CHECKS = (device_present, device_nodes)
