"""Driver checks: is the kernel driver loaded, and is its version sound for these cards?"""

from __future__ import annotations

from typing import Optional

from mlu_doctor.checks import check
from mlu_doctor.checks.device import card_families, pci_cards
from mlu_doctor.config import Config
from mlu_doctor.facts.cnversions import compare, release_text, version_tuple
from mlu_doctor.facts.families import generation
from mlu_doctor.facts.model import Facts
from mlu_doctor.findings import Evidence, Finding, fail, ok, skip, warn
from mlu_doctor.i18n import _

# Known driver minimums by card generation (cambricon.md: Kubernetes device plugin requirements).
MINIMUMS = {3: "4.20.9", 5: "5.0.0"}
SOURCE_NAMES = {"proc": "/proc/driver/cambricon", "cnmon": "cnmon",
                "module": "/sys/module/cambricon_drv/version"}


def required_minimum(families: list[str]) -> Optional[tuple[str, str]]:
    """(minimum driver, family it is for): the strictest known minimum among the cards; None if none known."""
    known = [(MINIMUMS[g], f) for f in families if (g := generation(f)) in MINIMUMS]
    return max(known, key=lambda item: version_tuple(item[0]) or (), default=None)


def _evidence(facts: Facts) -> tuple[Evidence, ...]:
    assert facts.device is not None and facts.driver is not None  # needs=("device", "driver")
    return tuple(facts.driver.evidence[:3])


def _no_driver(facts: Facts) -> Finding:
    assert facts.driver is not None and facts.device is not None and facts.driver.cnmon is not None
    cn = facts.driver.cnmon
    container = facts.device.in_container
    no_ctl = "/dev/cambricon_ctl" not in facts.device.nodes
    if container and no_ctl:
        why = _("this container has no /dev/cambricon_ctl: it was started without the --device flags")
        remedy = _("Recreate the container with the --device flags shown by device.nodes, or check the host "
                   "driver.")
    elif facts.driver.module_loaded is False:
        why = _("kernel module cambricon_drv is not loaded ({source})", source=facts.driver.module_source)
        remedy = _("Load the driver (sudo modprobe cambricon_drv) or reinstall the driver package for this "
                   "kernel; then run cnmon again.")
    elif no_ctl:
        why = (_("cambricon_drv is loaded but /dev/cambricon_ctl is missing") if facts.driver.module_loaded
               else _("/dev/cambricon_ctl is missing"))
        remedy = _("Reload the driver (sudo modprobe -r cambricon_drv && sudo modprobe cambricon_drv) and "
                   "check that udev creates /dev/cambricon_*.")
    else:
        why = _("the driver does not answer although /dev/cambricon_ctl exists")
        remedy = _("Load the driver (sudo modprobe cambricon_drv) or reinstall the driver package for this "
                   "kernel; then run cnmon again.")
    return fail(_("cnmon reports CNDEV_ERROR_NO_DRIVER: {why}", why=why), remedy=remedy,
                details=_("cnmon prints this and exits 0, so it is judged by its text."),
                evidence=(Evidence(f"command:{cn.command or 'cnmon'}", cn.excerpt),))


@check("driver.loaded", "The Cambricon kernel driver is loaded", needs=("device", "driver"))
def driver_loaded(facts: Facts, config: Config) -> Finding:
    """Kernel module, /proc/driver/cambricon and cnmon agree that the driver is up."""
    assert facts.device is not None and facts.driver is not None  # needs=("device", "driver")
    drv, dev = facts.driver, facts.device
    cn = drv.cnmon
    pci = len(pci_cards(dev))
    if cn and cn.status == "no-driver":
        return _no_driver(facts)
    if drv.module_loaded is False and (pci or dev.proc):
        return fail(_("kernel module cambricon_drv is not loaded ({source}) although {n} card(s) are visible",
                      source=drv.module_source, n=max(pci, len(dev.proc))),
                    remedy=_("sudo modprobe cambricon_drv (or install the Cambricon driver package for this "
                             "kernel)."),
                    evidence=_evidence(facts))
    if dev.proc_dir is False and pci:
        return fail(_("/proc/driver/cambricon is missing although PCI shows {n} card(s): the driver did not "
                      "bind to them",
                      n=pci),
                    remedy=_("Check dmesg for cambricon errors; reload the driver (sudo modprobe -r "
                             "cambricon_drv && "
                             "sudo modprobe cambricon_drv) or reinstall it for this kernel."),
                    evidence=tuple(dev.evidence[:2]))
    return _loaded_or_unknown(facts)


