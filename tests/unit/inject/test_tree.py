"""The tree scan and diff without Docker: listings (whole or in pieces), batches, resume decisions."""

from __future__ import annotations

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
from tests.kit.files import sample_tree


def test_scan_lists_parents_before_children_and_never_follows_links(tmp_path):
    src = sample_tree(tmp_path / "src")
    (src / "outside").symlink_to("/etc")
    rels = [e.rel for e in scan(str(src))]
    assert rels.index("a") < rels.index("a/b") < rels.index("a/b/x.bin")
    assert not any(r.startswith("outside/") for r in rels)


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
