"""framework.requirements: every version torch_mlu / catch declares it needs, against what this system has."""

from __future__ import annotations

import posixpath
import re
from typing import NamedTuple, Optional

from mlu_doctor.checks import check
from mlu_doctor.config import Config
from mlu_doctor.facts.model import Facts, FrameworkFacts, Requirement
from mlu_doctor.facts.versions import older, version_tuple
from mlu_doctor.findings import Evidence, Finding, fail, ok, skip
from mlu_doctor.i18n import _

LABELS = {"driver": "driver", "cntoolkit": "CNToolkit", "cnnl": "CNNL", "cnnl_extra": "CNNL_Extra",
          "cncl": "CNCL", "mluops": "MLU-OPS", "magicmind": "MagicMind", "cncv": "CNCV", "python": "Python"}
# the library whose loaded file names the version the loader will use
LIBRARY = {"cnnl": "libcnnl", "cnnl_extra": "libcnnl_extra", "cncl": "libcncl", "mluops": "libmluops",
           "magicmind": "libmagicmind", "cncv": "libcncv"}
PAIRED = ("torch", "torchvision", "torchaudio", "triton")  # judged by framework.torch-pairing
_FILE_VERSION = r"\.so\.(\d+(?:\.\d+){2,})$"  # compiled on use (re caches it): only for a loaded library
_CPYTHON = re.compile(r"\.cpython-3(\d+)")


class Installed(NamedTuple):
    version: str
    source: str


class Verdict(NamedTuple):
    req: Requirement
    have: Optional[Installed]
    met: Optional[bool]  # None = could not judge


def installed(facts: Facts, component: str) -> Optional[Installed]:
    """What the system has for `component`, and where that was read (the loaded library first)."""
    fw, tk, drv = facts.framework, facts.toolkit, facts.driver
    assert fw is not None
    if component == "driver":
        if drv is None or not drv.version:
            return None
        key = next((k for k, v in drv.versions.items() if v == drv.version), "?")
        return Installed(drv.version, drv.evidence[0].source if drv.evidence else key)
    if component == "python":
        return Installed(fw.python_version, fw.python or "site-packages path") if fw.python_version else None
    stem = LIBRARY.get(component)
    if stem and fw.linkage:
        for name, path in fw.linkage.resolved.items():
            m = re.search(_FILE_VERSION, posixpath.basename(path))
            if name.startswith(stem + ".so") and m:
                return Installed(m.group(1),
                                 _("{path} (what the loader resolves {lib} to)", path=path, lib=name))
    readings = (tk.components.get(component) if tk else None) or fw.installed.get(component)
    return Installed(readings[0].version, readings[0].source) if readings else None


def python_requirement(fw: FrameworkFacts) -> Optional[Requirement]:
    """The CPython the extension module was built for (`_MLUC.cpython-310-...so` -> 3.10)."""
    roots = fw.linkage.roots if fw.linkage else []
    m = next((m for m in (_CPYTHON.search(posixpath.basename(r)) for r in roots) if m), None)
    return Requirement("python", f"3.{m.group(1)}", f"elf:{roots[0]}") if m else None


def judge(req: Requirement, have: Optional[Installed], catch: bool) -> Verdict:
    if have is None:
        return Verdict(req, None, None)
    if req.component == "python":  # an extension module loads only in the CPython it was built for
        a, b = version_tuple(have.version), version_tuple(req.version)
        return Verdict(req, have, None if a is None or b is None else a[:2] == b[:2])
    need = req.version
    if catch and req.component == "driver":  # catch compares the driver's major.minor only (its version.cpp)
        need = ".".join(str(p) for p in (version_tuple(need) or ())[:2])
    too_old = older(have.version, need)
    return Verdict(req, have, None if too_old is None else not too_old)


def _line(v: Verdict, what: str) -> str:
    label = LABELS.get(v.req.component, v.req.component)
    if v.have is None:
        return _("{label}: {what} needs {need} ({source}); the installed version is unknown",
                 label=label, what=what, need=v.req.version, source=v.req.source)
    return _("{label}: {what} needs {need} ({source}); installed {have} ({where})", label=label, what=what,
             need=v.req.version, source=v.req.source, have=v.have.version, where=v.have.source)


