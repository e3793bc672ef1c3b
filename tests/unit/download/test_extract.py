"""Unit tests for fetch-coco pieces: YOLO numbers, JSON streaming, safe extraction, manifest, state, mirrors."""

from __future__ import annotations

import json
import os
import stat
import zipfile

import pytest

from mlu_doctor.download.extract import extract, unsafe_member
from mlu_doctor.download.jsonstream import scan_arrays
from mlu_doctor.download.manifest import Archive, load_manifest, parse_manifest
from mlu_doctor.download.mirrors import Probe, mirror_list, rank
from mlu_doctor.download.plan import FetchRequest, Survey, make_plan
from mlu_doctor.download.sniff import bad_magic, error_page
from mlu_doctor.download.state import PartState, load_state, piece_size_for
from mlu_doctor.download.yolo import CLASS_OF_ID, NAMES, format_line, yolo_box
from mlu_doctor.errors import CannotRun, UsageError


def test_yolo_boxes_match_the_ultralytics_converter_by_hand():
    """Each annotation's label line (duplicates are the label writer's business: tested with it)."""
    anns = [
        {"bbox": [10, 20, 100, 50], "category_id": 18, "iscrowd": 0},       # dog -> class 16
        {"bbox": [160, 120, 320, 240], "category_id": 1, "iscrowd": 0},     # person -> 0, centred
        {"bbox": [5, 5, 10, 10], "category_id": 1, "iscrowd": 1},           # crowd: skipped
        {"bbox": [300, 300, 0, 12], "category_id": 3, "iscrowd": 0},        # zero width: skipped
        {"bbox": [1, 1, 2, 2], "category_id": 12, "iscrowd": 0},            # id 12 is not one of the 80
        {"bbox": [0, 0, 0.005, 0.0048], "category_id": 90},                 # tiny: %g goes exponential
        {"bbox": [600, 400, 80, 160], "category_id": 3, "iscrowd": 0},      # past the edge: not clipped
    ]
    boxes = [yolo_box(ann, 640, 480) for ann in anns]
    assert [format_line(b) for b in boxes if b is not None] == [
        # xc = (10 + 100/2)/640, yc = (20 + 50/2)/480, w = 100/640, h = 50/480 = 0.1041666...
        "16 0.09375 0.09375 0.15625 0.104167",
        "0 0.5 0.5 0.5 0.5",
        # 0.0025/640, 0.0024/480, 0.005/640, 0.0048/480
        "79 3.90625e-06 5e-06 7.8125e-06 1e-05",
        # xc = 640/640 = 1, yc = 480/480 = 1, w = 0.125, h = 0.333333...
        "2 1 1 0.125 0.333333",
    ]


def test_label_file_writes_an_exact_duplicate_box_once(tmp_path):
    from mlu_doctor.download.labels import write_split

    box = {"image_id": 7, "bbox": [10, 20, 100, 50], "category_id": 18, "iscrowd": 0}
    doc = {"images": [{"id": 7, "file_name": "a.jpg", "width": 640, "height": 480}],
           "annotations": [box, dict(box), {**box, "bbox": [10, 20, 100, 51]}]}
    (tmp_path / "instances_val.json").write_text(json.dumps(doc), encoding="utf-8")
    write_split(str(tmp_path / "instances_val.json"), str(tmp_path / "labels"), "val", "0" * 64)
    assert (tmp_path / "labels/val/a.txt").read_text().splitlines() == [
        "16 0.09375 0.09375 0.15625 0.104167", "16 0.09375 0.0947917 0.15625 0.10625"]


def test_the_80_class_mapping():
    assert len(NAMES) == 80 and NAMES[0] == "person" and NAMES[79] == "toothbrush"
    assert CLASS_OF_ID[1] == 0 and CLASS_OF_ID[13] == 11 and CLASS_OF_ID[90] == 79
    assert not {12, 26, 29, 30, 45, 66, 68, 69, 71, 83} & set(CLASS_OF_ID)


