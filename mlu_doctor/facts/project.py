"""Project probe: is --project a yolov3/yolov5 tree, would its imports resolve from the current directory,
and which MLU platform does its workload target?

Import resolution uses [cwd] + PYTHONPATH + the interpreter's sys.path: that is sys.path for
`python -m ...`, `python -c`, and a script that lives in the current directory. (A script run by path
gets its own directory first instead; the common failure is a script outside the project tree.)
"""

from __future__ import annotations

import posixpath
from typing import Optional

from mlu_doctor.facts.context import ProbeContext
from mlu_doctor.facts.imports import Spec, find_sub, find_top, search_path
from mlu_doctor.facts.model import ModuleResolution, ProjectFacts
from mlu_doctor.facts.workload import scan_project
from mlu_doctor.system.files import FileSource

NO_SCAN = ("/", "/proc", "/sys", "/dev", "/usr", "/etc", "/var", "/tmp", "/home")


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


def resolve(fs: FileSource, path: list[str], top: str, module: str, sub: str, statement: str) -> ModuleResolution:
    """What `statement` would import with sys.path = `path`, compared with the project's own package."""
    expected = posixpath.join(top, module)
    if not fs.is_dir(expected) and fs.is_file(expected + ".py"):
        expected += ".py"
    res = ModuleResolution(statement=statement, module=module, status="missing", expected=expected, search_path=path)
    if sub and not fs.exists(posixpath.join(expected, sub + ".py")) and not fs.is_dir(posixpath.join(expected, sub)):
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


def probe(ctx: ProbeContext) -> ProjectFacts:
    """Project shape, import resolution from ctx.cwd, workload evidence."""
    fs, top = ctx.system, posixpath.normpath(ctx.project_dir)
    facts = ProjectFacts(dir=top, cwd=ctx.cwd)
    if not fs.is_dir(top):
        return facts
    facts.kind = detect_kind(fs, top)
    if facts.kind:
        fw = ctx.facts.framework
        site = (fw.sys_path or fw.site_dirs) if fw else []
        path = search_path(posixpath.normpath(ctx.cwd), ctx.system.environ.get("PYTHONPATH"), site)
        facts.imports = [resolve(fs, path, top, m, s, stmt) for m, s, stmt in statements(fs, top)]
    if top not in NO_SCAN:
        facts.workload, facts.scanned_files = scan_project(fs, top)
    return facts
