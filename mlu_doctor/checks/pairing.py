"""framework.torch-pairing: is the torch (torchvision, triton) in the environment the one torch_mlu was built
for?

torch_mlu names its torch in its version (`1.17.0-torch1.13`, `1.33.1+torch2.11.0`); a source tree's
scripts/version.info pins `pytorch:2.4.1+cpu`, `vision:0.19.1+cpu`; build.property's `genesis` entry pins
triton (`3.0.0+mlu1.1.1`). torch_mlu's README: from PyTorch 2.4 on, torch is the community CPU wheel
(`pip install torch==2.4.0 --index-url https://download.pytorch.org/whl/cpu`); for 2.1 and 2.3 it is the torch
wheel Cambricon releases with torch_mlu (not the PyPI one).
"""

from __future__ import annotations

import re
from typing import NamedTuple, Optional

from mlu_doctor.checks import check
from mlu_doctor.checks.cards import cards_of
from mlu_doctor.config import Config
from mlu_doctor.facts.model import DistInfo, Facts, FrameworkFacts
from mlu_doctor.facts.versions import version_tuple
from mlu_doctor.findings import Evidence, Finding, fail, ok, skip, warn
from mlu_doctor.i18n import _

CPU_INDEX = "https://download.pytorch.org/whl/cpu"
_CUDA_LOCAL = r"\+(cu\d+|rocm[\d.]+)"  # compiled on use (re caches it): only with a torch_mlu


class Expected(NamedTuple):
    version: str  # "2.4.1+cpu", "2.4.1", "1.13"
    source: str


def dist(fw: FrameworkFacts, name: str) -> Optional[DistInfo]:
    return next((d for d in fw.dists if d.name == name), None)


def expected(fw: FrameworkFacts, component: str) -> Optional[Expected]:
    """What torch_mlu pins for torch / torchvision / torchaudio / triton, and where that was read."""
    req = next((r for r in fw.requirements if r.component == component), None)
    if req:
        return Expected(req.version, req.source)
    if component != "torch":
        return None
    from mlu_doctor.facts.requirements import torch_from_version  # only with a torch_mlu: start-up

    for version, what in ((fw.torch_mlu_version, "torch_mlu"), (fw.catch_version, "catch")):
        torch = torch_from_version(version)
        if torch:
            meta = dist(fw, "torch_mlu" if what == "torch_mlu" else "catch")
            return Expected(torch, f"{what} {version}" + (f" ({meta.source})" if meta else ""))
    return None


def matches(have: str, want: str) -> bool:
    """`2.4.1+cpu` matches `2.4.1` and `2.4.1+cpu`; `1.13.1` matches `1.13`; a CUDA build matches nothing."""
    if re.search(_CUDA_LOCAL, have):
        return False
    h, w = version_tuple(have), version_tuple(want)
    if h is None or w is None:
        return False
    if "+mlu" in want:  # a Cambricon triton: the whole version, local label included
        return have.split("+", 1)[-1] == want.split("+", 1)[-1] and h == w
    return h[: len(w)] == w


def cuda_signs(fw: FrameworkFacts) -> list[str]:
    """What says this torch is a CUDA build: `+cu121`, torch.version.cuda, nvidia-* distributions."""
    signs = []
    if fw.torch_version and re.search(_CUDA_LOCAL, fw.torch_version):
        signs.append(f"torch {fw.torch_version}")
    if fw.torch_cuda:
        signs.append(f"torch.version.cuda = {fw.torch_cuda}")
    nvidia = [d.name.replace("_", "-") for d in fw.dists if d.name.startswith("nvidia_")]
    if nvidia:
        signs.append(", ".join(nvidia[:4]) + (f" (+{len(nvidia) - 4})" if len(nvidia) > 4 else ""))
    return signs


def _cp_tag(fw: FrameworkFacts) -> str:
    v = version_tuple(fw.python_version)
    return f"cp{v[0]}{v[1]}" if v and len(v) > 1 else "cpXY"


