"""Plugins: a real package installed by pip (tests/data/site_plugin) whose check, recipe and log signature
mlu-doctor loads through the one loader; broken plugins are reported, never fatal; the start-up gate."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from mlu_doctor.checks import all_checks, plugin_checks
from mlu_doctor.plugin_contract import SIGNATURE_PLUGINS
from mlu_doctor.plugins import declared, load_plugins
from mlu_doctor.recipes import all_recipes
from tests.kit.files import DATA, write


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """tests/data/site_plugin installed by pip into a folder of its own (put on PYTHONPATH to use it)."""
    base = tmp_path_factory.mktemp("site_plugin")
    source = shutil.copytree(DATA / "site_plugin", base / "src")  # pip builds in the source tree
    target = base / "site-packages"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check", "--no-deps",
                    "--no-build-isolation", "--no-index", "--target", str(target), str(source)],
                   check=True, capture_output=True, timeout=300)
    return target


def _doctor(args: list, plugin_dir: Path, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(plugin_dir), "NO_COLOR": "1", "LANG": "C.UTF-8"}
    return subprocess.run([sys.executable, "-m", "mlu_doctor", *map(str, args)], capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=60)


@pytest.mark.slow  # builds a wheel and pip-installs it (the `installed` fixture, 2-4 s)
def test_installed_plugin_check_is_listed_and_run(installed, tmp_path, empty_root):
    rows = {r["id"]: r for r in json.loads(_doctor(["list", "--format", "json"], installed, tmp_path).stdout)}
    assert rows["site.gpu-quota"]["origin"] == "site_doctor:CHECKS"
    assert rows["device.present"]["origin"] == "builtin"
    result = _doctor(["check", "--root", empty_root, "--only", "site.", "--format", "json", "--strict"],
                     installed, tmp_path)
    finding = json.loads(result.stdout)["findings"][0]
    assert (finding["id"], finding["status"], finding["remedy"]) == ("site.gpu-quota", "warn", "ask the admins")
    assert result.returncode == 1 and result.stderr == ""


@pytest.mark.slow  # builds a wheel and pip-installs it (the `installed` fixture, 2-4 s)
def test_installed_plugin_recipe_fixes_the_installed_plugin_check(installed, tmp_path, empty_root):
    result = _doctor(["fix", "site.gpu-quota", "--dry-run", "--root", empty_root, "--format", "json"],
                     installed, tmp_path)
    (recipe,) = json.loads(result.stdout)["recipes"]
    assert (recipe["recipe"], recipe["fixes"]) == ("site.quota", ["site.gpu-quota"])
    assert recipe["steps"][0]["command"] == ["site-quota", "request"]
    assert result.returncode == 1  # advice is left for the user


@pytest.mark.slow  # builds a wheel and pip-installs it (the `installed` fixture, 2-4 s)
def test_installed_plugin_signatures_load(installed, monkeypatch):
    monkeypatch.syspath_prepend(str(installed))
    loaded, problems = load_plugins(SIGNATURE_PLUGINS)
    assert problems == []
    assert [(p.item.id, p.name, p.origin) for p in loaded] == [("log.site-quota-exceeded", "site", "site_doctor:SIGNATURES")]
    assert loaded[0].item.patterns[0].search("GPU quota exceeded for alice")


# --- contract violations, on a hand-made dist-info ------------------------------------------------------

PLUGIN = '''
from mlu_doctor.checks import check
from mlu_doctor.findings import warn

@check("site.gpu-quota", "Site quota policy", needs=("env",))
def quota(facts, config):
    return warn("quota file missing", remedy="ask the admins")

CHECKS = [quota]
'''


def _plugin_dir(tmp_path: Path, module: str = PLUGIN, entry_points: str = "[mlu_doctor.checks]\nquota = site_checks:CHECKS\n") -> Path:
    base = tmp_path / "plugins"
    write(base / "site_checks.py", module)
    write(base / "site_checks-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: site-checks\nVersion: 1.0\n")
    write(base / "site_checks-1.0.dist-info/entry_points.txt", f"[console_scripts]\nx = y:z\n\n{entry_points}")
    return base


def test_broken_plugin_is_reported_not_fatal(tmp_path, empty_root):
    plugins = _plugin_dir(tmp_path, module="raise ImportError('no such thing')\n")
    result = _doctor(["check", "--root", empty_root, "--only", "device.present"], plugins, tmp_path)
    assert result.returncode == 1  # the no-device finding, not a crash
    assert "plugin quota (site_checks:CHECKS): ImportError: no such thing" in result.stderr
    assert "Traceback" not in result.stderr


def test_plugin_check_cannot_take_a_builtin_id(tmp_path, empty_root):
    plugins = _plugin_dir(tmp_path, module=PLUGIN.replace("site.gpu-quota", "device.present"))
    result = _doctor(["check", "--root", empty_root, "--only", "device.present", "--format", "json"],
                     plugins, tmp_path)
    assert "plugin check device.present (site_checks:CHECKS) ignored: id already taken" in result.stderr
    assert json.loads(result.stdout)["findings"][0]["status"] == "fail"  # the builtin one ran


def test_plugin_recipe_cannot_take_a_builtin_id(tmp_path, monkeypatch):
    module = "from mlu_doctor.recipes.base import Recipe\n\nclass Mine(Recipe):\n    id = 'env.torch-home'\n"
    monkeypatch.syspath_prepend(str(_plugin_dir(tmp_path, module, "[mlu_doctor.recipes]\nmine = site_checks:Mine\n")))
    monkeypatch.delitem(sys.modules, "site_checks", raising=False)
    recipes, problems = all_recipes()
    assert problems == ["plugin recipe env.torch-home (site_checks:Mine) ignored: id already taken"]
    assert type(recipes["env.torch-home"]).__module__ == "mlu_doctor.recipes.env_recipes"


@pytest.mark.parametrize("group, value, problem", [
    ("mlu_doctor.checks", "site_checks:NAME", "plugin quota (site_checks:NAME): TypeError: 'quota' is not a CheckSpec"),
    ("mlu_doctor.checks", "site_checks:missing", "plugin quota (site_checks:missing): AttributeError:"),
    ("mlu_doctor.recipes", "site_checks:NAME", "plugin quota (site_checks:NAME): TypeError: 'quota' is not a Recipe"),
])
def test_an_entry_point_that_breaks_the_contract_is_one_problem(tmp_path, monkeypatch, group, value, problem):
    monkeypatch.syspath_prepend(str(_plugin_dir(tmp_path, "NAME = 'quota'\n", f"[{group}]\nquota = {value}\n")))
    monkeypatch.delitem(sys.modules, "site_checks", raising=False)
    checks, check_problems = plugin_checks()
    recipes, recipe_problems = all_recipes()
    assert checks == [] and set(recipes) == set(all_recipes(plugins=False)[0])
    ((found,),) = [p for p in (check_problems, recipe_problems) if p]
    assert found.startswith(problem)


def test_without_plugins_nothing_is_loaded_and_nothing_reported():
    checks, problems = all_checks()
    assert problems == [] and {c.origin for c in checks} == {"builtin"}


# --- the start-up gate: importlib.metadata only when an entry_points.txt names the group -----------------

def test_gate_reads_entry_points_files(tmp_path):
    write(tmp_path / "a/other-1.0.dist-info/entry_points.txt", "[console_scripts]\nx = y:z\n")
    write(tmp_path / "b/legacy.egg-info/entry_points.txt", "[mlu_doctor.recipes]\nr = m:R\n")
    write(tmp_path / "c/old-1.0.egg/EGG-INFO/entry_points.txt", "[mlu_doctor.checks]\nc = m:C\n")
    missing = str(tmp_path / "nowhere")
    assert not declared("mlu_doctor.checks", [str(tmp_path / "a"), str(tmp_path / "b"), missing])
    assert declared("mlu_doctor.recipes", [str(tmp_path / "a"), str(tmp_path / "b")])
    assert declared("mlu_doctor.checks", [str(tmp_path / "c/old-1.0.egg")])


def test_gate_leaves_a_zip_on_sys_path_to_importlib_metadata(tmp_path):
    with zipfile.ZipFile(tmp_path / "bundle.zip", "w") as zf:
        zf.writestr("p-1.0.dist-info/entry_points.txt", "[mlu_doctor.checks]\nc = m:C\n")
    assert declared("mlu_doctor.checks", [str(tmp_path / "bundle.zip")])
