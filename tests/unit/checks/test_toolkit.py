"""toolkit.neuware on constructed facts: found, missing, not on the loader path, era mismatch."""

from __future__ import annotations

import pytest

from mlu_doctor.checks.toolkit import toolkit_neuware
from mlu_doctor.facts.model import (
    ToolkitFacts,
)
from mlu_doctor.findings import Status
from tests.kit.facts import card_facts, judge

# --- toolkit.neuware ---------------------------------------------------------------------


def tk(**kw):
    base = dict(neuware_home="/usr/local/neuware", source="/usr/local/neuware", version="3.7.2",
                libs={"cnrt": "6.7.0", "cnnl": "1.21.1"}, era="cnnl", lib64_on_ld_path=True, bin_on_path=True)
    base.update(kw)
    return ToolkitFacts(**base)


def test_toolkit_ok():
    f = judge(toolkit_neuware, card_facts(toolkit=tk()))
    assert f.status is Status.OK
    assert f.summary == "Neuware 3.7.2 at /usr/local/neuware (CNNL era; cnnl 1.21.1, cnrt 6.7.0)"


def test_toolkit_missing_warns_and_says_where_it_looked():
    f = judge(toolkit_neuware, card_facts(toolkit=ToolkitFacts(looked_at=["/usr/local/neuware", "/torch/neuware_home"])))
    assert f.status is Status.WARN and "looked at /usr/local/neuware, /torch/neuware_home" in f.summary
    assert "container" in f.details
    assert f.remedy.startswith("Install CNToolkit on the host")


def test_toolkit_missing_in_a_container_is_advice_about_the_image():
    import dataclasses

    facts = dataclasses.replace(card_facts(toolkit=ToolkitFacts(looked_at=["/usr/local/neuware"])),
                                target="container:yolo")
    f = judge(toolkit_neuware, facts)
    assert f.status is Status.WARN and "on the host" not in f.remedy
    assert f.remedy.startswith("Run an image that ships CNToolkit") and "-v /usr/local/neuware" in f.remedy


def test_toolkit_not_on_ld_path_warns_with_recipe():
    f = judge(toolkit_neuware, card_facts(toolkit=tk(lib64_on_ld_path=False, lib64_in_ld_conf=False)))
    assert f.status is Status.WARN and f.recipe == "toolkit.ld-path"
    assert "/usr/local/neuware/lib64" in f.summary and "LD_LIBRARY_PATH" in f.remedy


def test_toolkit_in_ld_conf_is_enough():
    assert judge(toolkit_neuware, card_facts(toolkit=tk(lib64_on_ld_path=False, lib64_in_ld_conf=True))).status is Status.OK


@pytest.mark.parametrize("era, family", [("cnnl", "MLU220"), ("cnml", "MLU370")])
def test_toolkit_era_mismatch_is_an_inferred_warning(era, family):
    f = judge(toolkit_neuware, card_facts(family=family, toolkit=tk(era=era)))
    assert f.status is Status.WARN and "inferred" in f.summary and family in f.summary
