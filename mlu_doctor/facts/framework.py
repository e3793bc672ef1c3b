"""Framework probe: torch / torch_mlu / catch in the user's Python environment, read from files only.

Never imports torch (an import can hang or fail without a driver): versions come from `torch/version.py`,
dist-info / egg-info metadata, torch_mlu's `build.property`, the presence of `torch_mlu/core/mlu_model.py`
and the NEEDED entries of `torch_mlu/_MLUC*.so`.
"""

from __future__ import annotations

import posixpath
import re
from typing import Optional

from mlu_doctor.facts.context import ProbeContext
from mlu_doctor.facts.elf import ElfError, needed_libraries
from mlu_doctor.facts.model import DistInfo, Evidence, FrameworkFacts, Requirement
from mlu_doctor.facts.pyenv import locate
from mlu_doctor.facts.versions import major_minor, release, version_tuple
from mlu_doctor.i18n import _
from mlu_doctor.system.files import FileSource

DISTS = ("torch", "torch_mlu", "catch")
PAIRED = ("torchvision", "torchaudio", "triton", "pytorch_triton", "vllm", "mmcv", "mmcv_full")  # + nvidia_*
_DIST = re.compile(r"^(?P<name>[A-Za-z0-9_.]+?)-(?P<ver>[^-]+?)(?:-py\d[^/]*)?\.(?:dist-info|egg-info|egg)$")
_VERSION_PY = re.compile(r"""^__version__\s*=\s*['"]([^'"]+)['"]""", re.MULTILINE)
_CUDA_PY = re.compile(r"""^cuda\s*(?::\s*\S+\s*)?=\s*['"]([^'"]+)['"]""", re.MULTILINE)
_META_VERSION = re.compile(r"^Version:\s*(\S+)", re.MULTILINE)
_REQUIRES_TORCH = re.compile(r"^Requires-Dist:\s*torch\s*\(?\s*==\s*([\w.+*]+)", re.MULTILINE)
MAX_PTH = 50


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def search_dirs(fs: FileSource, path: list[str]) -> list[str]:
    """sys.path entries plus directories named by `.pth` files in site dirs (eggs, develop installs)."""
    out: list[str] = []
    for entry in path:
        if entry in out:
            continue
        out.append(entry)
        pths = [n for n in fs.listdir(entry) or [] if n.endswith(".pth")][:MAX_PTH]
        for name in pths:
            for line in (fs.read_text(posixpath.join(entry, name), 64 * 1024) or "").splitlines():
                line = line.strip()
                if not line or line.startswith(("#", "import ", "import\t")):
                    continue
                extra = posixpath.normpath(posixpath.join(entry, line))
                if extra not in out and fs.is_dir(extra):
                    out.append(extra)
    return out


def find_package(fs: FileSource, dirs: list[str], name: str) -> Optional[str]:
    """The first `<dir>/<name>/` that is a package (what `import name` would load)."""
    for d in dirs:
        base = posixpath.join(d, name)
        if fs.is_file(base + "/__init__.py") or fs.is_file(base + "/__init__.pyc"):
            return base
    return None


def _wanted(name: str) -> bool:
    return name in DISTS or name in PAIRED or name.startswith("nvidia_")


def dist_versions(fs: FileSource, dirs: list[str]) -> dict[str, tuple[str, str, Optional[str]]]:
    """dist name -> (version, metadata path, its `Requires-Dist: torch==X` pin) from dist-info / egg-info
    names."""
    out: dict[str, tuple[str, str, Optional[str]]] = {}
    for d in dirs:
        for entry in fs.listdir(d) or []:
            m = _DIST.match(entry)
            if not m or not _wanted(_norm(m.group("name"))) or _norm(m.group("name")) in out:
                continue
            path = posixpath.join(d, entry)
            meta = next((posixpath.join(path, f) for f in ("METADATA", "PKG-INFO", "EGG-INFO/PKG-INFO")
                         if fs.is_file(posixpath.join(path, f))), path if fs.is_file(path) else None)
            text = fs.read_text(meta, 16 * 1024) if meta else None
            found = _META_VERSION.search(text or "")
            pin = _REQUIRES_TORCH.search(text or "")
            out[_norm(m.group("name"))] = (found.group(1) if found else m.group("ver"), meta or path,
                                           pin.group(1) if pin else None)
    return out


def read_version_py(fs: FileSource, path: str) -> Optional[str]:
    m = _VERSION_PY.search(fs.read_text(path, 16 * 1024) or "")
    return m.group(1) if m else None


def mluc_needed(fs: FileSource, pkg: str, facts: FrameworkFacts) -> None:
    """NEEDED entries of torch_mlu/_MLUC*.so, when the file source can read ranges."""
    read_range = getattr(fs, "read_range", None)
    libs = [n for n in fs.listdir(pkg) or [] if n.startswith("_MLUC") and ".so" in n]
    if not libs or read_range is None:
        return
    path = posixpath.join(pkg, libs[0])
    try:
        facts.mluc_needed = needed_libraries(lambda off, n: read_range(path, off, n))
    except ElfError as exc:
        facts.problems.append(f"{path}: {exc}")
        return
    cn = [n for n in facts.mluc_needed if n.startswith(("libcnml", "libcnnl", "libcnrt"))]
    facts.evidence.append(Evidence(f"elf:{path}", "NEEDED " + ", ".join(cn or facts.mluc_needed[:6])))


