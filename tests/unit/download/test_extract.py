"""Safe extraction: no path leads out of DEST, no links, extract then skip and count images, space checked from the zip directory."""

from __future__ import annotations

import stat
import zipfile

import pytest

from mlu_doctor.download.extract import extract, unsafe_member
from mlu_doctor.download.manifest import Archive
from mlu_doctor.errors import CannotRun


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



def _other_file_system(tmp_path):
    """A folder on another file system than tmp_path (/dev/shm is a tmpfs), or None."""
    import os

    shm = "/dev/shm"
    if not os.path.isdir(shm) or os.stat(shm).st_dev == os.stat(tmp_path).st_dev or not os.access(shm, os.W_OK):
        return None
    import tempfile

    return tempfile.mkdtemp(dir=shm)


def test_a_folder_symlinked_to_another_disk_is_extracted_into(tmp_path):
    # users put `images` on a bigger disk with a symlink: a rename cannot cross file systems (EXDEV)
    import os
    import shutil

    big = _other_file_system(tmp_path)
    if big is None:
        pytest.skip("no second file system here (/dev/shm on the same device or missing)")
    try:
        dest = tmp_path / "coco"
        dest.mkdir()
        os.symlink(big, dest / "images")
        (dest / ".mlu-doctor/tmp-val2017.zip/val2017").mkdir(parents=True)  # left by a run that died of EXDEV
        members = [("val2017/a.jpg", b"a" * 10), ("val2017/b.jpg", b"b" * 20)]
        _zip(tmp_path / "val2017.zip", members)
        archive = _archive(tmp_path, "val2017.zip", images=2, extract_to="images")
        result = extract(str(tmp_path / "val2017.zip"), str(dest), archive, lambda _p: 10 ** 12)
        assert result.status == "extracted" and result.images == 2
        assert sorted(os.listdir(big)) == ["val2017"]  # nothing of the tool's left beside the images
        assert (dest / "images/val2017/b.jpg").read_bytes() == b"b" * 20 and os.path.islink(dest / "images")
        assert os.listdir(dest / ".mlu-doctor") == ["extracted"]
    finally:
        shutil.rmtree(big, ignore_errors=True)
