"""CONTRIBUTING.md stays accurate: every repository path it names exists (a `<placeholder>` path: the folder
before the placeholder; a glob: at least one match)."""

from __future__ import annotations

import re

import pytest

from tests.kit.files import REPO

pytestmark = pytest.mark.fast  # reads two files

ROOTS = ("mlu_doctor", "tests", "scripts", "bench", "examples", "docs", "deploy")
PATH = re.compile(r"(?<![\w./-])(?:%s)/[\w./<>*-]*" % "|".join(ROOTS))  # noqa: UP031
TOP = re.compile(r"`([\w-]+\.(?:md|toml|py|sh|yaml))`")  # `README.md`, `pyproject.toml`
SHORT = re.compile(r"`((?:facts|checks|report|recipes|system|capture|gateways|output)/[\w.]+\.py)`")  # under mlu_doctor/


def named_paths(text: str) -> list[str]:
    found = [m.group(0).rstrip(".,:;)") for m in PATH.finditer(text)]
    found += [m.group(1) for m in TOP.finditer(text)]
    found += ["mlu_doctor/" + m.group(1) for m in SHORT.finditer(text)]
    return list(dict.fromkeys(found))


def exists(path: str) -> bool:
    if "<" in path:
        return (REPO / path.split("<", 1)[0]).is_dir()
    if "*" in path:
        return any(REPO.glob(path))
    return (REPO / path).exists()


def test_every_path_contributing_names_exists():
    paths = named_paths((REPO / "CONTRIBUTING.md").read_text(encoding="utf-8"))
    assert len(paths) > 30, paths
    missing = [p for p in paths if not exists(p)]
    assert not missing, f"CONTRIBUTING.md names paths that do not exist: {missing}"


def test_the_path_finder():
    text = "see `mlu_doctor/checks/env.py`, tests/unit/<pkg>/test_<module>.py and `report/human.py`; `README.md`."
    assert named_paths(text) == ["mlu_doctor/checks/env.py", "tests/unit/<pkg>/test_<module>.py", "README.md",
                                 "mlu_doctor/report/human.py"]
    assert not exists("mlu_doctor/nope.py") and exists("tests/unit/<pkg>/test_<module>.py")
