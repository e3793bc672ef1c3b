"""framework.arch-match: does the Cambricon PyTorch generation (and the workload's target) fit the cards?

Verified facts (cambricon.md section 3) give fail verdicts; signs that are only inferred (the NEEDED
entries of _MLUC*.so, CNML-era PyTorch on MLU3xx) give at most a warning that says so; missing
evidence gives skip ("unknown"), never a verdict.
"""

from __future__ import annotations

from mlu_doctor.checks.cards import Card, cards_of
from mlu_doctor.facts.families import generation
from mlu_doctor.facts.model import Facts, FrameworkFacts, WorkloadEvidence
from mlu_doctor.facts.versions import version_tuple
from mlu_doctor.findings import Evidence, Finding, fail, ok, skip, warn
from mlu_doctor.i18n import _, join_sentences


def _offline_remedy() -> str:
    return _("On an MLU270 host (online mode), regenerate the offline model for MLU220: "
             "genoff.py -mcore MLU220 -core_number 4 (or ct.set_core_version('MLU220'); "
             "ct.set_core_number(4); "
             "ct.save_as_cambricon(...)), copy the .cambricon file here and run it through CNRT.")


def _short(version: str | None) -> str:
    return (version or "?").split("+")[0]


def _verified(fw: FrameworkFacts) -> bool:
    """Whether the era rests on versions (verified table) rather than only on ELF NEEDED entries."""
    torch = version_tuple(fw.torch_version)
    if fw.era == "cnml":
        return bool(fw.has_core_mlu_model) and torch is not None and torch[:2] == (1, 3)
    return torch is not None and torch[:2] >= (1, 6) and bool(fw.torch_mlu_version or fw.catch_version)


def _fw_evidence(fw: FrameworkFacts) -> tuple[Evidence, ...]:
    keep = ("version.py", "mlu_model.py", "METADATA", "PKG-INFO", "build.property")
    return tuple(e for e in fw.evidence if e.source.startswith("elf:") or e.source.endswith(keep))[:5]


def _work_evidence(items: list[WorkloadEvidence]) -> tuple[Evidence, ...]:
    return tuple(Evidence(f"file:{w.source}", w.excerpt) for w in items[:5])


def _cnml_on_220(fw: FrameworkFacts, card: Card) -> Finding:
    summary = _("torch {version} (CNML era, kernels for MLU270) on an {card} card. MLU220 runs offline "
                ".cambricon "
                "models through CNRT: regenerate with genoff.py -mcore MLU220 -core_number 4 on an MLU270 "
                "host.",
                version=_short(fw.torch_version), card=card.label)
    details = _("CNML-era Cambricon PyTorch runs online only on MLU270; MLU220 is an offline-model target. "
                "Running it here makes CNRT warn that the device is not the platform in the kernel, then "
                "cnmlError / CNML_STATUS_INVALIDPARAM.")
    ev = _fw_evidence(fw) + (card.evidence,)
    if not _verified(fw):
        return warn(summary, details=join_sentences(details, _("(inferred from torch_mlu/_MLUC*.so linking "
                                                               "libcnml)")),
                    evidence=ev, remedy=_offline_remedy())
    return fail(summary, details=details, evidence=ev, remedy=_offline_remedy())


def _workload_on_220(t270: list[WorkloadEvidence], t220: list[WorkloadEvidence], card: Card) -> Finding:
    first = t270[0]
    summary = _("the workload targets MLU270 ({source}) on an {card} card. MLU220 runs offline .cambricon "
                "models "
                "through CNRT: regenerate with genoff.py -mcore MLU220 -core_number 4 on an MLU270 host.",
                source=first.source, card=card.label)
    ev = _work_evidence(t270) + (card.evidence,)
    if t220:
        return warn(_("the workload targets both MLU270 and MLU220; this host has an {card} card",
                      card=card.label),
                    details=_("Make sure what runs here is the MLU220 offline model ({source}).",
                              source=t220[0].source),
                    evidence=ev + _work_evidence(t220), remedy=_offline_remedy())
    return fail(summary, evidence=ev, remedy=_offline_remedy())


def _cnnl_on_old(fw: FrameworkFacts, card: Card) -> Finding:
    summary = _("{generation} on an {card} card: CNNL-era releases target MLU370 and later",
                generation=fw.generation or _("CNNL era"), card=card.label)
    remedy = _("On MLU2xx cards use the CNML-era Cambricon PyTorch (image pytorch:0.15.602-ubuntu18.04, "
               "torch 1.3 with torch_mlu.core) or run this torch_mlu on an MLU370 / MLU5xx card.")
    ev = _fw_evidence(fw) + (card.evidence,)
    if not _verified(fw):
        return warn(summary,
                    details=_("Inferred from torch_mlu/_MLUC*.so linking libcnnl; versions unknown."),
                    evidence=ev, remedy=remedy)
    return fail(summary, details=_("torch_mlu / catch releases list the MLU370 series and later as targets."),
                evidence=ev, remedy=remedy)


def arch_match(facts: Facts) -> Finding:
    """The verdict; see the module docstring for what fails, warns and skips."""
    fw, cards = facts.framework, cards_of(facts)
    assert fw is not None  # needs=("framework", ...) of framework.arch
    work = [w for w in (facts.project.workload if facts.project else []) if w.target]
    if not cards:
        return skip(_("unknown: no MLU card identified (PCI, /proc/driver/cambricon, cnmon)"))
    mlu220 = [c for c in cards if c.family == "MLU220"]
    old = [c for c in cards if generation(c.family) in (1, 2)]
    new = [c for c in cards if (generation(c.family) or 0) >= 3]
    t270 = [w for w in work if w.target == "MLU270"]
    t220 = [w for w in work if w.target == "MLU220"]
    if fw.era == "cnml" and mlu220:
        return _cnml_on_220(fw, mlu220[0])
    if t270 and mlu220:
        return _workload_on_220(t270, t220, mlu220[0])
    if fw.era == "cnnl" and old:
        return _cnnl_on_old(fw, old[0])
    if fw.era == "cnml" and new:
        return warn(_("CNML-era PyTorch (torch {version}) on an {card} card: it was built for MLU270 / "
                      "MLU220 (inferred)",
                      version=_short(fw.torch_version), card=new[0].label),
                    evidence=_fw_evidence(fw) + (new[0].evidence,),
                    remedy=_("Use a torch_mlu (CNNL era) release built for {card}.", card=new[0].label))
    labels = ", ".join(sorted({c.label for c in cards}))
    targets = sorted({w.target for w in work if w.target})
    if fw.era is None and (not targets or not set(targets) <= {c.family for c in cards}):
        return skip(_("unknown: the Cambricon PyTorch generation is not known and the project shows no "
                      "target platform matching the cards; cards: {cards}", cards=labels))
    what = fw.generation or _("workload targets {targets}", targets=", ".join(targets))
    return ok(_("{what} fits {cards}", what=what, cards=labels),
              evidence=_fw_evidence(fw)[:2] + _work_evidence(work)[:2])
