"""Framework checks: which Cambricon PyTorch is installed, does it fit the cards and the driver?"""

from __future__ import annotations

import dataclasses

from mlu_doctor.checks import check
from mlu_doctor.checks.arch import arch_match
from mlu_doctor.config import Config
from mlu_doctor.facts.model import Facts, FrameworkFacts
from mlu_doctor.facts.versions import major_minor, older
from mlu_doctor.i18n import _
from mlu_doctor.models import Evidence, Finding, Status, fail, ok, skip, warn

# torch_mlu major.minor -> minimum driver, for wheels without build.property (cambricon.md, section 3).
DRIVER_TABLE = {"1.17": "5.10.22", "1.22": "6.2.0"}


def _where(fw: FrameworkFacts) -> str:
    return fw.python or (fw.site_dirs[0] if fw.site_dirs else _("no Python environment"))


def _found(fw: FrameworkFacts) -> str:
    parts = [f"torch {fw.torch_version}"] if fw.torch_version else []
    parts += [f"torch_mlu {fw.torch_mlu_version}"] if fw.torch_mlu_version else []
    parts += [f"catch {fw.catch_version}"] if fw.catch_version else []
    if fw.has_core_mlu_model:
        parts.append("torch_mlu.core")
    return ", ".join(parts)


@check("framework.installed", "Cambricon PyTorch is installed", needs=("framework",))
def framework_installed(facts: Facts, config: Config) -> Finding:
    """torch with a Cambricon extension (torch_mlu / catch) in the user's Python environment."""
    found = _framework_installed(facts.framework)
    error = facts.framework.python_error
    if not error:
        return found
    # the interpreter the code runs with could not be asked: say so first, whatever the scan found
    return dataclasses.replace(
        found, status=max(found.status, Status.WARN),
        summary=_("{error}; scanned site-packages instead: {found}", error=error, found=found.summary),
        remedy=_("Check that --python names a working Python 3.6+ interpreter: mlu-doctor runs it with a short "
                 "stdlib-only script that prints sys.path."))


def _framework_installed(fw: FrameworkFacts) -> Finding:
    details = "\n".join(fw.problems)
    ev = tuple(fw.evidence[:6])
    if not fw.python and not fw.site_dirs:
        return skip(_("no Python environment found (python3 on PATH, or site-packages under the root); use --python PATH"),
                    details=details)
    cambricon = fw.torch_mlu_version or fw.catch_version or fw.has_core_mlu_model is not None
    if not fw.torch_version and not cambricon:
        return warn(_("no torch in {where}", where=_where(fw)), details=details, evidence=ev,
                    remedy=_("Install Cambricon's PyTorch (torch + torch_mlu wheels matching your driver), "
                             "use a Cambricon PyTorch image, or point --python at the interpreter your code runs with."))
    if not cambricon:
        return warn(_("torch {version} without torch_mlu or catch: this PyTorch cannot use MLU cards",
                      version=fw.torch_version), details=details, evidence=ev,
                    remedy=_("Install the torch_mlu wheel built for this torch version, or use a Cambricon PyTorch image."))
    label = fw.generation or _("generation unknown")
    return ok(_("{found}: {generation}", found=_found(fw), generation=label), details=details, evidence=ev)


@check("framework.arch-match", "The framework and workload fit the MLU cards", needs=("framework", "device", "driver", "project"))
def framework_arch_match(facts: Facts, config: Config) -> Finding:
    """CNML-era PyTorch or MLU270-targeted workloads on MLU220, CNNL-era torch_mlu on MLU2xx."""
    return arch_match(facts)


def _requirement(fw: FrameworkFacts) -> tuple[str | None, str]:
    if fw.driver_requires:
        return fw.driver_requires, "build.property"
    table = DRIVER_TABLE.get(major_minor(fw.torch_mlu_version) or "")
    return table, _("mlu-doctor's table of known releases")


@check("framework.driver-requirement", "The driver is new enough for torch_mlu", needs=("framework", "driver"))
def framework_driver_requirement(facts: Facts, config: Config) -> Finding:
    """build.property `driver_requires` (or the known table) against the driver version."""
    fw, drv = facts.framework, facts.driver
    need, source = _requirement(fw)
    name = f"torch_mlu {fw.torch_mlu_version}" if fw.torch_mlu_version else (fw.generation or "torch_mlu")
    if not need:
        return skip(_("no driver requirement known for {what}", what=_found(fw) or _("this environment")))
    have = drv.version
    ev = tuple(e for e in fw.evidence if e.source.endswith("build.property"))[:1] + tuple(drv.evidence[:2])
    if not have:
        return skip(_("{name} needs driver >= {need} ({source}); the driver version is unknown",
                      name=name, need=need, source=source), evidence=ev)
    too_old = older(have, need)
    if too_old is None:
        return skip(_("cannot compare driver {have} with the requirement {need}", have=have, need=need), evidence=ev)
    if too_old:
        return fail(
            _("{name} needs driver >= {need} ({source}); the driver is {have}", name=name, need=need, source=source, have=have),
            details=_("At import torch_mlu warns 'Cambricon NEUWARE minimum version requirements not met!' and MLU ops fail."),
            evidence=ev + (Evidence(_("driver version"), have),),
            remedy=_("Upgrade the host driver to {need} or later (the driver lives on the host, not in the container), "
                     "or install a torch_mlu release whose build.property driver_requires is <= {have}.", need=need, have=have),
        )
    return ok(_("driver {have} meets {name}'s requirement >= {need} ({source})", have=have, name=name, need=need, source=source),
              evidence=ev)


CHECKS = (framework_installed, framework_arch_match, framework_driver_requirement)
