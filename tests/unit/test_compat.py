"""compat.yaml: every row has a public source, versions parse, `list --compat` shows them, the driver remedy."""

from __future__ import annotations

import json

import pytest

from mlu_doctor.compat import CompatError, load_compat, newest_for_driver, parse_compat
from mlu_doctor.facts.versions import version_tuple


def test_every_row_names_a_public_source_and_parses():
    rows = load_compat()
    assert len(rows) >= 10
    for r in rows:
        assert r.sources and all(s.startswith("https://github.com/") for s in r.sources), r
        assert version_tuple(r.version) and version_tuple(r.get("driver")), r
        assert r.framework in ("torch_mlu", "catch") and r.get("cards")


def test_a_row_without_a_source_is_refused():
    with pytest.raises(CompatError, match="no public source"):
        parse_compat("releases:\n  - framework: torch_mlu\n    version: 9.9.9\n    driver: 1.0\n")
    with pytest.raises(CompatError):
        parse_compat("releases: 3\n")


@pytest.mark.parametrize("driver, version", [
    ("6.2.1", "1.22.2-torch2.1.0"), ("6.2.0", "1.22.2-torch2.1.0"), ("6.1.9", "1.17.0-torch1.13"),
    ("5.10.22", "1.17.0-torch1.13"), ("5.10.10", None), (None, None),
])
def test_newest_release_a_driver_runs(driver, version):
    row = newest_for_driver(driver)
    assert (row.version if row else None) == version  # develop-branch rows are never proposed


def test_list_compat(cli):
    result = cli(["list", "--compat"])
    assert result.exit_code == 0 and "1.22.2-torch2.1.0" in result.stdout and "source: https://github.com/" in result.stdout
    data = json.loads(cli(["list", "--compat", "--format", "json"]).stdout)
    row = next(r for r in data if r["version"] == "1.17.0-torch1.13")
    assert row["driver"] == "5.10.22-1" and row["cnnl"] == "1.21.1-1" and row["cards"] == "MLU370"
    assert cli(["list", "--compat", "--format", "xml"]).exit_code == 2


def test_driver_remedy_names_the_release_and_its_torch_builds():
    from mlu_doctor.compat import driver_remedy

    text = driver_remedy("6.2.1")
    assert "the newest torch_mlu release in mlu-doctor's compatibility data that it runs is 1.22.2" in text
    assert "(torch 2.1.0, 2.3.0, 2.4.0+cpu; needs driver >= 6.2.0-1" in text
    assert driver_remedy("1.0") == "" and driver_remedy(None) == ""
