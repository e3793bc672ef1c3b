"""Mirror order and ranking."""

from __future__ import annotations

from mlu_doctor.download.mirrors import Probe, mirror_list, rank


def test_mirror_order_and_ranking():
    env = {"MLU_DOCTOR_COCO_MIRROR": "http://env/, http://cli/"}
    assert mirror_list(["http://cli"], ["http://cfg/"], "http://official/", env) == (
        "http://cli", "http://env/", "http://cfg/", "http://official/")
    probes = [Probe("a", True, ranges=True, speed=100), Probe("b", True, ranges=True, speed=180),
              Probe("c", True, ranges=False, speed=300), Probe("d", False, "HTTP 403")]
    assert [p.mirror for p in rank(probes, 4)] == ["a", "b", "c"]

