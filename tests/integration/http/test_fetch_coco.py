"""fetch-coco against a real nginx on 127.0.0.1 and a fault-injecting server."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mlu_doctor.download import FetchRequest, fetch, plan_fetch
from mlu_doctor.errors import CannotRun

pytestmark = pytest.mark.skipif(not os.path.exists("/usr/sbin/nginx"), reason="nginx not installed")
# dataset, nginx, faults, manifest: the package conftest (one mirror tree and one nginx per session)


def archive(dataset, year, name):
    return next(a for a in dataset[1]["years"][year]["archives"] if a["name"] == name)


def run_json(cli, args):
    result = cli([*args, "--format", "json"], env={"MLU_DOCTOR_COCO_MIRROR": ""})
    return result, (json.loads(result.stdout) if result.stdout.startswith("{") else None)


def test_full_fetch_2017_yolov5_layout_then_rerun_skips(cli, nginx, manifest, tmp_path, dataset):
    dest = tmp_path / "datasets" / "coco"
    args = ["fetch-coco", "--year", "2017", "--dest", dest, "--manifest", manifest, "--mirror", nginx.url]
    result, data = run_json(cli, args)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert [f["status"] for f in data["files"]] == ["downloaded"] * 3
    train = data["files"][0]
    assert train["mirror"] == nginx.url and train["bytes"] == archive(dataset, "2017", "train2017.zip")["size"]
    assert train["sha256"] == archive(dataset, "2017", "train2017.zip")["sha256"]
    assert len(list((dest / "images/train2017").glob("*.jpg"))) == 32
    assert len(list((dest / "images/val2017").glob("*.jpg"))) == 10
    assert (dest / "annotations/instances_val2017.json").is_file()
    assert (dest / "labels/val2017/000000000033.txt").read_text().startswith("16 0.09375 0.09375 0.15625")
    assert not (dest / "labels/val2017/000000000037.txt").exists()  # background image: no file
    assert (dest / "labels/val2017/000000000036.txt").read_text() == ""  # crowd only: empty, as ultralytics
    lines = (dest / "val2017.txt").read_text().splitlines()
    assert len(lines) == 10 and lines[0] == "./images/val2017/000000000033.jpg"
    yaml_text = (dest / "coco.yaml").read_text()
    assert f"path: {dest}" in yaml_text and "train: train2017.txt" in yaml_text and "  79: toothbrush" in yaml_text
    before = len(nginx.served("train2017.zip"))
    again, data2 = run_json(cli, args)
    assert again.exit_code == 0
    assert {f["status"] for f in data2["files"]} == {"extracted"}
    assert {e["status"] for e in data2["extracted"]} == set()
    assert {lab["status"] for lab in data2["labels"]} == {"skipped"}
    assert len(nginx.served("train2017.zip")) == before  # nothing fetched again


def test_2014_yolov3_layout_lists_and_data_file(cli, nginx, manifest, tmp_path):
    dest = tmp_path / "coco"
    result, data = run_json(cli, ["fetch-coco", "--year", "2014", "--dest", dest, "--manifest", manifest,
                                  "--mirror", nginx.url + "capped/", "--connections", "8"])
    assert result.exit_code == 0, result.stderr
    five = (dest / "5k.txt").read_text().splitlines()
    rest = (dest / "trainvalno5k.txt").read_text().splitlines()
    assert five == [f"../coco/images/val2014/COCO_val2014_{i:012d}.jpg" for i in (33, 34, 35)]
    assert len(rest) == 20 + 3 and rest[0] == "../coco/images/train2014/COCO_train2014_000000000001.jpg"
    assert (dest / "coco2014.data").read_text().splitlines() == [
        "classes=80", "train=../coco/trainvalno5k.txt", "valid=../coco/5k.txt", "names=data/coco.names"]
    assert (dest / "labels/train2014/COCO_train2014_000000000001.txt").is_file()


@pytest.mark.parametrize("bad, reason", [
    ("html", "HTML"), ("forbidden", "HTTP 403"), ("missing", "HTTP 404"),
])
def test_bad_mirror_is_skipped_with_reason(cli, nginx, faults, manifest, tmp_path, bad, reason):
    result, data = run_json(cli, ["fetch-coco", "--year", "2017", "--dest", tmp_path / "c", "--manifest", manifest,
                                  "--parts", "val", "--mirror", faults.url(bad), "--mirror", nginx.url])
    assert result.exit_code == 0, result.stderr
    tried = data["files"][0]["tried"]
    assert tried[0]["outcome"] == "skipped" and reason in tried[0]["reason"]
    assert tried[1] == {"mirror": nginx.url, "outcome": "used", "reason": "", "bytes": data["files"][0]["bytes"]}


def test_html_only_mirror_fails_cleanly(cli, faults, manifest, tmp_path):
    result, _ = run_json(cli, ["fetch-coco", "--year", "2017", "--dest", tmp_path / "c", "--manifest", manifest,
                               "--parts", "val", "--mirror", faults.url("html")])
    assert result.exit_code == 4
    assert "every mirror failed" in result.stderr and "HTML" in result.stderr
    assert "Traceback" not in result.stderr


def test_wrong_bytes_are_refetched_from_another_mirror(cli, nginx, faults, manifest, tmp_path, dataset):
    # The paced mirror probes far slower, so the wrong-bytes mirror is used first.
    dest = tmp_path / "c"
    args = ["fetch-coco", "--year", "2017", "--dest", dest, "--manifest", manifest, "--parts", "val"]
    result, data = run_json(cli, [*args, "--mirror", faults.url("wrong")])
    assert result.exit_code == 4 and "SHA-256" in result.stderr
    result, data = run_json(cli, [*args, "--mirror", faults.url("wrong"), "--mirror", faults.url("paced")])
    assert result.exit_code == 0, result.stderr
    val = data["files"][0]
    outcomes = {t["mirror"]: (t["outcome"], t["reason"]) for t in val["tried"]}
    assert outcomes[faults.url("wrong")][0] == "dropped" and "SHA-256" in outcomes[faults.url("wrong")][1]
    assert hashlib.sha256((dest / "downloads/val2017.zip").read_bytes()).hexdigest() == \
        archive(dataset, "2017", "val2017.zip")["sha256"]


def test_mixed_mirror_bytes_are_retried_from_one_mirror_before_blaming(cli, nginx, manifest, tmp_path, dataset):
    """A .part resumed from another mirror holds wrong bytes: neither mirror can be blamed, so the file is
    fetched again from the best mirror alone (the state records which pieces each mirror wrote)."""
    from mlu_doctor.download.state import PartState, piece_size_for

    entry = archive(dataset, "2017", "train2017.zip")
    downloads = tmp_path / "c" / "downloads"
    downloads.mkdir(parents=True)
    st = PartState.fresh(entry["size"], entry["sha256"], piece_size_for(entry["size"], 4))
    (downloads / "train2017.zip.part").write_bytes(b"PK\x03\x04" + b"\xee" * (st.piece - 4))
    st.advance(0, st.piece, "http://old-mirror.invalid/")
    st.save(str(downloads / "train2017.zip.part.state"))
    result, data = run_json(cli, ["fetch-coco", "--year", "2017", "--dest", tmp_path / "c", "--manifest", manifest,
                                  "--parts", "train", "--mirror", nginx.url])
    assert result.exit_code == 0, result.stderr
    train = data["files"][0]
    assert train["status"] == "resumed" and "several mirrors" in train["note"] and "old-mirror.invalid" in train["note"]
    # every byte this mirror delivered in this run: the missing pieces, then the whole file again alone
    again = 2 * entry["size"] - st.piece
    assert train["tried"] == [{"mirror": nginx.url, "outcome": "used", "reason": "", "bytes": again}]
    assert train["bytes"] == again
    assert hashlib.sha256((downloads / "train2017.zip").read_bytes()).hexdigest() == entry["sha256"]
    assert set(train["timing"]) == {"probe", "transfer", "verify", "rename"}


def test_no_range_mirror_single_stream(cli, faults, manifest, tmp_path):
    result, data = run_json(cli, ["fetch-coco", "--year", "2017", "--dest", tmp_path / "c", "--manifest", manifest,
                                  "--parts", "val", "--mirror", faults.url("norange")])
    assert result.exit_code == 0, result.stderr
    assert data["files"][0]["status"] == "downloaded"


def test_dropped_connections_are_retried(cli, faults, manifest, tmp_path):
    faults.handler.flaky_left["n"] = 3
    result, data = run_json(cli, ["fetch-coco", "--year", "2017", "--dest", tmp_path / "c", "--manifest", manifest,
                                  "--parts", "val", "--mirror", faults.url("flaky")])
    assert result.exit_code == 0, result.stderr
    assert faults.handler.flaky_left["n"] <= 0


def test_stalled_mirror_is_dropped_and_partial_finished_elsewhere(cli, nginx, faults, manifest, tmp_path):
    dest = tmp_path / "c"
    args = ["fetch-coco", "--year", "2017", "--dest", dest, "--manifest", manifest, "--parts", "train",
            "--timeout", "1", "--connections", "2"]
    result, _ = run_json(cli, [*args, "--mirror", faults.url("stall")])
    assert result.exit_code == 4 and "stalled" in result.stderr
    assert (dest / "downloads/train2017.zip.part").exists()
    result, data = run_json(cli, [*args, "--mirror", nginx.url])
    assert result.exit_code == 0, result.stderr
    assert data["files"][0]["status"] == "resumed"


def test_no_space_is_a_clear_error_before_any_transfer(nginx, manifest, tmp_path):
    plan = plan_fetch(FetchRequest(year="2017", dest=str(tmp_path / "c"), manifest=manifest, mirrors=(nginx.url,)),
                      environ={})
    with pytest.raises(CannotRun, match="not enough free space .* need .* only 1000 B free"):
        fetch(plan, free_bytes=lambda path: 1000)
    assert not (tmp_path / "c" / "downloads").exists()


def test_from_local_uses_verified_copies_without_network(cli, dataset, manifest, tmp_path):
    local = dataset[0] / "www"
    result, data = run_json(cli, ["fetch-coco", "--year", "2017", "--dest", tmp_path / "c", "--manifest", manifest,
                                  "--mirror", "http://127.0.0.1:9/", "--from-local", local / "zips",
                                  "--from-local", local])
    assert result.exit_code == 0, result.stderr
    assert [f["status"] for f in data["files"]] == ["local"] * 3
    verify, _ = run_json(cli, ["fetch-coco", "--year", "2017", "--dest", tmp_path / "c", "--manifest", manifest,
                               "--verify-only", "--from-local", local / "zips", "--from-local", local])
    assert verify.exit_code == 0, verify.stdout
    missing, data = run_json(cli, ["fetch-coco", "--year", "2017", "--dest", tmp_path / "d", "--manifest", manifest,
                                   "--verify-only"])
    assert missing.exit_code == 1 and len(data["problems"]) == 5  # three archives, two splits of labels


def _cli_proc(args, tmp_path):
    env = {**os.environ, "NO_COLOR": "1", "MLU_DOCTOR_COCO_MIRROR": ""}
    return subprocess.Popen([sys.executable, "-m", "mlu_doctor", "fetch-coco", *map(str, args)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path)


def _wait_for_progress(state: Path, proc, at_least: int) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if sum(json.loads(state.read_text())["done"]) >= at_least:
                return
        except (OSError, ValueError):
            pass
        time.sleep(0.05)
    raise AssertionError("the download made no progress")


def test_kill_9_then_resume_fetches_at_most_one_piece_again(faults, manifest, tmp_path, dataset):
    """A paced mirror (256 KiB/s per connection, small send buffer) counts the bytes it really sent."""
    dest = tmp_path / "c"
    args = ["--year", "2017", "--dest", dest, "--manifest", manifest, "--parts", "train",
            "--mirror", faults.url("paced"), "--connections", "4"]
    before = faults.served["paced"]
    proc = _cli_proc(args, tmp_path)
    state = dest / "downloads/train2017.zip.part.state"
    _wait_for_progress(state, proc, 2 * 1024 * 1024)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    saved = json.loads(state.read_text())
    assert 0 < sum(saved["done"]) < saved["size"]
    again = _cli_proc(args, tmp_path)
    _out, err = again.communicate(timeout=120)
    assert again.returncode == 0, err.decode()
    entry = archive(dataset, "2017", "train2017.zip")
    assert hashlib.sha256((dest / "downloads/train2017.zip").read_bytes()).hexdigest() == entry["sha256"]
    extra = faults.served["paced"] - before - entry["size"]  # probe samples are written, not fetched twice
    assert extra <= saved["piece"], (extra, saved["piece"])


def test_ctrl_c_exits_130_and_keeps_the_part_file(nginx, manifest, tmp_path):
    dest = tmp_path / "c"
    args = ["--year", "2017", "--dest", dest, "--manifest", manifest, "--parts", "train",
            "--mirror", nginx.url + "slow/"]
    proc = _cli_proc(args, tmp_path)
    _wait_for_progress(dest / "downloads/train2017.zip.part.state", proc, 512 * 1024)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=20)
    assert proc.returncode == 130
    assert b"interrupted; partial downloads are kept" in err and b"Traceback" not in err
    assert (dest / "downloads/train2017.zip.part").exists()
