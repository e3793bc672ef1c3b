"""Hostile manifests are usage errors (exit 2) that write nothing, never a crash or a write outside DEST."""

from __future__ import annotations

import pytest
import yaml

from mlu_doctor.download.manifest import load_manifest, parse_manifest
from mlu_doctor.errors import UsageError

GOOD = {"name": "val2017.zip", "path": "zips/val2017.zip", "part": "val", "size": 10, "sha256": "a" * 64,
        "extract_to": "images", "images": 1}


def manifest(**changes):
    return {"years": {"2017": {"archives": [{**GOOD, **changes}]}}}


@pytest.mark.parametrize("changes, words", [
    ({"name": "../../X.zip"}, "plain file name"),
    ({"name": "/etc/X.zip"}, "plain file name"),
    ({"name": ".."}, "plain file name"),
    ({"extract_to": "../../X"}, "leads outside"),
    ({"extract_to": "/abs/X"}, "leads outside"),
    ({"extract_to": "images/../../X"}, "leads outside"),
    ({"size": "12abc"}, "size '12abc'"),
    ({"size": -5}, "size -5"),
    ({"size": 1.5}, "size 1.5"),
    ({"size": True}, "size True"),
    ({"images": -1}, "images -1"),
])
def test_hostile_archive_entries_are_usage_errors(changes, words):
    with pytest.raises(UsageError, match="manifest") as info:
        parse_manifest(manifest(**changes))
    assert words in str(info.value)


def test_hostile_year_and_holdout():
    with pytest.raises(UsageError, match="letters and digits"):
        parse_manifest({"years": {"../x": {"archives": []}}})
    with pytest.raises(UsageError, match="holdout"):
        parse_manifest({"years": {"2017": {"holdout": "5k", "archives": []}}})


@pytest.mark.parametrize("changes", [{"name": "../../X.zip"}, {"extract_to": "../../X"}, {"size": "12abc"}])
def test_cli_exit_2_and_nothing_written(cli, tmp_path, changes):
    path = tmp_path / "m.yaml"
    path.write_text(yaml.safe_dump({"official": "", **manifest(**changes)}))
    dest = tmp_path / "box" / "dest"
    result = cli(["fetch-coco", "--year", "2017", "--dest", dest, "--manifest", path, "--parts", "val",
                  "--mirror", "http://127.0.0.1:9/"], env={"MLU_DOCTOR_COCO_MIRROR": ""})
    assert result.exit_code == 2, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "manifest" in result.stderr
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["m.yaml"]


def test_bundled_manifest_pins_every_archive():
    m = load_manifest()
    names = {a.name for y in m.years.values() for a in y.archives}
    assert len(names) == 8 and m.official == "http://images.cocodataset.org/"
    train17 = next(a for a in m.year("2017").archives if a.name == "train2017.zip")
    assert train17.size == 19336861798 and train17.sha256.startswith("69a8bb58") and train17.images == 118287
    assert [a.part for a in m.year("2014").select(("labels",))] == ["annotations"]


def test_manifest_errors_are_usage_errors():
    with pytest.raises(UsageError, match="malformed sha256"):
        parse_manifest({"years": {"2017": {"archives": [
            {"name": "a.zip", "path": "a.zip", "part": "val", "size": 1, "sha256": "abc"}]}}})
    with pytest.raises(UsageError, match="no COCO year 2019"):
        load_manifest().year("2019")
