"""`mlu-doctor explain`: real samples, every signature's examples and counter-examples, encodings, junk, long lines, memory."""

from __future__ import annotations

import io
import json
import os
import random
import subprocess
import sys

import pytest

from mlu_doctor.errors import ConfigError
from mlu_doctor.explain.scan import CHUNK, iter_chunks, scan_chunks
from mlu_doctor.explain.signatures import builtin_signatures, parse_signatures
from tests.kit.files import DATA

SAMPLES = [
    ("cnrt_kernel_platform_mismatch_mlu290_vs_mlu270.log", "log.cnrt-platform-mismatch"),
    ("cnmon_no_driver.txt", "log.cndev-no-driver"),
    ("coco_gdrive_download_error.txt", "log.gdrive-unreachable"),
    ("torch_mlu_core_missing.txt", "log.torch-mlu-core-missing"),
    ("yolov5_no_module_named_utils.txt", "log.no-module-utils"),
]


def ids_of(data: bytes, chunk: int = CHUNK) -> list[str]:
    result = scan_chunks(iter_chunks(io.BytesIO(data), chunk), builtin_signatures())
    return [m.signature.id for m in result.matches]


@pytest.mark.parametrize("name, sid", SAMPLES)
def test_real_samples_are_recognised(cli, name, sid):
    result = cli(["explain", "--format", "json", DATA / name])
    assert result.exit_code == 1, result.stderr
    data = json.loads(result.stdout)
    assert [f["id"] for f in data["findings"]] == [sid]
    assert data["schema_version"] == 1 and data["summary"]["recognised"] == 1
    assert data["findings"][0]["lines"] and data["findings"][0]["next"]


def test_platform_mismatch_names_both_platforms_and_all_lines(cli):
    result = cli(["explain", DATA / "cnrt_kernel_platform_mismatch_mlu290_vs_mlu270.log"])
    assert "built for MLU270, but the device is MLU290" in result.stdout
    assert "lines 8, 9, 10, 11 (4 in all)" in result.stdout
    assert "mlu-doctor check --only framework.arch-match" in result.stdout


@pytest.mark.parametrize("sig", builtin_signatures(), ids=lambda s: s.id)
def test_every_signature_recognises_its_examples(sig):
    assert sig.examples, f"{sig.id} has no examples"
    for example in sig.examples:
        assert sig.id in ids_of(example.encode() + b"\n"), example


@pytest.mark.parametrize("sig", [s for s in builtin_signatures() if s.not_examples], ids=lambda s: s.id)
def test_no_signature_matches_its_counter_examples(sig):
    for line in sig.not_examples:
        assert sig.id not in ids_of(line.encode() + b"\n"), line


def test_every_pattern_match_holds_a_keyword():
    """The byte prefilter only shows a line to the patterns when a keyword is on it."""
    for sig in builtin_signatures():
        for example in sig.examples:
            for line in example.splitlines():
                for pattern in sig.patterns:
                    m = pattern.search(line)
                    if m:
                        assert any(kw in line.encode().lower() for kw in sig.keywords), (sig.id, line)


def test_neuware_versions_are_captured(cli):
    log = b"Cambricon NEUWARE minimum version requirements not met! Require DRIVER minimum verion is 5.10.22, but current version is 5.10.10\n"
    data = json.loads(cli(["explain", "-f", "json", "-"], input=log).stdout)
    f = data["findings"][0]
    assert f["id"] == "log.neuware-version-not-met"
    assert f["captures"] == {"component": "DRIVER", "required": "5.10.22", "current": "5.10.10"}
    assert "DRIVER 5.10.10 < 5.10.22" in f["summary"]


def test_clean_log_exits_0(cli):
    result = cli(["explain", "-"], input=b"epoch 1 loss 0.5\nepoch 2 loss 0.4\n")
    assert result.exit_code == 0 and "no known error signature" in result.stdout and "2 lines" in result.stdout


def test_each_signature_reported_once_with_count(cli):
    log = b"".join(b"step %d\n[WARNING] Op running on CPU!\n" % i for i in range(50))
    data = json.loads(cli(["explain", "-f", "json", "-"], input=log).stdout)
    [f] = data["findings"]
    assert f["id"] == "log.cpu-fallback" and f["count"] == 50 and f["lines"] == [2, 4, 6, 8, 10]