def _remedy(unmet: list[Verdict], facts: Facts) -> str:
    fw = facts.framework
    framework = "catch" if fw is not None and fw.catch_version and not fw.torch_mlu_version else "torch_mlu"
    parts = []
    for v in unmet:
        label = LABELS.get(v.req.component, v.req.component)
        if v.req.component == "driver":
            from mlu_doctor.compat import driver_remedy

            parts.append(_("Upgrade the host driver to {need} or later (the driver lives on the host, not in "
                           "the container).", need=v.req.version)
                         + driver_remedy(v.have.version if v.have else None, framework))
        elif v.req.component == "python":
            parts.append(_("Run it with Python {need} (the torch_mlu wheel is built for that CPython only), "
                           "or install the torch_mlu wheel built for Python {have}.", need=v.req.version,
                           have=v.have.version if v.have else "?"))
        else:
            parts.append(_("Install {label} {need} or later (CNToolkit packages under $NEUWARE_HOME), or use "
                           "the torch_mlu release built for {label} {have}.", label=label, need=v.req.version,
                           have=v.have.version if v.have else "?"))
    return " ".join(dict.fromkeys(parts))


@check("framework.requirements", "The versions torch_mlu was built for are installed",
       needs=("framework", "toolkit", "driver"))
def framework_requirements(facts: Facts, config: Config) -> Finding:
    """build.property requirements (driver, CNToolkit, CNNL, CNCL, MLU-OPS, ...) against installed
    versions."""
    fw = facts.framework
    assert fw is not None  # needs=("framework", "toolkit", "driver")
    if not fw.torch_mlu_path:
        return skip(_("no torch_mlu package found: no requirements to compare"))
    reqs = [r for r in fw.requirements if r.component in LABELS]
    py = python_requirement(fw)
    reqs += [py] if py and all(r.component != "python" for r in reqs) else []
    what = f"torch_mlu {fw.torch_mlu_version}" if fw.torch_mlu_version else ("catch" if fw.catch_version
                                                                             else "torch_mlu")
    if not reqs:
        return skip(_("{what} declares no requirements here (no build.property next to {path})", what=what,
                      path=fw.torch_mlu_path))
    verdicts = [judge(r, installed(facts, r.component), bool(fw.catch_version)) for r in reqs]
    unmet = [v for v in verdicts if v.met is False]
    unknown = [v for v in verdicts if v.met is None]
    met = [v for v in verdicts if v.met]
    notes = [_line(v, what) for v in unknown]
    if unmet:
        labels = ", ".join(f"{LABELS.get(v.req.component)} {v.have.version if v.have else '?'} < "
                           f"{v.req.version}"
                           for v in unmet)
        details = "\n".join([_line(v, what) for v in unmet] + notes + [
            _("At import torch_mlu warns 'Cambricon NEUWARE minimum version requirements not met!' and MLU "
              "ops may fail.")])
        evidence = tuple(e for v in unmet for e in (Evidence(v.req.source,
                                                             f"{v.req.component} {v.req.version}"),
                                                   Evidence(v.have.source if v.have else "?",
                                                            v.have.version if v.have else "?")))
        return fail(_("{what} needs newer components: {labels}", what=what, labels=labels), details=details,
                    remedy=_remedy(unmet, facts), evidence=evidence[:8])
    if not met:
        return skip(_("{what} declares {n} requirement(s), but no installed version could be read: {names}",
                      what=what,
                      n=len(reqs), names=", ".join(LABELS.get(r.component, r.component) for r in reqs)),
                    details="\n".join(notes))
    shown = ", ".join(f"{LABELS.get(v.req.component)} {v.have.version} >= {v.req.version}" for v in met
                      if v.have)
    extra = [r.component for r in fw.requirements if r.component not in LABELS and r.component not in PAIRED]
    if extra:
        notes.append(_("not judged (no installed version source): {names}", names=", ".join(extra)))
    if unknown:
        shown += "; " + _("unknown: {names}",
                          names=", ".join(LABELS.get(v.req.component, "?") for v in unknown))
    return ok(_("{what} has the versions it was built for: {shown}", what=what, shown=shown),
              details="\n".join(notes),
              evidence=tuple(Evidence(v.req.source, f"{v.req.component} {v.req.version}") for v in met[:2]))


CHECKS = (framework_requirements,)
