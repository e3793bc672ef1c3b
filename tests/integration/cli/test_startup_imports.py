"""The `check` path stays light: no torch, docker, requests, tqdm, and no rich when stdout is not a terminal.

Run in a real process on the realistic fixture of bench/check_startup.py (MLU220-M2 host with a fake cnmon
on PATH, the CNML-era Python environment, a yolov5 project): every probe and check runs.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.kit import pyenvs
from tests.kit.hosts import mlu220_m2_host

pytestmark = pytest.mark.fast  # one short process

DUMP = """
import sys
from mlu_doctor.cli import main
sys.argv = ["mlu-doctor", "check", "--root", sys.argv[1], "--project", sys.argv[2]]
try:
    main()
except SystemExit:
    pass
modules = sorted(sys.modules)
import json  # after the list: json is one of the modules the check path keeps lazy
sys.stderr.write("MODULES=" + json.dumps(modules) + "\\n")
"""
# imported lazily because the check path does not need them (each costs 0.3-3 ms of start-up)
LAZY = {"tempfile", "mlu_doctor.serde", "mlu_doctor.facts.io", "mlu_doctor.facts.container", "yaml",
        "importlib.metadata",  # only when an installed plugin declares a group (plugins.py)
        "json",  # facts/datasets.py: only when fetch-coco left a record
        "mlu_doctor.plugin_contract",  # only past the entry_points.txt gate (checks.plugin_checks)
        "mlu_doctor.facts.container_model",  # only with a container (serde: model.deferred_names)
        "mlu_doctor.report.health"}  # the fleet verdict: npd and prometheus only


@pytest.fixture(scope="module")
def check_modules(tmp_path_factory):
    """The modules a cold `mlu-doctor check` of the realistic fixture imported."""
    host = mlu220_m2_host(tmp_path_factory.mktemp("startup"))
    pyenvs.cnml_env(host.root)
    project = pyenvs.yolov5_tree(host.root / "work/yolov5")
    proc = subprocess.run([sys.executable, "-c", DUMP, str(host.root), str(project)],
                          capture_output=True, text=True, timeout=60,
                          env={**host.env, "NO_COLOR": "1", "LANG": "C.UTF-8"})
    assert "framework.arch-match" in proc.stdout and "driver.loaded" in proc.stdout, proc.stderr
    assert host.cnmon_calls() == [""], "cnmon ran once"
    line = next(x for x in proc.stderr.splitlines() if x.startswith("MODULES="))
    modules = set(json.loads(line[len("MODULES="):]))
    assert {"mlu_doctor.facts.framework", "mlu_doctor.facts.datasets"} <= modules  # the probes really ran
    return modules


def test_check_path_does_not_import_heavy_modules(check_modules):
    heavy = {"torch", "torch_mlu", "docker", "requests", "tqdm", "rich", "urllib3", "pydantic"}
    assert not {m.split(".")[0] for m in check_modules} & heavy


def test_check_path_keeps_optional_modules_lazy(check_modules):
    assert not check_modules & LAZY, "import these inside the functions that need them"
