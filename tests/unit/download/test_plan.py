"""The fetch plan is pure: layout, splits, mirrors, limits; done archives are skipped."""

from __future__ import annotations

import pytest

from mlu_doctor.download.manifest import load_manifest
from mlu_doctor.download.plan import FetchRequest, Survey, make_plan
from mlu_doctor.errors import UsageError


def test_plan_is_pure_and_skips_what_is_done():
    m = load_manifest()
    req = FetchRequest(year="2017", dest="/data/coco", mirrors=("http://mine/",))
    survey = Survey(extracted=frozenset({"val2017.zip"}), partial={"train2017.zip": 1000})
    plan = make_plan(req, m, survey, environ={})
    actions = {s.archive.name: s.action for s in plan.steps}
    assert actions == {"train2017.zip": "resume", "val2017.zip": "skip", "annotations_trainval2017.zip": "download"}
    assert plan.download_bytes == 19336861798 - 1000 + 252907541
    assert plan.layout == "yolov5" and plan.label_splits == ("train2017", "val2017")
    assert plan.mirrors == ("http://mine/", "http://images.cocodataset.org/")
    with pytest.raises(UsageError, match="between 1 and 16"):
        make_plan(FetchRequest(year="2017", dest="d", connections=17), m, Survey(), {})