def pip_commands(fw: FrameworkFacts, torch: Expected, wrong: list[str]) -> list[str]:
    """The commands that put back what torch_mlu was built for."""
    out = []
    release = ".".join(str(p) for p in version_tuple(torch.version) or ())
    if "torch" in wrong:
        if (version_tuple(torch.version) or (0,)) >= (2, 4):
            out.append(f"pip install torch=={release} --index-url {CPU_INDEX}")
        else:
            pattern = release if release.count(".") >= 2 else release + ".*"
            out.append(_("pip install --force-reinstall torch-{version}-{cp}-{cp}-linux_x86_64.whl  (the "
                         "torch wheel "
                         "Cambricon released with this torch_mlu, not the PyPI one)", version=pattern,
                         cp=_cp_tag(fw)))
    vision = [(n, expected(fw, n)) for n in ("torchvision", "torchaudio") if n in wrong]
    pinned = [f"{n}=={e.version.split('+')[0]}" for n, e in vision if e]
    if pinned:
        out.append(f"pip install --isolated {' '.join(pinned)} --index-url {CPU_INDEX} --no-deps")
    unpinned = [n for n, e in vision if e is None]
    if unpinned:
        out.append(_("pip install --isolated {names} (the releases built for torch {torch}) --index-url "
                     "{index} --no-deps", names=" ".join(unpinned), torch=torch.version, index=CPU_INDEX))
    triton = expected(fw, "triton")
    if "triton" in wrong and triton:
        out.append(_("pip install --force-reinstall triton-{version}-{cp}-{cp}-linux_x86_64.whl  "
                     "(Cambricon's triton wheel)", version=triton.version, cp=_cp_tag(fw)))
    if "nvidia" in wrong:
        names = " ".join(d.name.replace("_", "-") for d in fw.dists if d.name.startswith("nvidia_"))
        out.append(f"pip uninstall -y {names}")
    return out


def constraints_advice() -> str:
    return _("Install a project's requirements against a constraints file that pins the framework: "
             "pip list --format=freeze | grep -iE '^(torch|torchvision|torchaudio|triton|torch[-_]mlu)==' > "
             "constraints.txt; pip install -r requirements.txt -c constraints.txt")


def _cuda_without_mlu(fw: FrameworkFacts, facts: Facts) -> Finding:
    signs = cuda_signs(fw)
    cards = cards_of(facts)
    if not cards:
        return skip(_("a CUDA build of torch ({signs}) and no torch_mlu; no MLU card identified, so not "
                      "judged",
                      signs="; ".join(signs)))
    vllm = dist(fw, "vllm")
    what = _("torch {version} is a CUDA build ({signs}) with no torch_mlu: this build cannot use the MLU",
             version=fw.torch_version or "?", signs="; ".join(signs))
    details = _("On an MLU host it fails at the first CUDA call (e.g. libcuda.so.1: cannot open shared "
                "object file) or silently runs on the CPU.")
    if vllm:
        details += " " + _("vllm {version} here is the CUDA build; MLU needs Cambricon's vllm-mlu.",
                           version=vllm.version)
    return fail(what, details=details, evidence=(cards[0].evidence,) + tuple(
        Evidence(f"file:{d.source}", f"{d.name} {d.version}") for d in fw.dists[:4]),
        remedy=_("Use a Cambricon PyTorch image, or install torch_mlu with the torch it was built for (its "
                 "README "
                 "gives the pair), then the project's other requirements with a constraints file.") + " "
        + constraints_advice())


def _wrong(fw: FrameworkFacts, torch: Expected) -> list[tuple[str, str, Optional[Expected]]]:
    """(component, installed, expected) for each piece that does not fit."""
    out: list[tuple[str, str, Optional[Expected]]] = []
    if fw.torch_version and not matches(fw.torch_version, torch.version) or fw.torch_cuda:
        out.append(("torch", fw.torch_version or "?", torch))
    for name in ("torchvision", "torchaudio", "triton"):
        want, have = expected(fw, name), dist(fw, name)
        if want and have and not matches(have.version, want.version):
            out.append((name, have.version, want))
        elif have and have.requires_torch and fw.torch_version and not matches(fw.torch_version,
                                                                               have.requires_torch):
            out.append((name, have.version, Expected(f"torch=={have.requires_torch}", f"file:{have.source}")))
    if any(d.name.startswith("nvidia_") for d in fw.dists):
        out.append(("nvidia",
                    ", ".join(d.name.replace("_", "-") for d in fw.dists if d.name.startswith("nvidia_")),
                    None))
    return out


