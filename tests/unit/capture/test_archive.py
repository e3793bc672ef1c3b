"""`check --capture FILE` with files that are not captures, or hostile ones: one line, exit 2, nothing extracted."""

from __future__ import annotations

import gzip
import io
import json
import os
import re
import tarfile

import pytest

from mlu_doctor.capture import archive
from tests.kit.files import write


def manifest(**host: object) -> dict:
    system = {"label": "host", "root": "/", "is_host": False, "can_run": False, "environ": {}, "paths": {}}
    system.update(host)
    return {"format": "mlu-doctor-capture", "version": 1, "systems": {"host": system}}


def tarball(path, members: list[tuple[tarfile.TarInfo, bytes]], data: dict | None = None) -> str:
    """A .tar.gz holding capture.json (`data`, default a valid empty capture) and then `members`."""
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb") as gz, tarfile.open(fileobj=gz, mode="w") as tar:
        text = json.dumps(manifest() if data is None else data).encode()
        info = tarfile.TarInfo("capture.json")
        info.size = len(text)
        tar.addfile(info, io.BytesIO(text))
        for info, body in members:
            tar.addfile(info, io.BytesIO(body) if info.isreg() else None)
    write(path, out.getvalue())
    return str(path)


def regular(name: str, body: bytes = b"x") -> tuple[tarfile.TarInfo, bytes]:
    info = tarfile.TarInfo(name)
    info.size = len(body)
    return info, body


def check(cli, path) -> tuple[int, str]:
    result = cli(["check", "--capture", path])
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    return result.exit_code, result.stderr


def test_a_valid_empty_capture_replays(cli, tmp_path):
    result = cli(["check", "--capture", tarball(tmp_path / "c.tar.gz", [])])
    assert result.exit_code == 0  # nothing known: unknown (skips), never a fail that drains a node
    assert re.search(r"skip +device.present +unknown whether a Cambricon card is present", result.stdout)


@pytest.mark.parametrize("name", ["/etc/passwd", "host/files/../../../x", "./../x", "a//b", "host\\files\\x"])
def test_unsafe_member_names_are_refused(cli, tmp_path, name):
    code, err = check(cli, tarball(tmp_path / "c.tar.gz", [regular(name)]))
    assert code == 2 and "unsafe member name" in err
    assert not os.path.exists("/x") and not (tmp_path / "x").exists()


def test_links_are_never_followed_or_read(cli, tmp_path):
    link = tarfile.TarInfo("host/files/proc/modules")
    link.type, link.linkname = tarfile.SYMTYPE, "/etc/shadow"
    data = manifest(paths={"/proc/modules": {"data": {"member": "host/files/proc/modules"}}})
    code, err = check(cli, tarball(tmp_path / "c.tar.gz", [(link, b"")], data))
    assert code == 2 and "member host/files/proc/modules is missing or not a regular file" in err


def test_a_member_the_manifest_names_must_exist(cli, tmp_path):
    data = manifest(paths={"/proc/modules": {"data": {"member": "host/files/proc/modules"}}})
    code, err = check(cli, tarball(tmp_path / "c.tar.gz", [], data))
    assert code == 2 and "is missing" in err


def test_a_gzip_bomb_stops_at_the_inflation_cap(cli, tmp_path, monkeypatch):
    monkeypatch.setattr(archive, "INFLATED_LIMIT", 1 << 20)
    path = tarball(tmp_path / "c.tar.gz", [regular("host/files/big", b"\0" * (4 << 20))])
    assert os.path.getsize(path) < 64 * 1024
    code, err = check(cli, path)
    assert code == 2 and "inflates to more than 1 MiB" in err


def test_members_and_files_are_capped(cli, tmp_path, monkeypatch):
    monkeypatch.setattr(archive, "MEMBER_LIMIT", 1000)
    code, err = check(cli, tarball(tmp_path / "c.tar.gz", [regular("host/files/big", b"y" * 2000)]))
    assert code == 2 and "member host/files/big is larger than" in err
    monkeypatch.setattr(archive, "MAX_MEMBERS", 3)
    code, err = check(cli, tarball(tmp_path / "d.tar.gz", [regular(f"m{i}") for i in range(5)]))
    assert code == 2 and "more than 3 members" in err
    monkeypatch.setattr(archive, "FILE_LIMIT", 10)
    code, err = check(cli, tarball(tmp_path / "e.tar.gz", []))
    assert code == 2 and "is larger than 0 MiB: not a capture" in err


@pytest.mark.parametrize("content, words", [
    (b"\x1f\x8b\x08\x00garbage", "is not a readable capture tarball"),
    (b"hello", "is not a capture (a .tar.gz from `mlu-doctor capture`"),
    (json.dumps({"schema_version": 1}).encode(), "is not an mlu-doctor capture"),
    (json.dumps({**manifest(), "version": 99}).encode(), "is capture version 99; this mlu-doctor reads version 1"),
    (json.dumps(manifest(paths={"/x": {"list": "not a list"}})).encode(), "bad or missing systems.host.paths[/x].list"),
    (json.dumps(manifest(runs=[{"argv": "cnmon"}])).encode(), "bad or missing systems.host.runs.argv"),
    (json.dumps({"format": "mlu-doctor-capture", "version": 1, "systems": {}}).encode(), "bad or missing systems.host"),
    (b"[" * 100_000, "not a capture"),
])
def test_files_that_are_not_captures(cli, tmp_path, content, words):
    code, err = check(cli, write(tmp_path / "c", content))
    assert code == 2 and words in err


def test_fifo_and_missing_file(cli, tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    code, err = check(cli, fifo)
    assert code == 2 and "is a FIFO (named pipe), not a capture" in err
    code, err = check(cli, tmp_path / "nothing.tar.gz")
    assert code == 2 and "cannot read capture" in err


@pytest.mark.parametrize("extra", [["--root", "/tmp"], ["--python", "python3"], ["--project", "."],
                                   ["--container", "c"], ["--facts", "f.json"]])
def test_capture_cannot_be_combined_with_live_options(cli, tmp_path, extra):
    result = cli(["check", "--capture", tarball(tmp_path / "c.tar.gz", []), *extra])
    assert result.exit_code == 2 and "--capture cannot be combined with " + extra[0] in result.stderr
