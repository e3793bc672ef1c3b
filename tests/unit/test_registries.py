"""The registries (import tables): every entry is what its key says, in an order that works."""

from __future__ import annotations

import pytest

from mlu_doctor.checks import builtin_checks
from mlu_doctor.cli import COMMANDS
from mlu_doctor.facts import closure, probes
from mlu_doctor.facts.model import SECTIONS
from mlu_doctor.recipes import RECIPES


def test_every_fact_section_has_one_probe_after_the_sections_it_reads():
    table = probes()
    assert set(table) == set(SECTIONS)
    order = list(table)
    for name, probe in table.items():
        assert all(order.index(dep) < order.index(name) for dep in probe.reads), name


def test_closure_adds_what_a_section_reads_in_gathering_order():
    assert closure(["datasets"]) == ["env", "framework", "project", "datasets"]
    assert closure(["driver", "nonsense"]) == ["device", "driver"]


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_each_command_loader_returns_the_app_defining_that_command(name):
    assert name in [c.name for c in COMMANDS[name]().registered_commands]


def test_builtin_check_and_recipe_ids_are_unique():
    ids = [c.id for c in builtin_checks()]
    assert len(ids) == len(set(ids)) and {c.origin for c in builtin_checks()} == {"builtin"}
    recipe_ids = [cls.id for cls in RECIPES]
    assert len(recipe_ids) == len(set(recipe_ids)) and all(recipe_ids)
