"""Framework checks: which Cambricon PyTorch is installed, does it fit the cards and the driver?"""

from __future__ import annotations

import dataclasses

from mlu_doctor.checks import check
from mlu_doctor.checks.arch import arch_match
from mlu_doctor.checks.linkage import framework_libraries
from mlu_doctor.checks.pairing import framework_torch_pairing
from mlu_doctor.checks.requirements import framework_requirements
from mlu_doctor.config import Config
from mlu_doctor.facts.model import Facts, FrameworkFacts
from mlu_doctor.findings import Finding, Status, ok, skip, warn
from mlu_doctor.i18n import _


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
    assert facts.framework is not None  # needs=("framework",): the runner skips the check without it
    found = _framework_installed(facts.framework)
    error = facts.framework.python_error
    if not error:
        return found
    # the interpreter the code runs with could not be asked: say so first, whatever the scan found
    return dataclasses.replace(
        found, status=max(found.status, Status.WARN),
        summary=_("{error}; scanned site-packages instead: {found}", error=error, found=found.summary),
        remedy=_("Check that --python names a working Python 3.6+ interpreter: mlu-doctor runs it with a "
                 "short stdlib-only script that prints sys.path."))


def _framework_installed(fw: FrameworkFacts) -> Finding:
    details = "\n".join(fw.problems)
    ev = tuple(fw.evidence[:6])
    if not fw.python and not fw.site_dirs:
        return skip(_("no Python environment found (python3 on PATH, or site-packages under the root); use "
                      "--python PATH"),
                    details=details)
    cambricon = fw.torch_mlu_version or fw.catch_version or fw.has_core_mlu_model is not None
    if not fw.torch_version and not cambricon:
        return warn(_("no torch in {where}", where=_where(fw)), details=details, evidence=ev,
                    remedy=_("Install Cambricon's PyTorch (torch + torch_mlu wheels matching your driver), "
                             "use a Cambricon PyTorch image, or point --python at the interpreter your code "
                             "runs with."))
    if not cambricon:
        return warn(_("torch {version} without torch_mlu or catch: this PyTorch cannot use MLU cards",
                      version=fw.torch_version), details=details, evidence=ev,
                    remedy=_("Install the torch_mlu wheel built for this torch version, or use a Cambricon "
                             "PyTorch image."))
    label = fw.generation or _("generation unknown")
    return ok(_("{found}: {generation}", found=_found(fw), generation=label), details=details, evidence=ev)


@check("framework.arch-match", "The framework and workload fit the MLU cards",
       needs=("framework", "device", "driver", "project"))
def framework_arch_match(facts: Facts, config: Config) -> Finding:
    """CNML-era PyTorch or MLU270-targeted workloads on MLU220, CNNL-era torch_mlu on MLU2xx."""
    return arch_match(facts)


CHECKS = (framework_installed, framework_arch_match, framework_libraries, framework_requirements,
          framework_torch_pairing)