def read_torch_mlu(fs: FileSource, pkg: str, facts: FrameworkFacts) -> None:
    """torch_mlu.core presence, version.py, build.property (and version.info), _MLUC NEEDED."""
    from mlu_doctor.facts.requirements import read_requirements, torch_from_version

    facts.torch_mlu_path = pkg
    core = fs.listdir(pkg + "/core") or []
    facts.has_core_mlu_model = any(n.startswith("mlu_model.") for n in core)
    if facts.has_core_mlu_model:
        facts.evidence.append(Evidence(f"file:{pkg}/core/mlu_model.py", "torch_mlu.core.mlu_model present"))
    facts.torch_mlu_version = read_version_py(fs, pkg + "/version.py") or facts.torch_mlu_version
    version, reqs, read = read_requirements(fs, pkg)
    torch = torch_from_version(version)
    if torch and read and all(r.component != "torch" for r in reqs):  # "version": "1.17.0-torch1.13"
        reqs.append(Requirement("torch", torch, f"file:{read[0]} (version {version})"))
    facts.requirements = reqs
    byname = {r.component: r.version for r in reqs}
    facts.driver_requires = release(byname.get("driver"))
    facts.build_requires = {k: v for k, v in ((k, release(v)) for k, v in byname.items() if k != "driver")
                            if v}
    facts.torch_mlu_version = facts.torch_mlu_version or version
    for path in read:
        text = fs.read_text(path, 4096) or ""
        facts.evidence.append(Evidence(f"file:{path}", text.strip()[:400]))
    mluc_needed(fs, pkg, facts)


def read_packages(fs: FileSource, dirs: list[str], facts: FrameworkFacts) -> None:
    dists = dist_versions(fs, dirs)
    torch = find_package(fs, dirs, "torch")
    if torch:
        facts.torch_path = torch
        facts.torch_version = read_version_py(fs, torch + "/version.py")
        cuda = _CUDA_PY.search(fs.read_text(torch + "/version.py", 16 * 1024) or "")
        facts.torch_cuda = cuda.group(1) if cuda else None
        if facts.torch_version:
            facts.evidence.append(Evidence(f"file:{torch}/version.py",
                                           f"__version__ = '{facts.torch_version}'"))
    for name, (version, path, pin) in dists.items():
        if name == "torch" and not facts.torch_version:
            facts.torch_version = version
        elif name == "torch_mlu":
            facts.torch_mlu_version = version
        elif name == "catch":
            facts.catch_version = version
        facts.dists.append(DistInfo(name, version, path, pin))
        if name in DISTS:
            facts.evidence.append(Evidence(f"file:{path}", f"{name} {version}"))
    mlu = find_package(fs, dirs, "torch_mlu")
    if mlu:
        read_torch_mlu(fs, mlu, facts)


def classify(f: FrameworkFacts) -> tuple[Optional[str], Optional[str]]:
    """(era, human generation label) from what was found; unknown stays None."""
    torch = version_tuple(f.torch_version)
    cambricon = bool(f.torch_mlu_version or f.catch_version or f.has_core_mlu_model is not None)
    cnml = any(n.startswith("libcnml") for n in f.mluc_needed) or (
        bool(f.has_core_mlu_model) and torch is not None and torch[:2] == (1, 3))
    cnnl = any(n.startswith("libcnnl") for n in f.mluc_needed) or (
        cambricon and torch is not None and torch[:2] >= (1, 6))
    if cnml and cnnl:
        return None, _("conflicting evidence (CNML and CNNL signs)")
    torch_mm = major_minor(f.torch_version) or "?"
    if cnml:
        return "cnml", _("CNML era, torch {torch}", torch=torch_mm)
    if not cnnl:
        return None, None
    if f.catch_version:
        return "cnnl", _("CNNL era, catch {catch} (torch {torch})", catch=major_minor(f.catch_version),
                         torch=torch_mm)
    if f.torch_mlu_version:
        return "cnnl", _("CNNL era, torch_mlu {version} (torch {torch})",
                         version=major_minor(f.torch_mlu_version),
                        torch=torch_mm)
    return "cnnl", _("CNNL era (torch {torch})", torch=torch_mm)


def probe(ctx: ProbeContext) -> FrameworkFacts:
    """Find the user's Python environment and read the Cambricon PyTorch it holds."""
    env = locate(ctx)
    facts = FrameworkFacts(python=env.python, python_version=env.version, site_dirs=env.site_dirs,
                           sys_path=env.sys_path, evidence=list(env.evidence))
    if env.error:
        facts.problems.append(env.error)
    if env.asked:  # an interpreter failed (nothing found by the scan alone is no interpreter's error)
        facts.python_error = env.error
    read_packages(ctx.system, search_dirs(ctx.system, env.sys_path or env.site_dirs), facts)
    facts.era, facts.generation = classify(facts)
    if facts.torch_mlu_path:
        from mlu_doctor.facts.linkage import probe_linkage

        executable = facts.python if getattr(ctx.system, "is_host", False) else None  # its RPATH counts too
        facts.linkage = probe_linkage(ctx.system, ctx.system.environ, facts.torch_mlu_path, facts.torch_path,
                                      executable)
        read_installed(ctx, facts)
    return facts


def read_installed(ctx: ProbeContext, facts: FrameworkFacts) -> None:
    """Headers / dpkg / rpm readings for the components torch_mlu requires that lib64 names did not give."""
    from mlu_doctor.facts.components import installed_components
    from mlu_doctor.facts.toolkit import candidates

    tk = ctx.facts.toolkit
    wanted = {r.component for r in facts.requirements} - {"driver", "python", "torch", "torchvision",
                                                          "torchaudio", "triton"}
    known = set(tk.components) if tk else set()
    if not wanted - known:
        return
    home = tk.neuware_home if tk else next((p for p, _s in candidates(ctx.system.environ)
                                            if ctx.system.is_dir(p)), None)
    facts.installed = installed_components(ctx.system, home, wanted, known)