@check("framework.torch-pairing", "torch (and torchvision, triton) are the ones torch_mlu was built for",
       needs=("framework", "device", "driver"))
def framework_torch_pairing(facts: Facts, config: Config) -> Finding:
    """torch_mlu's `+torchX.Y.Z` / `-torchX.Y` (and version.info, genesis) against the installed torch
    stack."""
    fw = facts.framework
    assert fw is not None  # needs=("framework", ...)
    cambricon = fw.torch_mlu_version or fw.catch_version or fw.torch_mlu_path
    if not fw.torch_version:
        return skip(_("no torch in this environment: nothing to pair"))
    if not cambricon:
        if cuda_signs(fw):
            return _cuda_without_mlu(fw, facts)
        return skip(_("torch {version} without torch_mlu: nothing to pair (see framework.installed)",
                      version=fw.torch_version))
    torch = expected(fw, "torch")
    if torch is None:
        return skip(_("{what} does not name the torch it was built for; torch {version} not judged",
                      what=f"torch_mlu {fw.torch_mlu_version}" if fw.torch_mlu_version else "torch_mlu",
                      version=fw.torch_version))
    wrong = _wrong(fw, torch)
    ev = (Evidence(torch.source, f"torch {torch.version}"),) + tuple(
        Evidence(f"file:{d.source}", f"{d.name} {d.version}") for d in fw.dists if d.name in
        ("torch", "torchvision", "torchaudio", "triton"))[:4]
    names = [w[0] for w in wrong]
    if not wrong:
        pinned = [f"{n} {dist(fw, n).version}" for n in ("torchvision", "torchaudio", "triton")  # type: ignore[union-attr]
                  if expected(fw, n) and dist(fw, n)]
        return ok(_("torch {have} is the torch {want} that torch_mlu was built for{more}",
                    have=fw.torch_version,
                    want=torch.version, more="; " + ", ".join(pinned) if pinned else ""), evidence=ev)
    lines = []
    for name, have, want in wrong:
        if name == "nvidia":
            lines.append(_("CUDA packages installed: {names} (pulled in by a CUDA build of torch)",
                           names=have))
        elif name == "torch" and (re.search(_CUDA_LOCAL, have) or fw.torch_cuda):
            lines.append(_("torch {have} is a CUDA build; torch_mlu {mlu} needs torch {want} ({source})",
                           have=have, mlu=fw.torch_mlu_version or fw.catch_version, want=torch.version,
                           source=torch.source))
        elif want and want.version.startswith("torch=="):
            lines.append(_("{name} {have} was built for {pin} ({source}), but torch is {torch}", name=name,
                           have=have, pin=want.version, source=want.source, torch=fw.torch_version))
        else:
            lines.append(_("{name} {have} replaced the {want} torch_mlu was built for ({source})", name=name,
                           have=have, want=want.version if want else "?", source=want.source if want
                           else "?"))
    commands = pip_commands(fw, torch, names)
    remedy = _("Restore the pair: {commands}.", commands="; ".join(commands)) + " " + constraints_advice()
    details = "\n".join(lines + [_("A `pip install -r requirements.txt` that upgrades torch or pulls "
                                   "nvidia-* "
                                   "packages breaks torch_mlu: import fails or ops run on the CPU.")])
    if names == ["nvidia"]:
        return warn(lines[0], details=details, remedy=remedy, evidence=ev)
    return fail(lines[0] if len(lines) == 1
                else _("{first} (and {n} more)", first=lines[0], n=len(lines) - 1),
                details=details, remedy=remedy, evidence=ev)


CHECKS = (framework_torch_pairing,)
