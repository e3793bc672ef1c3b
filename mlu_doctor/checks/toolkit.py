"""Toolkit checks: is Neuware / CNToolkit there, reachable by the loader, and of the cards' era?"""

from __future__ import annotations

from typing import Optional

from mlu_doctor.checks import check
from mlu_doctor.checks.device import card_families
from mlu_doctor.config import Config
from mlu_doctor.facts.families import generation
from mlu_doctor.facts.model import Facts, ToolkitFacts
from mlu_doctor.findings import Finding, ok, warn
from mlu_doctor.i18n import _, join_sentences

ERA_LIBS = {"cnml": "libcnml", "cnnl": "libcnnl without libcnml"}


def describe(tk: ToolkitFacts) -> str:
    """`Neuware 3.9.0 at /usr/local/neuware (CNNL era; cnrt 6.7.0, cnnl 1.21.1)`."""
    version = tk.version or _("version unknown")
    where = tk.neuware_home or _("dpkg package only")
    libs = ", ".join(f"{k} {v}" if v else k for k, v in sorted(tk.libs.items()))
    era = _("{era} era", era=tk.era.upper()) if tk.era else _("era unknown")
    return _("Neuware {version} at {where} ({era}; {libs})", version=version, where=where, era=era,
             libs=libs or _("no libraries found in lib64"))


def era_mismatch(era: Optional[str], families: list[str]) -> Optional[str]:
    """A warning text when the toolkit era does not fit the cards (inferred from library names)."""
    gens = {f: generation(f) for f in families}
    if era == "cnnl" and (old := [f for f, g in gens.items() if g is not None and g <= 2]):
        return _("a CNNL-era toolkit ({libs}) with {cards}: CNNL-era releases target MLU370 and later "
                 "(inferred from the library names)", libs=ERA_LIBS["cnnl"], cards="/".join(old))
    if era == "cnml" and (new := [f for f, g in gens.items() if g is not None and g >= 3]):
        return _("a CNML-era toolkit ({libs}) with {cards}: CNML runs on MLU100/220/270/290 only "
                 "(inferred from the library names)", libs=ERA_LIBS["cnml"], cards="/".join(new))
    return None


def _not_found(tk: ToolkitFacts, container: bool) -> Finding:
    if container:  # the advice is about the image, not the host
        details = _("Code in this container cannot load the Cambricon libraries (libcnrt, libcnnl) from it.")
        remedy = _("Run an image that ships CNToolkit (Cambricon PyTorch images have it at "
                   "/torch/neuware_home), or recreate the container with the host's toolkit mounted "
                   "read-only (-v /usr/local/neuware:/usr/local/neuware:ro) and NEUWARE_HOME set to it.")
    else:
        details = _("Cambricon framework images ship their own toolkit (/torch/neuware_home); that is fine "
                    "if your code runs in such a container.")
        remedy = _("Install CNToolkit on the host, or set NEUWARE_HOME to where it is installed.")
    if tk.neuware_home_env:
        details = join_sentences(details, _("NEUWARE_HOME={path} names no directory.",
                                            path=tk.neuware_home_env))
    return warn(_("no Neuware toolkit found; looked at {places}", places=", ".join(tk.looked_at)),
                details=details, remedy=remedy)


@check("toolkit.neuware", "The Neuware toolkit is installed and on the loader path",
       needs=("toolkit", "device"))
def toolkit_neuware(facts: Facts, config: Config) -> Finding:
    """Where Neuware is, its version and era; lib64 on LD_LIBRARY_PATH; era against the cards."""
    tk = facts.toolkit
    assert tk is not None  # needs=("toolkit", "device"): the runner skips the check without them
    if not tk.neuware_home and not tk.version:
        return _not_found(tk, facts.target.startswith("container:"))
    found = describe(tk)
    evidence = tuple(tk.evidence[:3])
    notes, bad_env = [], None
    if tk.neuware_home_env and tk.source != "NEUWARE_HOME":
        bad_env = _("NEUWARE_HOME={path} names no directory; using {found}", path=tk.neuware_home_env,
                    found=tk.neuware_home or "dpkg")
        notes.append(bad_env)
    if tk.neuware_home and tk.bin_on_path is False:
        notes.append(_("{path}/bin is not on PATH", path=tk.neuware_home))
    mismatch = era_mismatch(tk.era, card_families(facts))
    if tk.neuware_home and tk.lib64_on_ld_path is False and not tk.lib64_in_ld_conf:
        lib64 = tk.neuware_home.rstrip("/") + "/lib64"
        return warn(_("{lib64} is not on LD_LIBRARY_PATH nor in /etc/ld.so.conf.d: programs will not find "
                      "libcnrt",
                      lib64=lib64),
                    details="\n".join([found, *notes, *([mismatch] if mismatch else [])]),
                    remedy=_("export LD_LIBRARY_PATH={lib64}:$LD_LIBRARY_PATH (or add it to "
                             "/etc/ld.so.conf.d and run ldconfig)", lib64=lib64),
                    recipe="toolkit.ld-path", evidence=evidence)
    if mismatch:
        return warn(mismatch, details="\n".join([found, *notes]),
                    remedy=_("Use the toolkit generation that matches the card (CNML era for MLU2xx, "
                             "CNNL era for MLU370 and later)."),
                    evidence=evidence)
    if bad_env:
        return warn(bad_env, details="\n".join([found, *notes]),
                    remedy=_("Point NEUWARE_HOME at the toolkit directory, or unset it."), evidence=evidence)
    return ok(found, details="\n".join(notes), evidence=evidence)


CHECKS = (toolkit_neuware,)