def test_scan_arrays_streams_items_across_block_boundaries(tmp_path):
    doc = {"info": {"s": "a ] } [ \\\" \u00e9 string"}, "images": [{"id": i, "n": "x" * i} for i in range(50)],
           "empty": [], "n": 12345, "annotations": [{"id": 1, "bbox": [1.5, 2, 3, 4]}, 7, "s", None]}
    path = tmp_path / "a.json"
    path.write_text(json.dumps(doc, indent=1), encoding="utf-8")
    got: dict[str, list] = {"images": [], "annotations": []}
    scan_arrays(str(path), {k: got[k].append for k in got}, block=7)
    assert got["images"] == doc["images"] and got["annotations"] == doc["annotations"]


def test_scan_arrays_rejects_truncated_json(tmp_path):
    path = tmp_path / "a.json"
    path.write_text('{"images": [{"id": 1}, {"id": ')
    with pytest.raises(ValueError):
        scan_arrays(str(path), {"images": lambda item: None}, block=4)


def _zip(path, members):
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members:
            if isinstance(name, zipfile.ZipInfo):
                zf.writestr(name, data)
            else:
                zf.writestr(name, data)


def _archive(tmp_path, name="a.zip", images=0, extract_to="."):
    data = (tmp_path / name).read_bytes()
    import hashlib

    return Archive(name=name, path=name, part="val", size=len(data), sha256=hashlib.sha256(data).hexdigest(),
                   images=images, extract_to=extract_to, split="val2017")


@pytest.mark.parametrize("name", ["../evil.txt", "/etc/evil", "a/../../evil", "C:/evil"])
def test_extract_refuses_paths_leading_out(tmp_path, name):
    _zip(tmp_path / "a.zip", [(name, b"x")])
    with pytest.raises(CannotRun, match="refusing to extract"):
        extract(str(tmp_path / "a.zip"), str(tmp_path / "dest"), _archive(tmp_path), lambda p: 1 << 40)
    assert not (tmp_path / "evil.txt").exists()


def test_extract_refuses_links():
    info = zipfile.ZipInfo("val2017/link")
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    assert "symbolic link" in unsafe_member(info)


def test_extract_into_place_then_skip_and_count_images(tmp_path):
    members = [(f"val2017/{i:03d}.jpg", b"\xff\xd8img") for i in range(3)]
    _zip(tmp_path / "a.zip", members)
    dest = tmp_path / "dest"
    arch = _archive(tmp_path, images=3, extract_to="images")
    first = extract(str(tmp_path / "a.zip"), str(dest), arch, lambda p: 1 << 40)
    assert first.status == "extracted" and first.images == 3
    assert sorted(p.name for p in (dest / "images/val2017").iterdir()) == ["000.jpg", "001.jpg", "002.jpg"]
    assert extract(str(tmp_path / "a.zip"), str(dest), arch, lambda p: 1 << 40).status == "skipped"
    wrong = Archive(**{**arch.__dict__, "images": 4})
    with pytest.raises(CannotRun, match="holds 3 images, the manifest says 4"):
        extract(str(tmp_path / "a.zip"), str(tmp_path / "other"), wrong, lambda p: 1 << 40)


def test_extract_checks_space_from_the_zip_directory(tmp_path):
    _zip(tmp_path / "a.zip", [("annotations/x.json", b"{}" * 1000)])
    with pytest.raises(CannotRun, match="not enough free space"):
        extract(str(tmp_path / "a.zip"), str(tmp_path / "d"), _archive(tmp_path), lambda p: 10)


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


def test_state_round_trip_and_rejects_foreign_state(tmp_path):
    st = PartState.fresh(10 * 1024 * 1024 + 5, "a" * 64, piece_size_for(10 * 1024 * 1024 + 5, 4))
    st.advance(0, 100, "http://m/")
    st.save(str(tmp_path / "s"))
    back = load_state(str(tmp_path / "s"), st.size, "a" * 64)
    assert back.done == st.done and back.sources == {"http://m/": 100}
    assert load_state(str(tmp_path / "s"), st.size, "b" * 64) is None
    assert load_state(str(tmp_path / "s"), st.size + 1, "a" * 64) is None
    (tmp_path / "s").write_text("{not json")
    assert load_state(str(tmp_path / "s"), st.size, "a" * 64) is None