def test_split_at_any_chunk_size_gives_the_same_answer():
    log = (DATA / "cnrt_kernel_platform_mismatch_mlu290_vs_mlu270.log").read_bytes() + b"CNDEV_ERROR_NO_DRIVER"
    expected = ids_of(log)
    assert expected == ["log.cnrt-platform-mismatch", "log.cndev-no-driver"]
    for size in (1, 2, 3, 7, 64, 100):
        assert ids_of(log, size) == expected


def test_gbk_utf16_and_crlf_logs():
    gbk = "错误：加载模型失败\r\nModuleNotFoundError: No module named 'utils'\r\n提示：请检查路径\r\n".encode("gbk")
    assert ids_of(gbk) == ["log.no-module-utils"]
    utf16 = "日志\nThe device you run is MLU220, but the platform in kernel is MLU270!\n".encode("utf-16")
    assert ids_of(utf16) == ["log.cnrt-platform-mismatch"]


def test_binary_junk_gives_no_traceback(cli, tmp_path):
    rng = random.Random(7)
    junk = bytes(rng.getrandbits(8) for _ in range(300_000)) + b"\x00" * 5000 + b"\xff\xfe\x00"
    path = tmp_path / "junk.bin"
    path.write_bytes(junk + b"\ncndev init failed: CNDEV_ERROR_NO_DRIVER.\n\x00\x81\x82")
    result = cli(["explain", path])
    assert result.exit_code == 1 and "log.cndev-no-driver" in result.stdout and not result.stderr
    result = cli(["explain", "-"], input=junk)  # catch_exceptions=False: a crash fails the test right here
    assert result.exit_code == 0 and not result.stderr, result.stderr
    assert result.stdout.startswith("no known error signature in <stdin> (") and "lines read)" in result.stdout


def test_a_long_line_is_scanned_in_pieces():
    filler = b"x" * (3 * CHUNK + 12345)
    line = filler + b" Op running on CPU! " + filler + b" CNDEV_ERROR_NO_DRIVER"
    chunks = [line[i:i + CHUNK] for i in range(0, len(line), CHUNK)]
    result = scan_chunks(chunks, builtin_signatures())
    assert [(m.signature.id, m.lines) for m in result.matches] == [("log.cpu-fallback", [1]), ("log.cndev-no-driver", [1])]
    assert result.lines == 1 and len(result.matches[0].excerpt) <= 300


def test_missing_file_and_directory_are_usage_errors(cli, tmp_path):
    assert cli(["explain", tmp_path / "nope.log"]).exit_code == 2
    assert cli(["explain", tmp_path]).exit_code == 2
    assert cli(["explain", "-f", "xml", DATA / "cnmon_no_driver.txt"]).exit_code == 2


def test_chinese_output(cli):
    result = cli(["explain", "--lang", "zh", DATA / "cnmon_no_driver.txt"])
    assert result.exit_code == 1
    assert "原因：" in result.stdout and "修复：" in result.stdout and "看不到寒武纪驱动" in result.stdout


def test_a_new_signature_is_a_data_change(cli, tmp_path):
    extra = tmp_path / "mine.yaml"
    extra.write_text(
        "- id: log.my-oom\n  keywords: [MLU out of memory]\n  patterns: ['MLU out of memory on card (?P<card>\\d+)']\n"
        "  title: 'card {card} ran out of memory'\n  cause: c\n  remedy: r\n  next: [{command: 'cnmon'}]\n"
    )
    result = cli(["explain", "--signatures", extra, "-f", "json", "-"], input=b"RuntimeError: MLU out of memory on card 3\n")
    [f] = json.loads(result.stdout)["findings"]
    assert f["id"] == "log.my-oom" and f["summary"] == "card 3 ran out of memory" and f["next"] == ["cnmon"]