def _loaded_or_unknown(facts: Facts) -> Finding:
    """No failure found: ok with what shows the driver up, warn when cnmon hung although the kernel shows the
    driver, skip when nothing tells (a hung cnmon alone is never ok)."""
    assert facts.device is not None and facts.driver is not None  # needs=("device", "driver")
    drv, cn = facts.driver, facts.driver.cnmon
    seen = []
    if drv.module_loaded:
        seen.append(_("module cambricon_drv loaded ({source})", source=drv.module_source))
    if facts.device.proc:
        seen.append(_("/proc lists {n} card(s)", n=len(facts.device.proc)))
    if cn and cn.status == "ok":
        seen.append(_("cnmon sees {n} card(s)", n=len(cn.cards)))
    hung = cn is not None and cn.status == "timeout"
    error = facts.errors.get("driver") or _("cnmon timed out")
    if seen and hung:
        return warn(_("driver loaded ({what}) but {error}: the driver may be wedged", what="; ".join(seen),
                      error=error),
                    remedy=_("Check dmesg for cambricon errors; if cnmon keeps hanging, reload the driver or "
                             "reboot."),
                    evidence=_evidence(facts))
    if seen:
        return ok(_("driver loaded: {what}", what="; ".join(seen)), evidence=_evidence(facts))
    if hung:
        return skip(_("unknown whether the driver is loaded: cnmon hung ({error}) and nothing else shows the "
                      "driver ({places})", error=error, places=_silent_places(facts)),
                    remedy=_("Check dmesg for cambricon errors; if cnmon keeps hanging, reload the driver or "
                             "reboot."),
                    evidence=_evidence(facts))
    if drv.module_loaded is False:
        return skip(_("no Cambricon card seen and cambricon_drv not loaded: nothing to check"))
    return skip(_("unknown whether the driver is loaded: no /proc/modules, no /proc/driver/cambricon, cnmon "
                  "{status}",
                  status=cn.status if cn else "missing"))


def _silent_places(facts: Facts) -> str:
    """The kernel's own signs of the driver that told nothing, for a summary."""
    assert facts.device is not None and facts.driver is not None  # needs=("device", "driver")
    drv, dev = facts.driver, facts.device
    module = (_("cambricon_drv not loaded ({source})", source=drv.module_source) if drv.module_loaded is False
              else _("no /proc/modules"))
    proc = _("no /proc/driver/cambricon") if not dev.proc_dir else _("no card in /proc/driver/cambricon")
    return _("; ").join((module, proc))


def _versions_text(versions: dict[str, str]) -> str:
    return ", ".join(f"{v} ({SOURCE_NAMES.get(k, k)})" for k, v in versions.items())


@check("driver.version", "The driver version is known, consistent and new enough", needs=("device", "driver"))
def driver_version(facts: Facts, config: Config) -> Finding:
    """Report the driver version; fail below a known minimum for the cards; warn when sources disagree."""
    assert facts.device is not None and facts.driver is not None  # needs=("device", "driver")
    versions = facts.driver.versions
    if not versions:
        return skip(_("driver version unknown: none in /proc/driver/cambricon, cnmon or "
                      "/sys/module/cambricon_drv"))
    version = facts.driver.version
    need = required_minimum(card_families(facts))
    if need and compare(version, need[0]) == -1:
        return fail(_("driver {version} is older than {minimum}, the minimum for {family} cards",
                      version=version, minimum=need[0], family=need[1]),
                    details=_("Versions seen: {versions}.", versions=_versions_text(versions)),
                    remedy=_("Install Cambricon driver {minimum} or newer (then reboot or reload "
                             "cambricon_drv).",
                             minimum=need[0]),
                    evidence=_evidence(facts))
    if len({release_text(v) or v for v in versions.values()}) > 1:
        return warn(_("driver versions disagree: {versions}", versions=_versions_text(versions)),
                    details=_("The running module, /proc and cnmon should report one version. A driver "
                              "upgraded "
                              "without a reboot keeps the old module running; a bind-mounted cnmon may come "
                              "from another driver package."),
                    remedy=_("Reboot or reload cambricon_drv after a driver upgrade; use the cnmon of the "
                             "installed driver."),
                    evidence=_evidence(facts))
    if need:
        note = _("minimum for {family} is {minimum}", family=need[1], minimum=need[0])
    else:
        note = _("no known minimum for {cards}", cards="/".join(card_families(facts)) or _("unknown cards"))
    return ok(_("driver {version} (from {sources}); {note}", version=version,
                sources=", ".join(SOURCE_NAMES.get(k, k) for k in versions), note=note),
              evidence=_evidence(facts))


CHECKS = (driver_loaded, driver_version)
