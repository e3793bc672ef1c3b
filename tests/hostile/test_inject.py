"""inject against a real container with a hostile SRC or DEST: FIFOs and sockets in SRC are reported, an
unreadable folder is reported and makes the copy incomplete (exit 3, one line), names holding a newline are
copied and verified once (a re-run sends nothing), `//` and friends are the root and refused. Each case is
judged like the others (tests/hostile/harness.py); what landed in the container is checked too."""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import pytest

from tests.hostile import files
from tests.hostile.harness import Case, judge, make_box

pytestmark = [pytest.mark.docker, pytest.mark.slow]
IMAGE = "mlu-doctor-test/fix-busybox"
# the CLI without the capabilities that let root read anything: a folder with mode 000 is unreadable to it
NO_DAC = ("setpriv", "--inh-caps=-dac_override,-dac_read_search", "--bounding-set=-dac_override,-dac_read_search")


@pytest.fixture(scope="module")
def ctr(docker_client):
    from tests.kit.docker import busybox_image, run_container

    busybox_image(docker_client, IMAGE)
    made = run_container(docker_client, IMAGE, name=f"mlu-doctor-test-hostile-{uuid.uuid4().hex[:8]}")
    yield made
    made.remove(force=True)


def sh(ctr, script: str) -> str:
    return ctr.exec_run(["sh", "-c", script])[1].decode("utf-8", "replace")


def tree(box: Path, special: bool = False, locked: bool = False, newline: bool = False) -> None:
    src = box / "in" / "src"
    (src / "sub").mkdir(parents=True)
    (src / "ok.txt").write_text("ok\n")
    (src / "sub" / "deep.txt").write_text("deep\n")
    if special:
        files.fifo(box, "in/src/a-fifo")
        files.unix_socket(box, "in/src/a-socket")
    if locked:
        (src / "locked").mkdir()
        (src / "locked" / "secret.txt").write_text("s\n")
        (src / "locked").chmod(0)
    if newline:
        (src / "new\nline.txt").write_text("nl\n")
        (src / "dir\nwith newline").mkdir()
        (src / "dir\nwith newline" / "inner.txt").write_text("inner\n")


def inject(dest: str, *more: str) -> tuple[str, ...]:
    return ("inject", "--container", "{ctr}", *more, "{box}/in/src", dest)


def test_fifos_and_sockets_in_src_are_reported_not_dropped_silently(ctr, tmp_path):
    dest = f"/h/{uuid.uuid4().hex[:6]}"
    case = Case("inject/special-files", "message", inject(dest), 0, lines=0,
                setup=lambda box: tree(box, special=True))
    run = judge(case, make_box(tmp_path / "box"), ctr=ctr.name)
    assert "not copied (not files, folders or links): a-fifo (a FIFO (named pipe)), a-socket (a socket)" in run.stdout
    assert sh(ctr, f"ls {dest}").split() == ["ok.txt", "sub"]


def test_an_unreadable_folder_in_src_is_reported_and_the_copy_is_incomplete(ctr, tmp_path):
    if not shutil.which("setpriv"):
        pytest.skip("needs setpriv (util-linux) to drop root's DAC override")
    dest = f"/h/{uuid.uuid4().hex[:6]}"
    case = Case("inject/unreadable-folder", "crash", inject(dest), 3, lines=0,  # the closing block says why
                setup=lambda box: tree(box, locked=True))
    box = make_box(tmp_path / "box")
    try:
        run = judge(case, box, prefix=NO_DAC, ctr=ctr.name)
    finally:
        (box / "in/src/locked").chmod(0o755)  # so pytest can clean up
    assert "NOT COPIED, could not be read in SRC: locked/ (Permission denied)" in run.stdout
    assert "exit 3: 1 path(s) of SRC could not be read and were not copied: locked/" in run.stdout
    assert sh(ctr, f"cat {dest}/sub/deep.txt") == "deep\n"


@pytest.mark.parametrize("via", ["archive", "exec"])
def test_names_holding_a_newline_are_copied_and_verified_once(ctr, tmp_path, via):
    dest = f"/h/{uuid.uuid4().hex[:6]}"
    box = make_box(tmp_path / "box")
    first = Case("inject/newline-first", "crash", inject(dest, "--via", via, "--verify", "sha256"), 0, lines=0,
                 setup=lambda b: tree(b, newline=True))
    run = judge(first, box, ctr=ctr.name)
    assert "sent 4 files" in run.stdout and "verify (sha256): ok" in run.stdout
    again = Case("inject/newline-again", "crash", inject(dest, "--via", via), 0, lines=0)
    run = judge(again, box, ctr=ctr.name)
    assert "nothing to send: DEST already has every file" in run.stdout and "verify (listing): ok" in run.stdout
    assert sh(ctr, f"cat '{dest}/dir\nwith newline/inner.txt'") == "inner\n"


@pytest.mark.parametrize("dest", ["/", "//", "///", "/./", "/..", "//.//", "relative/dir", ""])
def test_a_dest_that_is_the_root_or_not_absolute_is_refused(ctr, tmp_path, dest):
    case = Case(f"inject/dest-{dest!r}", "outside-write", inject(dest), 2, says=("DEST",),
                setup=lambda box: tree(box))
    judge(case, make_box(tmp_path / "box"), ctr=ctr.name)


@pytest.mark.parametrize("kind", ["fifo", "missing", "file", "dev-zero"])
def test_a_src_that_is_not_a_folder_is_refused(ctr, tmp_path, kind):
    build = {"fifo": files.fifo, "missing": files.missing, "file": files.text("x"), "dev-zero": files.dev_zero}[kind]
    case = Case(f"inject/src-{kind}", "exit-code", inject("/h/x"), 2, says=("SRC", "is not a directory"),
                setup=lambda box: (build(box, "in/src"), os.path.exists(box / "in/src")))
    judge(case, make_box(tmp_path / "box"), ctr=ctr.name)


def test_an_unknown_container_is_a_usage_error(docker_client, tmp_path):
    case = Case("inject/no-such-container", "exit-code", inject("/h/x"), 2, says=("no-such-container-xyz",),
                setup=lambda box: tree(box))
    judge(case, make_box(tmp_path / "box"), ctr="no-such-container-xyz")
