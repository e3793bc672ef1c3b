"""The test layout CONTRIBUTING.md describes holds: no test module at the top of tests/, and tests import their
helpers from tests/kit/, never from a conftest or from another test module."""

from __future__ import annotations

import re

import pytest

from tests.kit.files import REPO

pytestmark = pytest.mark.fast  # reads the test sources

TESTS = REPO / "tests"
# `from tests.conftest import x`, `from tests.unit.facts.test_device import y`, `import tests.integration.conftest`
FORBIDDEN = re.compile(r"^\s*(?:from|import)\s+tests(?:\.\w+)*\.(?:conftest|test_\w+)\b", re.M)


def test_no_test_module_at_the_top_of_tests():
    assert sorted(p.name for p in TESTS.glob("test_*.py")) == []


def test_tests_import_helpers_from_the_kit_only():
    offenders = [f"{p.relative_to(REPO)}: {m.group(0).strip()}" for p in sorted(TESTS.rglob("*.py"))
                 if "data" not in p.relative_to(TESTS).parts for m in FORBIDDEN.finditer(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_the_import_rule_sees_what_it_forbids():
    assert FORBIDDEN.search("from tests.conftest import DATA")
    assert FORBIDDEN.search("    from tests.integration.fix.test_fix_workflow import run_in_pty")
    assert not FORBIDDEN.search("from tests.kit.files import DATA\nfrom tests.kit import docker as dockerkit")
