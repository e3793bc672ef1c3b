"""What `mlu-doctor inject` prints: a dry run says what would be sent (files, bytes), never a time or a speed."""

from __future__ import annotations

import uuid

import pytest

from mlu_doctor.i18n import set_language
from mlu_doctor.inject.render import render_human as render
from mlu_doctor.inject.run import InjectResult
from tests.kit.docker import busybox_image, run_container

IMAGE = "mlu-doctor-test/fix-busybox"


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    set_language("en")


def result(**kw) -> InjectResult:
    base = dict(container="train", src="/data/coco", dest="/d", owner=(0, 0), files_total=3, bytes_total=3 * 1024 * 1024,
                files_sent=2, bytes_sent=2 * 1024 * 1024, entries_sent=4, seconds=0.2, bind_mount="docker run -v ...")
    return InjectResult(**{**base, **kw})


def test_a_dry_run_says_what_would_be_sent_and_no_speed():
    text = render(result(dry_run=True, batches=0, free_bytes=10**9, needed_bytes=2 * 1024 * 1024))
    assert "  would send 2 files (2.0 MiB), 4 entries; dry run: nothing was sent\n" in text
    assert "MB/s" not in text and "batch" not in text and " s," not in text and "verify" not in text
    assert "space: 2.0 MiB needed, 953.7 MiB free" in text


def test_a_dry_run_in_chinese():
    set_language("zh")
    text = render(result(dry_run=True))
    assert "将发送 2 个文件（2.0 MiB），4 个条目；这是试运行，没有发送任何内容" in text
    assert "MB/s" not in text and "秒" not in text


def test_a_real_run_gives_time_and_speed_and_a_complete_one_says_nothing_was_needed():
    sent = render(result(batches=1, verified=True, checked=7))
    assert "sent 2 files (2.0 MiB), 4 entries, in 1 batch(es), 0.2 s, 10 MB/s" in sent
    done = render(result(files_sent=0, bytes_sent=0, entries_sent=0, verified=True, checked=7))
    assert "nothing to send: DEST already has every file (0.2 s)" in done and "MB/s" not in done


@pytest.mark.docker
@pytest.mark.parametrize("lang, expected", [
    ("en", "would send 2 files (6 B), 3 entries; dry run: nothing was sent"),
    ("zh", "将发送 2 个文件（6 B），3 个条目；这是试运行，没有发送任何内容"),
])
def test_inject_dry_run_on_a_real_container(cli, docker_client, tmp_path, lang, expected):
    busybox_image(docker_client, IMAGE)
    src = tmp_path / "src"
    (src / "sub").mkdir(parents=True)
    (src / "a.txt").write_text("abc")
    (src / "sub/b.txt").write_text("def")
    ctr = run_container(docker_client, IMAGE, name=f"mlu-doctor-test-fix-{uuid.uuid4().hex[:8]}")
    try:
        res = cli(["inject", "--container", ctr.name, "--dry-run", "--lang", lang, src, "/data/x"])
        assert res.exit_code == 0, res.stderr
        assert expected in res.stdout, res.stdout
        assert "MB/s" not in res.stdout and "batch" not in res.stdout and "批" not in res.stdout
        code, _out = ctr.exec_run(["test", "-e", "/data/x"])
        assert code != 0  # nothing was sent
    finally:
        ctr.remove(force=True)
