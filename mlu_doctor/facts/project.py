"""Project probe: is --project a yolov3/yolov5 tree, do its imports resolve the way the user runs it,
and which MLU platform does its workload target?

Python puts a script's own folder first on sys.path: the project's entry scripts (`python ../yolov5/train.py`,
from any folder) see [project] + PYTHONPATH + the interpreter's path (`script_imports`). Code started from
the current directory (`python -m`, `python -c`, a script that lives there) sees [cwd] + PYTHONPATH + the
interpreter's path (`imports`); that matters when scripts in the cwd, outside the project, import its
`utils`/`models` (`cwd_scripts`), e.g. a gen_wts.py copied next to the weights.
"""

from __future__ import annotations

import posixpath
import re
from typing import Optional

from mlu_doctor.facts.context import ProbeContext
from mlu_doctor.facts.imports import Spec, find_sub, find_top, search_path
from mlu_doctor.facts.model import ModuleResolution, ProjectFacts
from mlu_doctor.facts.workload import scan_project
from mlu_doctor.system.files import FileSource

NO_SCAN = ("/", "/proc", "/sys", "/dev", "/usr", "/etc", "/var", "/tmp", "/home")
CWD_SCRIPTS_READ = 50  # .py files of the cwd read at most (64 KiB each)
CWD_SCRIPTS_KEPT = 5
# compiled on use (re caches it): only scripts in the current folder are searched with it
_IMPORTS_PROJECT = r"(?m)^[ \t]*(?:from|import)[ \t]+(?:utils|models)\b"


def detect_kind(fs: FileSource, top: str) -> Optional[str]:
    """"yolov3" | "yolov5" | None from the tree's shape: utils/ plus models.py (yolov3 archive) or models/."""
    has = lambda rel: fs.exists(posixpath.join(top, rel))  # noqa: E731
    if not fs.is_dir(top + "/utils") or not (fs.is_dir(top + "/models") or fs.is_file(top + "/models.py")):
        return None
    if has("models.py") or has("data/coco2014.data") or has("cfg/yolov3.cfg") or has("cfg/yolov3-spp.cfg"):
        return "yolov3"
    if has("models/yolo.py") or has("data/coco.yaml") or has("models/yolov5s.yaml"):
        return "yolov5"
    return "yolov3" if has("train.py") or has("detect.py") else None


def statements(fs: FileSource, top: str) -> list[tuple[str, str, str]]:
    """(top-level module, submodule, statement) the project's scripts use."""
    models = ("models", "", "from models import *") if fs.is_file(top + "/models.py") else \
        ("models", "yolo", "from models.yolo import Model")
    return [("utils", "google_utils", "from utils.google_utils import *"), models]


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def resolve(fs: FileSource, path: list[str], top: str, module: str, sub: str,
            statement: str) -> ModuleResolution:
    """What `statement` would import with sys.path = `path`, compared with the project's own package."""
    expected = posixpath.join(top, module)
    if not fs.is_dir(expected) and fs.is_file(expected + ".py"):
        expected += ".py"
    res = ModuleResolution(statement=statement, module=module, status="missing", expected=expected,
                           search_path=path)
    if sub and not fs.exists(posixpath.join(expected, sub + ".py")) and not fs.is_dir(posixpath.join(expected,
                                                                                                     sub)):
        res.statement = f"import {module}"  # the project lacks the submodule (newer trees); check the package
        sub = ""
    spec: Optional[Spec] = find_top(fs, path, module)
    if spec is None:
        return res
    res.resolved_to = spec.origin
    ours = spec.entry == top or any(_inside(p, expected) for p in spec.portions)
    res.status = "project" if ours else "shadowed"
    if res.status == "project" and sub and find_sub(fs, spec, sub) is None:
        res.status = "missing"
        res.module = f"{module}.{sub}"
    return res


def scripts_importing_project(fs: FileSource, folder: str) -> list[str]:
    """Python scripts directly in `folder` that import `utils` or `models` (bounded: the first files only)."""
    names = [n for n in fs.listdir(folder) or [] if n.endswith(".py")][:CWD_SCRIPTS_READ]
    found: list[str] = []
    for name in names:
        text = fs.read_text(posixpath.join(folder, name), 64 * 1024)
        if text and re.search(_IMPORTS_PROJECT, text):
            found.append(posixpath.join(folder, name))
            if len(found) == CWD_SCRIPTS_KEPT:
                break
    return found


def probe(ctx: ProbeContext) -> ProjectFacts:
    """Project shape, import resolution for its scripts and from ctx.cwd, workload evidence."""
    fs, top = ctx.system, posixpath.normpath(ctx.project_dir)
    cwd = posixpath.normpath(ctx.cwd)
    facts = ProjectFacts(dir=top, cwd=ctx.cwd)
    if not fs.is_dir(top):
        return facts
    facts.kind = detect_kind(fs, top)
    if facts.kind:
        fw = ctx.facts.framework
        site = (fw.sys_path or fw.site_dirs) if fw else []
        pythonpath = ctx.system.environ.get("PYTHONPATH")
        wanted = statements(fs, top)
        facts.script_imports = [resolve(fs, search_path(top, pythonpath, site), top, m, s, st)
                                for m, s, st in wanted]
        if cwd == top:
            facts.imports = list(facts.script_imports)
        else:
            facts.imports = [resolve(fs, search_path(cwd, pythonpath, site), top, m, s, st)
                             for m, s, st in wanted]
            facts.cwd_scripts = scripts_importing_project(fs, cwd)
    if top not in NO_SCAN:
        facts.workload, facts.scanned_files = scan_project(fs, top)
    return facts