@pytest.mark.parametrize(
    "text, message",
    [
        ("- id: Bad_Id\n  keywords: [a]\n  patterns: [a]\n  title: t\n  cause: c\n  remedy: r\n", "must look like"),
        ("- id: log.x\n  keywords: [a]\n  patterns: ['(']\n  title: t\n  cause: c\n  remedy: r\n", "bad pattern"),
        ("- id: log.x\n  patterns: [a]\n  title: t\n  cause: c\n  remedy: r\n", "missing keywords"),
        ("- id: log.x\n  keywords: [a]\n  patterns: [a]\n  title: t\n  cause: c\n  remedy: r\n  next: [{run: x}]\n", "next"),
    ],
)
def test_bad_signature_files_are_config_errors(text, message):
    with pytest.raises(ConfigError, match=message):
        parse_signatures(text, "mine.yaml")


GENERATOR = r"""
import os, sys
total = int(sys.argv[1])
block = b"".join(b"2024-01-01 12:00:%02d [INFO] epoch 3 step %06d loss 0.1234 lr 0.001 images/s 812.5\n" % (i % 60, i)
                 for i in range(12000))
tail = b"[WARNING] Op running on CPU!\n"
out = sys.stdout.buffer
written = 0
while written < total:
    out.write(block); out.write(tail); written += len(block) + len(tail)
out.write(b"y" * (8 << 20) + b" CNDEV_ERROR_NO_DRIVER\n")  # one 8 MiB line
out.write(b"The device you run is MLU290, but the platform in kernel is MLU270!\n")
"""


# The explain process reports its own peak (VmHWM belongs to its address space, which exec replaces): the
# rusage of a child forked from a large pytest process would count the parent's pages copied before exec.
RUN_AND_REPORT_PEAK = r"""
import re, runpy, sys
sys.argv = ["mlu_doctor", "explain", "-f", "json", "-"]
try:
    runpy.run_module("mlu_doctor", run_name="__main__")
finally:
    with open("/proc/self/status") as fh:
        sys.stderr.write("VmHWM_KiB=" + re.search(r"VmHWM:\s*(\d+)", fh.read()).group(1) + "\n")
"""


@pytest.mark.slow  # streams 1 GiB through the scanner (about 10 s)
def test_large_log_in_constant_memory(tmp_path):
    """Stream MLU_DOCTOR_EXPLAIN_TEST_MB (default 1024: the issue's 1 GB) MB through stdin; the explain process stays small."""
    size = int(os.environ.get("MLU_DOCTOR_EXPLAIN_TEST_MB", "1024")) << 20
    gen = subprocess.Popen([sys.executable, "-c", GENERATOR, str(size)], stdout=subprocess.PIPE)
    proc = subprocess.Popen([sys.executable, "-c", RUN_AND_REPORT_PEAK], stdin=gen.stdout, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env={**os.environ, "LANG": "C.UTF-8"})
    gen.stdout.close()
    out, err = proc.communicate()
    gen.wait()
    data = json.loads(out)
    assert proc.returncode == 1
    assert [f["id"] for f in data["findings"]] == ["log.cpu-fallback", "log.cndev-no-driver", "log.cnrt-platform-mismatch"]
    assert data["summary"]["bytes_read"] > size
    assert data["findings"][0]["count"] == data["summary"]["lines_read"] // 12001
    peak_mib = int(err.decode().rsplit("VmHWM_KiB=", 1)[1].split()[0]) / 1024
    assert peak_mib < 100, f"peak RSS {peak_mib:.0f} MiB"


@pytest.mark.parametrize("gap, expected", [(0, "log.yolo-checkpoint-models"), (5, "log.yolo-checkpoint-models"),
                                           (6, "log.no-module-utils")])
def test_context_must_be_within_context_lines_before(gap, expected):
    log = b"    result = unpickler.load()\n" + b"filler\n" * gap + b"ModuleNotFoundError: No module named 'models'\n"
    assert ids_of(log) == [expected]
    assert ids_of(log, 7) == [expected]  # the context survives chunk boundaries


def test_a_superseded_signature_is_dropped_log_wide_only_when_the_specific_one_matched():
    plain = b"ModuleNotFoundError: No module named 'utils'\n"
    shadow = b"ModuleNotFoundError: No module named 'utils.datasets'; 'utils' is not a package\n"
    assert ids_of(plain) == ["log.no-module-utils"]
    assert ids_of(plain + shadow) == ["log.yolo-utils-shadowed"]