def test_mirror_order_and_ranking():
    env = {"MLU_DOCTOR_COCO_MIRROR": "http://env/, http://cli/"}
    assert mirror_list(["http://cli"], ["http://cfg/"], "http://official/", env) == (
        "http://cli", "http://env/", "http://cfg/", "http://official/")
    probes = [Probe("a", True, ranges=True, speed=100), Probe("b", True, ranges=True, speed=180),
              Probe("c", True, ranges=False, speed=300), Probe("d", False, "HTTP 403")]
    assert [p.mirror for p in rank(probes, 4)] == ["a", "b", "c"]


def test_error_pages_and_magic():
    assert "HTML" in error_page({"Content-Type": "text/html; charset=utf-8"}, b"")
    assert "HTML" in error_page({}, b"  <!DOCTYPE html><html>")
    assert error_page({"Content-Type": "application/zip"}, b"PK\x03\x04") is None
    assert bad_magic("a.zip", 0, b"GIF89a..") and bad_magic("a.zip", 100, b"GIF89a..") is None


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


def test_blocks_split_runs_and_steal_the_back_half():
    from mlu_doctor.download.blocks import Blocks, runs

    assert runs([0, 1, 2, 5, 6, 7], partial={6}) == [[0, 3], [5, 6], [6, 8]]
    blocks = Blocks(list(range(8)), set(), parts=2)
    assert blocks.take(0) == (0, 4) and blocks.take(1) == (4, 8)
    blocks.at(0, 3)
    blocks.at(1, 5)
    assert blocks.take(2) == (7, 8) and blocks.end_of(1) == 7  # stole the back half of the biggest block
    blocks.give_back(2)
    assert blocks.take(3) == (7, 8)


def test_prefix_hasher_follows_the_contiguous_prefix(tmp_path):
    import hashlib

    from mlu_doctor.download.prefixhash import PrefixHasher

    data = os.urandom(5 * 1024 * 1024 + 123)
    part = tmp_path / "a.part"
    part.write_bytes(b"\0" * len(data))
    st = PartState.fresh(len(data), "x", 1024 * 1024)
    hasher = PrefixHasher(str(part), st)
    try:
        with open(part, "r+b") as fh:
            for i in (1, 0, 3, 2, 5, 4):  # out of order: only the contiguous prefix may be hashed
                start, end = st.bounds(i)
                fh.seek(start)
                fh.write(data[start:end])
                fh.flush()
                st.advance(i, end - start, "http://m/")
                hasher.poke()
                assert hasher.position <= st.contiguous()
        assert hasher.finish() == hashlib.sha256(data).hexdigest()
    finally:
        hasher.release()


def test_state_keeps_mirror_ranges_and_distrusts_a_state_from_another_boot(tmp_path, monkeypatch):
    from mlu_doctor.download import state as state_mod

    st = PartState.fresh(4 * 1024 * 1024, "a" * 64, 1024 * 1024)
    st.advance(0, 1024 * 1024, "http://a/")
    st.advance(1, 1024 * 1024, "http://a/")
    fd = os.open(tmp_path / "part", os.O_RDWR | os.O_CREAT)
    try:
        st.save(str(tmp_path / "s"), flush_fd=fd)  # durable: both pieces flushed
    finally:
        os.close(fd)
    st.advance(2, 1024 * 1024, "http://b/")
    st.advance(3, 100, "http://a/")
    st.save(str(tmp_path / "s"))  # not flushed: piece 2 and 100 bytes of piece 3 live in the page cache only
    assert st.ranges() == {"http://a/": [[0, 2 * 1024 * 1024], [3 * 1024 * 1024, 4 * 1024 * 1024]],
                           "http://b/": [[2 * 1024 * 1024, 3 * 1024 * 1024]]}
    same_boot = load_state(str(tmp_path / "s"), st.size, "a" * 64)
    assert same_boot.done == st.done and same_boot.origins == [["http://a/"], ["http://a/"], ["http://b/"],
                                                                ["http://a/"]]
    monkeypatch.setattr(state_mod, "boot_id", lambda: "another-boot")
    rebooted = load_state(str(tmp_path / "s"), st.size, "a" * 64)
    assert rebooted.done == [1024 * 1024, 1024 * 1024, 0, 0] and rebooted.origins[2:] == [[], []]

