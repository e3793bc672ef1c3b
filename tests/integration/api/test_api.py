"""The Python API as users call it: a training script that calls require() in a real interpreter, import cost and
what importing pulls in, and the types a checker sees."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import mlu_doctor
from tests.kit import pyenvs
from tests.kit.files import write
from tests.kit.hosts import mlu220_m2_host

TRAIN = """\
import sys
from mlu_doctor import require

require({ids}, root=sys.argv[1])
print("training starts")
"""


@pytest.fixture(scope="module")
def seed(tmp_path_factory):
    """The seed's host: an MLU220-M2 card, CNML-era torch 1.3.0a0 with torch_mlu.core."""
    host = mlu220_m2_host(tmp_path_factory.mktemp("api"))
    pyenvs.cnml_env(host.root)
    return host


def train(seed, tmp_path, ids: str) -> subprocess.CompletedProcess:
    script = write(tmp_path / "train.py", TRAIN.format(ids=ids))
    return subprocess.run([sys.executable, str(script), str(seed.root)], capture_output=True, text=True, timeout=60,
                          cwd=tmp_path, env={**seed.env, "LANG": "C.UTF-8"})


def test_a_training_script_stops_on_the_arch_mismatch(seed, tmp_path):
    ran = train(seed, tmp_path, '"framework.arch-match", "device.present"')
    assert ran.returncode == 1 and "training starts" not in ran.stdout
    last = ran.stderr.rstrip().splitlines()
    assert "mlu_doctor.RequirementFailed: mlu-doctor: 1 requirement(s) not met: framework.arch-match (failed)" in ran.stderr
    assert any(line.startswith("FAIL   framework.arch-match  torch 1.3.0a0 (CNML era, kernels for MLU270) on an "
                               "MLU220-M2 card.") for line in last)
    assert "\x1b[" not in ran.stderr, "plain text, no colour"
    assert "device.present" not in ran.stderr.split("not met:")[1].splitlines()[0], "only what failed is named"


def test_a_training_script_goes_on_when_requirements_hold(seed, tmp_path):
    ran = train(seed, tmp_path, '"device.", "driver.loaded"')
    assert ran.returncode == 0 and ran.stdout == "training starts\n", ran.stderr


def test_an_unknown_id_is_a_value_error(seed, tmp_path):
    ran = train(seed, tmp_path, '"framework.arch-mach"')
    assert ran.returncode == 1
    assert ran.stderr.rstrip().splitlines()[-1] == (
        "ValueError: --only framework.arch-mach: no such check id or prefix (see mlu-doctor list)")


SNIPPET = """
import json, sys, time
start = time.perf_counter()
import mlu_doctor
took = time.perf_counter() - start
before = set(sys.modules)
from mlu_doctor import require, diagnose, RequirementFailed
report = diagnose(root=sys.argv[1], only="device.present")
print(json.dumps({"ms": took * 1000, "after_import": sorted(before),
                  "after_call": sorted(sys.modules), "status": report.findings[0].status.label,
                  "is_runtime_error": issubclass(RequirementFailed, RuntimeError)}))
"""
HEAVY = {"torch", "torch_mlu", "docker", "requests", "typer", "rich", "click", "urllib3", "yaml"}


def test_importing_is_cheap_and_pulls_in_nothing_heavy(seed):
    ran = subprocess.run([sys.executable, "-c", SNIPPET, str(seed.root)], capture_output=True, text=True, timeout=60,
                         env={**seed.env, "LANG": "C.UTF-8"})
    data = json.loads(ran.stdout)
    assert data["ms"] <= 50, data["ms"]
    tops = lambda names: {n.split(".")[0] for n in names}  # noqa: E731
    assert not tops(data["after_import"]) & HEAVY
    assert [m for m in data["after_import"] if m.startswith("mlu_doctor")] == ["mlu_doctor"]
    assert not tops(data["after_call"]) & (HEAVY - {"yaml"}), "diagnose() itself needs none of them"
    assert data["status"] == "ok" and data["is_runtime_error"]


def test_the_package_attribute_diagnose_stays_the_api_and_reaches_the_pipeline(monkeypatch, seed):
    import mlu_doctor
    import mlu_doctor.diagnose as pipeline_by_import
    from mlu_doctor import diagnose
    from mlu_doctor.diagnose import Target

    assert diagnose is mlu_doctor.diagnose and callable(diagnose)
    assert pipeline_by_import.Target is Target is sys.modules["mlu_doctor.diagnose"].Target
    monkeypatch.setattr("mlu_doctor.diagnose.all_checks", lambda plugins=True: ([], ["patched"]))
    assert sys.modules["mlu_doctor.diagnose"].all_checks() == ([], ["patched"]), "string monkeypatching still works"
    monkeypatch.undo()
    report = diagnose(root=str(seed.root), only=["device.present"])
    assert [f.id for f in report.findings] == ["device.present"]


def test_a_users_script_type_checks_against_the_api(tmp_path):
    user = write(tmp_path / "user.py", textwrap.dedent("""\
        from mlu_doctor import Report, RequirementFailed, diagnose, require

        report: Report = diagnose(root="/", only=["driver."], timeout=2.0)
        try:
            require("framework.arch-match", strict=True)
        except RequirementFailed as exc:
            print(exc.findings[0].id)
        diagnose(root=1)
        """))
    site = tmp_path / "site"  # the package as installed (the editable install hides it from mypy)
    shutil.copytree(Path(mlu_doctor.__file__).parent, site / "mlu_doctor",
                    ignore=shutil.ignore_patterns("__pycache__"))

    def mypy() -> list[str]:
        ran = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir",
                              str(tmp_path / "cache"), str(user)], capture_output=True, text=True, timeout=300,
                             cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(site)})
        return [line for line in ran.stdout.splitlines() if ": error:" in line]

    errors = mypy()
    assert len(errors) == 1 and "user.py:8:" in errors[0] and 'Argument "root" to "diagnose"' in errors[0], errors
    (site / "mlu_doctor/py.typed").unlink()
    assert "missing library stubs or py.typed marker" in mypy()[0], "the marker is what makes it typed"
