"""framework.libraries: would the dynamic loader find every library torch_mlu's extension modules need?"""

from __future__ import annotations

import posixpath
from typing import Optional

from mlu_doctor.checks import check
from mlu_doctor.config import Config
from mlu_doctor.facts.model import Facts, FrameworkFacts, LinkageFacts, MissingLibrary
from mlu_doctor.findings import Evidence, Finding, fail, ok, skip
from mlu_doctor.i18n import _, join_sentences

# toolkit component (as facts.linkage names it) -> build.property key of its requirement
REQUIREMENT_KEYS = {"CNNL": "cnnl", "CNNL_Extra": "cnnl_extra", "MLU-OPS": "mluops", "CNCL": "cncl",
                    "MagicMind": "magicmind", "CNToolkit": "cntoolkit", "CNCV": "cncv"}
SHOWN = 8


def _short(path: str) -> str:
    return posixpath.basename(path)


def _unversioned(lib: str) -> bool:
    """`libcnml.so` (linked by its bare name): its versioned files are the same library, not another major."""
    from mlu_doctor.facts.sonames import soname_stem  # loaded already when a library is missing

    return soname_stem(lib)[1] is None


def _required(fw: FrameworkFacts, component: Optional[str]) -> Optional[str]:
    key = REQUIREMENT_KEYS.get(component or "")
    return next((r.version for r in fw.requirements if r.component == key), None)


def _details(miss: MissingLibrary) -> str:
    lines = [_("{lib} is needed by {module}; the loader looked in:", lib=miss.name, module=miss.needed_by)]
    lines += [f"  {s}" for s in miss.searched[:SHOWN + 4]]
    if len(miss.searched) > SHOWN + 4:
        lines.append(_("  ... and {n} more", n=len(miss.searched) - SHOWN - 4))
    for path in miss.other_versions:
        lines.append(_("another version is installed: {path}", path=path) if _unversioned(miss.name) else
                     _("another major version is installed: {path}", path=path))
    for path in miss.elsewhere:
        lines.append(_("the library exists at {path}, a directory the loader does not search", path=path))
    for why in miss.rejected[:4]:
        lines.append(_("skipped by the loader: {why}", why=why))
    return "\n".join(lines)


def _remedy(miss: MissingLibrary, lk: LinkageFacts, fw: FrameworkFacts) -> tuple[str, Optional[str]]:
    """(remedy text, recipe id) for one missing library."""
    if miss.elsewhere:
        where = posixpath.dirname(miss.elsewhere[0])
        if lk.cache and where in lk.conf_dirs:
            return _("{dir} is listed in /etc/ld.so.conf(.d) but ld.so.cache does not have {lib}: run "
                     "ldconfig (as root) to rebuild the cache.", dir=where, lib=miss.name), None
        recipe = "toolkit.ld-path" if where in lk.toolkit_dirs else None
        return _("Add {dir} to the loader path of the environment that runs your code: "
                 "export LD_LIBRARY_PATH={dir}:$LD_LIBRARY_PATH (or list it in /etc/ld.so.conf.d/ and run "
                 "ldconfig).", dir=where), recipe
    component, need = miss.component, _required(fw, miss.component)
    if component == "torch":
        return _("{lib} belongs to torch, which `import torch` loads first; torch at {path} has no such "
                 "library (a stub or broken install): reinstall the torch that torch_mlu was built for (see "
                 "framework.torch-pairing).", lib=miss.name, path=fw.torch_path or "?"), None
    if component == "torch_mlu":
        return _("The torch_mlu package is incomplete ({lib} is part of the wheel): reinstall the torch_mlu "
                 "wheel built for torch {torch}.", lib=miss.name, torch=fw.torch_version or "?"), None
    if miss.other_versions and _unversioned(miss.name):
        text = _("{other} is installed but not the {lib} link this torch_mlu was linked against: reinstall "
                 "{component} (its package ships the link), or use a Cambricon PyTorch image that has it.",
                 other=_short(miss.other_versions[0]), lib=miss.name, component=miss.component or miss.name)
        return text, None
    if miss.other_versions:
        other = _short(miss.other_versions[0])
        return _("This torch_mlu was built against {lib}, but only {other} is installed (another major "
                 "version of "
                 "{component}): install {component} {need}, or the torch_mlu release built for the installed "
                 "{component}.", lib=miss.name, other=other, component=component or miss.name,
                 need=need or _("of the version torch_mlu was built for")), None
    if component:
        return _("Install {component} {need} (part of the Cambricon toolkit, under $NEUWARE_HOME/lib64), or "
                 "use a Cambricon PyTorch image that ships it.", component=component,
                 need=need or _("of the version torch_mlu was built for")), None
    return _("Install the package that provides {lib}, or add its directory to LD_LIBRARY_PATH.",
             lib=miss.name), None


