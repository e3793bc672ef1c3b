"""The tar stream without Docker: exact length, readable by tarfile, a file that shrinks."""

from __future__ import annotations

import io
import tarfile

from mlu_doctor.inject.tarstream import StreamStats, generate, stream_length
from mlu_doctor.inject.tree import (
    scan,
)
from tests.kit.files import sample_tree


def test_stream_is_exact_and_tarfile_reads_it_back(tmp_path):
    src = sample_tree(tmp_path / "src")
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


def test_a_file_that_shrinks_keeps_the_stream_valid_and_is_flagged(tmp_path):
    src = sample_tree(tmp_path / "src")
    entries = list(scan(str(src)))
    (src / "a/b/x.bin").write_bytes(b"short")
    stats = StreamStats()
    data = b"".join(generate(str(src), entries, 0, 0, stats))
    assert len(data) == stream_length(entries, 0, 0) and stats.changed == ["a/b/x.bin"]
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        assert tar.getmember("a/b/x.bin").mtime == 0  # the next run sends it again
