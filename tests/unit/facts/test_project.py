"""Project facts: yolov3/yolov5 shape, import resolution as Python's path finder would do it."""

from __future__ import annotations

from mlu_doctor.facts.context import host_context
from mlu_doctor.facts.model import FrameworkFacts
from mlu_doctor.facts.project import probe
from tests.kit import pyenvs
from tests.kit.files import write


def project_facts(root, cwd, project="/work/yolov5", pythonpath=None, sys_path=()):
    env = {"PYTHONPATH": pythonpath} if pythonpath is not None else {}
    ctx = host_context(str(root), cwd=cwd, project_dir=project, environ=env)
    ctx.facts.framework = FrameworkFacts(sys_path=list(sys_path))
    return probe(ctx)


def imports(facts):
    return {r.module.split(".")[0]: r for r in facts.imports}


def test_yolov5_from_its_own_directory_resolves_to_the_project(tmp_path):
    pyenvs.yolov5_tree(tmp_path / "work/yolov5")
    f = project_facts(tmp_path, "/work/yolov5")
    assert f.kind == "yolov5"
    assert {r.status for r in f.imports} == {"project"}
    assert imports(f)["utils"].resolved_to == "/work/yolov5/utils"


def test_yolov5_run_from_outside_is_missing(tmp_path):
    pyenvs.yolov5_tree(tmp_path / "work/yolov5")
    f = project_facts(tmp_path, "/work")
    r = imports(f)["utils"]
    assert r.status == "missing" and r.module == "utils" and r.statement == "from utils.google_utils import *"
    assert r.search_path[0] == "/work"


def test_pythonpath_fixes_running_from_outside(tmp_path):
    pyenvs.yolov5_tree(tmp_path / "work/yolov5")
    f = project_facts(tmp_path, "/work", pythonpath="/opt/x::yolov5")  # relative entry resolved against the cwd
    assert {r.status for r in f.imports} == {"project"}


def test_stray_utils_py_in_cwd_shadows(tmp_path):
    pyenvs.yolov5_tree(tmp_path / "work/yolov5")
    write(tmp_path / "work/utils.py", "")
    f = project_facts(tmp_path, "/work", pythonpath="/work/yolov5")
    r = imports(f)["utils"]
    assert r.status == "shadowed" and r.resolved_to == "/work/utils.py"
    assert imports(f)["models"].status == "project"


def test_pip_installed_utils_package_shadows(tmp_path):
    pyenvs.yolov5_tree(tmp_path / "work/yolov5")
    site = "/usr/local/lib/python3.10/dist-packages"
    write(tmp_path / site.lstrip("/") / "utils/__init__.py", "")
    f = project_facts(tmp_path, "/work", sys_path=[site])
    assert imports(f)["utils"].status == "shadowed" and imports(f)["utils"].resolved_to == f"{site}/utils"
    assert imports(f)["models"].status == "missing"


def test_namespace_dir_loses_to_a_later_regular_package(tmp_path):
    pyenvs.yolov5_tree(tmp_path / "work/yolov5")
    (tmp_path / "work/utils").mkdir()  # no __init__.py: only a namespace portion
    f = project_facts(tmp_path, "/work", pythonpath="/work/yolov5")
    assert imports(f)["utils"].status == "project"


def test_newer_yolov5_without_google_utils_checks_the_package(tmp_path):
    pyenvs.yolov5_tree(tmp_path / "work/yolov5")
    (tmp_path / "work/yolov5/utils/google_utils.py").unlink()
    f = project_facts(tmp_path, "/work/yolov5")
    assert imports(f)["utils"].statement == "import utils" and imports(f)["utils"].status == "project"


def test_yolov3_kind_and_not_a_project(tmp_path):
    pyenvs.yolov3_tree(tmp_path / "work/yolov3")
    assert project_facts(tmp_path, "/work", project="/work/yolov3").kind == "yolov3"
    write(tmp_path / "work/other/readme.txt", "")
    f = project_facts(tmp_path, "/work", project="/work/other")
    assert f.kind is None and f.imports == []


def test_yolov3_archive_models_module(tmp_path):
    pyenvs.yolov3_tree(tmp_path / "work/yolov3")
    inside = project_facts(tmp_path, "/work/yolov3", project="/work/yolov3")
    assert inside.kind == "yolov3" and [r.status for r in inside.imports] == ["project", "project"]
    assert imports(inside)["models"].statement == "from models import *"
    assert imports(inside)["models"].resolved_to == "/work/yolov3/models.py"
    write(tmp_path / "work/models/__init__.py", "")  # a models package in the cwd shadows the module
    outside = project_facts(tmp_path, "/work", project="/work/yolov3", pythonpath="/work/yolov3")
    assert imports(outside)["models"].status == "shadowed" and imports(outside)["utils"].status == "project"


def test_scripts_of_the_project_run_by_path_resolve_from_any_cwd(tmp_path):
    """`python ../yolov5/train.py`: the script's folder is sys.path[0], so the project's imports resolve."""
    pyenvs.yolov5_tree(tmp_path / "work/yolov5")
    write(tmp_path / "elsewhere/readme.txt", "")
    f = project_facts(tmp_path, "/elsewhere")
    assert {r.status for r in f.script_imports} == {"project"} and f.script_imports[0].search_path[0] == "/work/yolov5"
    assert {r.status for r in f.imports} == {"missing"} and f.cwd_scripts == []


def test_scripts_in_the_cwd_that_import_the_project_are_listed(tmp_path):
    pyenvs.yolov5_tree(tmp_path / "work/yolov5")
    write(tmp_path / "w/gen_wts.py", "import torch\nfrom utils.torch_utils import select_device\n")
    write(tmp_path / "w/plot.py", "import matplotlib\n# from utils import x (a comment)\n")
    write(tmp_path / "w/utils_notes.txt", "from utils import x\n")
    f = project_facts(tmp_path, "/w")
    assert f.cwd_scripts == ["/w/gen_wts.py"]
    inside = project_facts(tmp_path, "/work/yolov5")
    assert inside.cwd_scripts == [] and inside.imports == inside.script_imports
