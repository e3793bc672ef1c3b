"""output.files.write_atomic: the one atomic write of output and state files, on every kind of target."""

from __future__ import annotations

import errno
import os
import stat

import pytest

from mlu_doctor.errors import CannotRun, ExitCode, UsageError
from mlu_doctor.output import files
from mlu_doctor.output.files import refuse_special, write_atomic


def leftovers(folder) -> list[str]:
    return sorted(n for n in os.listdir(folder) if n.endswith(".tmp"))


def test_a_file_is_replaced_and_keeps_its_mode(tmp_path):
    path = tmp_path / "metrics.prom"
    path.write_text("old\n")
    path.chmod(0o640)
    write_atomic(str(path), "new ü\n")
    assert path.read_text(encoding="utf-8") == "new ü\n" and stat.S_IMODE(path.stat().st_mode) == 0o640
    assert leftovers(tmp_path) == []


def test_a_new_file_gets_the_mode_asked_for_less_the_umask(tmp_path):
    old = os.umask(0o027)
    try:
        write_atomic(str(tmp_path / "a"), b"x")
        write_atomic(str(tmp_path / "b"), b"x", 0o600)
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "a").stat().st_mode) == 0o640
    assert stat.S_IMODE((tmp_path / "b").stat().st_mode) == 0o600


@pytest.mark.parametrize("make, kind", [
    (lambda p: os.mkfifo(p), "a FIFO (named pipe)"),
    (lambda p: os.mkdir(p), "a directory"),
    (lambda p: os.symlink("/dev/null", p), "a device"),
])
def test_a_fifo_a_directory_or_a_device_is_refused_and_left_alone(tmp_path, make, kind):
    path = tmp_path / "out"
    make(path)
    before = os.lstat(path)
    with pytest.raises(UsageError) as info:
        write_atomic(str(path), "x")  # a FIFO with no reader: refused at once, never opened
    assert info.value.exit_code == ExitCode.USAGE
    assert str(info.value) == f"cannot write {path}: it is not a regular file but {kind}"
    with pytest.raises(UsageError):
        refuse_special(str(path))
    after = os.lstat(path)
    assert (after.st_mode, after.st_ino) == (before.st_mode, before.st_ino) and leftovers(tmp_path) == []


def test_a_fifo_where_the_tool_keeps_its_own_record_cannot_run_and_is_left_alone(tmp_path):
    # follow_symlinks=False marks the tool's own files (state, markers, journals): nobody named that path on
    # the command line, so a FIFO there is exit 4 (cannot run), not a usage error
    path = tmp_path / "val2017.zip.part.state"
    os.mkfifo(path)
    with pytest.raises(CannotRun) as info:
        write_atomic(str(path), "x", follow_symlinks=False)
    assert info.value.exit_code == ExitCode.CANNOT_RUN
    assert str(info.value) == f"cannot write {path}: it is not a regular file but a FIFO (named pipe)"
    assert stat.S_ISFIFO(os.lstat(path).st_mode) and leftovers(tmp_path) == []


def test_a_symlink_is_followed_the_target_replaced_and_the_link_kept(tmp_path):
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "report.xml"
    target.write_text("old")
    target.chmod(0o604)
    link = tmp_path / "report.xml"
    link.symlink_to(target)
    write_atomic(str(link), "new")
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text() == "new" and stat.S_IMODE(target.stat().st_mode) == 0o604
    assert leftovers(tmp_path) == [] and leftovers(tmp_path / "real") == []


def test_a_dangling_symlink_creates_its_target(tmp_path):
    link = tmp_path / "out.json"
    link.symlink_to(tmp_path / "made.json")
    write_atomic(str(link), "{}")
    assert link.is_symlink() and (tmp_path / "made.json").read_text() == "{}"


def test_without_following_the_link_itself_is_replaced(tmp_path):
    target = tmp_path / "elsewhere"
    target.write_text("keep")
    link = tmp_path / "journal.json"
    link.symlink_to(target)
    write_atomic(str(link), "mine", 0o600, follow_symlinks=False)
    assert not link.is_symlink() and link.read_text() == "mine" and target.read_text() == "keep"


def test_a_missing_folder_cannot_run(tmp_path):
    with pytest.raises(CannotRun, match="cannot write .*No such file or directory") as info:
        write_atomic(str(tmp_path / "no" / "such" / "file"), "x")
    assert info.value.exit_code == ExitCode.CANNOT_RUN


def test_a_failed_rename_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "state.json"
    path.write_text("old")

    def full(*_args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "replace", full)
    with pytest.raises(CannotRun, match="No space left on device"):
        write_atomic(str(path), "new")
    assert path.read_text() == "old" and leftovers(tmp_path) == []


def test_sync_flushes_the_file_and_its_folder_and_can_be_skipped(tmp_path, monkeypatch):
    synced: list[int] = []
    real = os.fsync
    monkeypatch.setattr(files.os, "fsync", lambda fd: synced.append(fd) or real(fd))
    write_atomic(str(tmp_path / "a"), "x")
    assert len(synced) == 2  # the data, then the rename
    write_atomic(str(tmp_path / "a"), "y", sync=False)
    assert len(synced) == 2 and (tmp_path / "a").read_text() == "y"


def test_check_output_onto_a_fifo_is_one_line_and_exit_2(cli, empty_root, tmp_path):
    fifo = tmp_path / "metrics.prom"
    os.mkfifo(fifo)
    result = cli(["check", "--root", empty_root, "--format", "prometheus", "-o", fifo])
    assert result.exit_code == 2 and result.stderr == f"mlu-doctor: cannot write {fifo}: it is not a regular file " \
                                                      "but a FIFO (named pipe)\n"
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