def _missing(lk: LinkageFacts, fw: FrameworkFacts) -> Finding:
    first = lk.missing[0]
    more = [m.name for m in lk.missing[1:]]
    lib, module = first.name, _short(first.needed_by)
    if first.elsewhere:  # the likeliest fix first: the exact file exists, off the loader's path
        what = _("{lib} not found (needed by {module}): it is in {dir}, which the loader does not search",
                 lib=lib, module=module, dir=posixpath.dirname(first.elsewhere[0]))
    elif first.other_versions and _unversioned(lib):
        what = _("{lib} not found (needed by {module}): only {other} is installed, without the {lib} link",
                 lib=lib, module=module, other=_short(first.other_versions[0]))
    elif first.other_versions:
        what = _("{lib} not found (needed by {module}); only another major version is installed: {other}",
                 lib=lib, module=module, other=_short(first.other_versions[0]))
    else:
        what = _("{lib} not found (needed by {module})", lib=lib, module=module)
    if more:
        what = join_sentences(what, _("({n} more missing: {names})", n=len(more), names=", ".join(more[:4])))
    remedy, recipe = _remedy(first, lk, fw)
    details = "\n\n".join(_details(m) for m in lk.missing[:4])
    details += "\n" + _("`import torch_mlu` fails with: ImportError: {lib}: cannot open shared object file",
                        lib=first.name)
    evidence = tuple(Evidence(f"elf:{m.needed_by}", f"NEEDED {m.name}") for m in lk.missing[:3])
    if lk.ld_library_path is not None:
        evidence += (Evidence("env:LD_LIBRARY_PATH", lk.ld_library_path),)
    return fail(what, details=details, remedy=remedy, recipe=recipe, evidence=evidence)


@check("framework.libraries", "torch_mlu's libraries resolve as the dynamic loader would find them",
       needs=("framework",))
def framework_libraries(facts: Facts, config: Config) -> Finding:
    """Static ld.so resolution of torch_mlu's extension modules: RPATH/RUNPATH, LD_LIBRARY_PATH,
    ld.so.cache."""
    fw = facts.framework
    assert fw is not None  # needs=("framework",)
    if not fw.torch_mlu_path:
        return skip(_("no torch_mlu package found: there are no extension modules to resolve"))
    lk = fw.linkage
    if lk is None:
        return fail(_("torch_mlu at {path} has no extension module (_MLUC*.so): `import torch_mlu` cannot "
                      "load it",
                      path=fw.torch_mlu_path),
                    remedy=_("Reinstall the torch_mlu wheel (a package directory without its compiled "
                             "modules is a copy or a partial install)."),
                    evidence=(Evidence(f"dir:{fw.torch_mlu_path}", _("no _MLUC*.so")),))
    if lk.missing:
        return _missing(lk, fw)
    problems = "\n".join(lk.problems)
    if not lk.objects:
        return skip(_("could not read torch_mlu's extension modules: {problems}", problems=problems or "?"))
    if lk.truncated:
        why = lk.problems[-1] if lk.problems else _("the bound of {n} libraries", n=lk.objects)
        return skip(_("resolution stopped early ({why}); nothing missing so far, the rest not judged",
                      why=why),
                    details=problems)
    cambricon = sorted((k, v) for k, v in lk.resolved.items() if k.startswith(("libcn", "libmluops",
                                                                               "libtorch_mlu",
                                                                                "libmagicmind")))
    shown = ", ".join(f"{k} -> {v}" for k, v in cambricon[:SHOWN])
    ev = tuple(Evidence(f"elf:{r}", _("resolved as ld.so would")) for r in lk.roots[:2])
    if lk.cache:
        ev += (Evidence("file:/etc/ld.so.cache", lk.cache),)
    return ok(_("{n} libraries needed by {modules} resolve ({shown})", n=len(lk.resolved),
                modules=", ".join(_short(r) for r in lk.roots[:3]), shown=shown or _("no Cambricon library")),
              details=problems, evidence=ev)


CHECKS = (framework_libraries,)
