"""Third-party checks from the `mlu_doctor.checks` entry-point group, loaded in a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import write

PLUGIN = '''
from mlu_doctor.checks import check
from mlu_doctor.models import warn

@check("site.gpu-quota", "Site quota policy", needs=("env",))
def quota(facts, config):
    return warn("quota file missing", remedy="ask the admins")

CHECKS = [quota]
'''


def _plugin_dir(tmp_path, value="site_checks:CHECKS", module=PLUGIN):
    base = tmp_path / "plugins"
    write(base / "site_checks.py", module)
    write(base / "site_checks-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: site-checks\nVersion: 1.0\n")
    write(base / "site_checks-1.0.dist-info/entry_points.txt",
          f"[console_scripts]\nx = y:z\n\n[mlu_doctor.checks]\nquota = {value}\n")
    return base


def _doctor(args, plugin_dir, tmp_path):
    env = {**os.environ, "PYTHONPATH": str(plugin_dir), "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "mlu_doctor", *args], capture_output=True, text=True,
                          env=env, cwd=tmp_path, timeout=60)


def test_plugin_check_is_listed_and_run(tmp_path, empty_root):
    plugins = _plugin_dir(tmp_path)
    listed = _doctor(["list", "--format", "json"], plugins, tmp_path)
    rows = {r["id"]: r for r in json.loads(listed.stdout)}
    assert rows["site.gpu-quota"]["origin"] == "site_checks:CHECKS"
    result = _doctor(["check", "--root", str(empty_root), "--only", "site.", "--format", "json", "--strict"],
                     plugins, tmp_path)
    finding = json.loads(result.stdout)["findings"][0]
    assert (finding["id"], finding["status"], finding["remedy"]) == ("site.gpu-quota", "warn", "ask the admins")
    assert result.returncode == 1


def test_broken_plugin_is_reported_not_fatal(tmp_path, empty_root):
    plugins = _plugin_dir(tmp_path, module="raise ImportError('no such thing')\n")
    result = _doctor(["check", "--root", str(empty_root), "--only", "device.present"], plugins, tmp_path)
    assert result.returncode == 1  # the no-device finding, not a crash
    assert "plugin quota (site_checks:CHECKS): ImportError: no such thing" in result.stderr
    assert "Traceback" not in result.stderr


def test_plugin_cannot_take_a_builtin_id(tmp_path, empty_root):
    module = PLUGIN.replace("site.gpu-quota", "device.present")
    plugins = _plugin_dir(tmp_path, module=module)
    result = _doctor(["check", "--root", str(empty_root), "--only", "device.present", "--format", "json"],
                     plugins, tmp_path)
    assert "id already taken" in result.stderr
    assert json.loads(result.stdout)["findings"][0]["status"] == "fail"  # the builtin one ran
