"""explain, fetch-coco and inject end a problem with the exit code and why, then what to do next."""

from __future__ import annotations

from mlu_doctor.inject.render import closing, exit_code
from mlu_doctor.inject.run import InjectResult
from tests.kit.files import DATA

LOG = DATA / "cnrt_kernel_platform_mismatch_mlu290_vs_mlu270.log"


def test_explain_ends_with_the_exit_code_and_the_first_command_to_run(cli, tmp_path):
    result = cli(["explain", LOG])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-2:] == [
        "exit 1: 1 failure recognised (log.cnrt-platform-mismatch)",
        "Next: run `mlu-doctor check --only framework.arch-match` (for log.cnrt-platform-mismatch)"]
    clean = tmp_path / "clean.log"
    clean.write_text("epoch 1 loss 0.5\n")
    assert "exit" not in cli(["explain", clean]).stdout


def test_explain_warnings_alone_exit_0_and_say_so(cli, tmp_path):
    log = tmp_path / "cpu.log"
    log.write_text("[WARNING] Op running on CPU!\n")  # an example of log.cpu-fallback in signatures.yaml
    result = cli(["explain", log])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-2] == "exit 0: warnings only, no failure recognised (log.cpu-fallback)"


def test_fetch_coco_verify_only_says_why_exit_1_and_how_to_get_the_rest(cli, tmp_path):
    result = cli(["fetch-coco", "--year", "2014", "--layout", "yolov3", "--dest", tmp_path / "coco", "--verify-only"])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-2:] == [
        "exit 1: --verify-only found 5 problem(s) (above)",
        "Next: run the same command without --verify-only to download and extract what is missing."]


def test_inject_mismatch_is_exit_3_with_a_reason_and_a_clean_copy_says_nothing_more():
    bad = InjectResult("train", "/data/coco", "/coco", verify_method="listing", verified=False, mismatches=["a.jpg"])
    assert exit_code(bad) == 3
    assert closing(bad).splitlines()[0] == "exit 3: the verification (listing) found 1 path(s) that differ in the container"
    good = InjectResult("train", "/data/coco", "/coco", verified=True)
    assert exit_code(good) == 0 and closing(good) == ""
    moving = InjectResult("train", "/data/coco", "/coco", verified=True, changed_during_copy=["log.txt"])
    assert closing(moving).startswith("exit 0: copied and verified, but 1 file(s) changed while copying\nNext: ")
