"""The tar stream and the tree diff without Docker: exact length, readable by tarfile, resume decisions."""

from __future__ import annotations

import io
import os
import tarfile

from mlu_doctor.cli.inject import parse_owner, parse_size
from mlu_doctor.inject.run import leaves
from mlu_doctor.inject.tarstream import StreamStats, generate, stream_length
from mlu_doctor.inject.tree import (
    DIR,
    FILE,
    LINK,
    Entry,
    Remote,
    batches,
    diff,
    parse_listing,
    scan,
    under,
)


def tree(root):
    (root / "a/b").mkdir(parents=True)
    (root / "empty").mkdir()
    (root / "a/b/x.bin").write_bytes(os.urandom(70_001))
    (root / "非ASCII 名字.txt").write_text("ü\n")
    (root / ("long" * 40)).write_bytes(b"L")
    (root / "a/l").symlink_to("b/x.bin")
    return root


def test_stream_is_exact_and_tarfile_reads_it_back(tmp_path):
    src = tree(tmp_path / "src")
    entries = list(scan(str(src)))
    data = b"".join(generate(str(src), entries, 1000, 1001, StreamStats()))
    assert len(data) == stream_length(entries, 1000, 1001)
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        members = {m.name.rstrip("/"): m for m in tar.getmembers()}
        assert tar.extractfile(members["a/b/x.bin"]).read() == (src / "a/b/x.bin").read_bytes()
        assert tar.extractfile(members["非ASCII 名字.txt"]).read() == "ü\n".encode()
        assert members["long" * 40].size == 1
    assert members["a/l"].issym() and members["a/l"].linkname == "b/x.bin"
    assert members["empty"].isdir()
    assert {(m.uid, m.gid) for m in members.values()} == {(1000, 1001)}


def test_scan_lists_parents_before_children_and_never_follows_links(tmp_path):
    src = tree(tmp_path / "src")
    (src / "outside").symlink_to("/etc")
    rels = [e.rel for e in scan(str(src))]
    assert rels.index("a") < rels.index("a/b") < rels.index("a/b/x.bin")
    assert not any(r.startswith("outside/") for r in rels)


def test_a_file_that_shrinks_keeps_the_stream_valid_and_is_flagged(tmp_path):
    src = tree(tmp_path / "src")
    entries = list(scan(str(src)))
    (src / "a/b/x.bin").write_bytes(b"short")
    stats = StreamStats()
    data = b"".join(generate(str(src), entries, 0, 0, stats))
    assert len(data) == stream_length(entries, 0, 0) and stats.changed == ["a/b/x.bin"]
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        assert tar.getmember("a/b/x.bin").mtime == 0  # the next run sends it again


def test_listing_parse_and_what_is_sent():
    text = "41ed 4096 10 .\n41ed 4096 10 ./a\n81a4 5 20 ./a/f\na1ff 1 30 ./a/l\n81a4 9 20 ./a/g\nbad line\n"
    remote = parse_listing(text)
    assert remote["a/f"] == Remote(FILE, 5, 20) and remote["a/l"].kind == LINK and "" not in remote
    local = [Entry("a", DIR, 0, 99, 0o755), Entry("a/f", FILE, 5, 20, 0o644), Entry("a/g", FILE, 9, 21, 0o644),
             Entry("a/l", LINK, 1, 7, 0o777, "f"), Entry("a/new", FILE, 1, 1, 0o644)]
    assert [e.rel for e in diff(local, remote)[0]] == ["a/g", "a/new"]
    assert diff([Entry("a/f", DIR, 0, 1, 0o755), Entry("a", FILE, 1, 1, 0o644)], remote)[1] == ["a/f", "a"]


def test_batches_split_by_bytes_and_destination_folders_come_first():
    es = [Entry(f"f{i}", FILE, 40, 1, 0o644) for i in range(5)]
    assert [len(b) for b in batches(es, 100)] == [2, 2, 1]
    rerooted = under("data/coco", es[:1], 0o755, 5)
    assert [e.rel for e in rerooted] == ["data", "data/coco", "data/coco/f0"]


def test_links_leaving_src_are_spotted():
    assert leaves(Entry("a/l", LINK, 1, 1, 0o777, "../../x"))
    assert leaves(Entry("l", LINK, 1, 1, 0o777, "/etc"))
    assert not leaves(Entry("a/l", LINK, 1, 1, 0o777, "../b/x"))


def test_option_parsing():
    assert parse_size("1G") == 1 << 30 and parse_size("500M") == 500 << 20 and parse_size("4096") == 4096
    assert parse_owner("1000:100") == (1000, 100) and parse_owner(None) is None


def test_listing_parser_fed_in_arbitrary_pieces_matches_the_whole_parse():
    from mlu_doctor.inject.tree import DF_MARK, ListingParser

    text = ("41ed 4096 10 .\n81a4 5 20 ./a/f\na1ff 1 7 ./a/l\n41ed 4096 9 ./图 片\n"
            f"{DF_MARK}\n/data\ntar\nFilesystem 1024-blocks Used Available Capacity Mounted on\n")
    data = text.encode()
    for step in (1, 3, 7, len(data)):
        parser = ListingParser(DF_MARK)
        for i in range(0, len(data), step):
            parser.feed(data[i:i + step])
        remote, tail = parser.finish()
        assert remote == parse_listing(text.split(DF_MARK)[0]) and len(remote) == 3
        assert tail.startswith("/data\ntar\nFilesystem") and not parser.text_seen
    parser = ListingParser(DF_MARK)
    parser.feed(b"@@find-failed 1\n")
    assert parser.text_seen == ["@@find-failed 1"] and parser.finish() == ({}, "")


def test_diff_sends_missing_or_changed_and_reports_file_dir_clashes():
    local = [Entry("a", DIR, 0, 9, 0o755), Entry("a/f", FILE, 5, 20, 0o644), Entry("a/g", FILE, 9, 21, 0o644),
             Entry("x", FILE, 1, 1, 0o644), Entry("y", DIR, 0, 1, 0o755), Entry("n", FILE, 2, 2, 0o644)]
    remote = {"a": Remote(DIR, 0, 1), "a/f": Remote(FILE, 5, 20), "a/g": Remote(FILE, 9, 22),
              "x": Remote(DIR, 0, 1), "y": Remote(FILE, 3, 1)}
    pending, clash = diff(local, remote)
    assert clash == ["x", "y"]
    assert [e.rel for e in pending] == ["a/g", "n"]
