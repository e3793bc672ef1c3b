"""fetch-coco at real-world failure modes (issue 16): against a real nginx on 127.0.0.1 and a fault server."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time

from mlu_doctor.download.state import PartState, piece_size_for
from tests.kit.coco import FaultServer, entry
from tests.kit.files import REPO


def test_range_answered_with_a_quota_page_keeps_the_saved_progress(fetch, nginx, faults, dataset, tmp_path):
    """A mirror answers the probe, then a Range request with 200 and an HTML page: nothing saved is lost."""
    e = entry(dataset, "train2017.zip")
    blob = (dataset[0] / "www" / e["path"]).read_bytes()
    downloads = tmp_path / "c" / "downloads"
    downloads.mkdir(parents=True)
    st = PartState.fresh(e["size"], e["sha256"], piece_size_for(e["size"], 4))
    have = 3 * st.piece
    (downloads / "train2017.zip.part").write_bytes(blob[:have] + b"\0" * (e["size"] - have))
    for i in range(3):
        st.advance(i, st.piece, nginx.url)
    st.save(str(downloads / "train2017.zip.part.state"))
    faults.handler.quota_left["n"] = 1  # the probe is served, then every request gets the quota page
    result, data = fetch(tmp_path / "c", "--parts", "train", "--mirror", faults.url("quota"))
    assert result.exit_code == 4 and "HTML" in result.stderr
    saved = json.loads((downloads / "train2017.zip.part.state").read_text())
    assert sum(saved["done"][:3]) == have and sum(saved["done"]) >= have
    assert data["files"][0]["status"] == "failed" and "is kept" in data["files"][0]["note"]
    before = sum(sent for _s, sent, _r in nginx.served("train2017.zip"))
    result, data = fetch(tmp_path / "c", "--parts", "train", "--mirror", nginx.url)
    assert result.exit_code == 0, result.stderr
    assert data["files"][0]["status"] == "resumed"
    assert hashlib.sha256((downloads / "train2017.zip").read_bytes()).hexdigest() == e["sha256"]
    sent = sum(sent for _s, sent, _r in nginx.served("train2017.zip")) - before
    assert sent <= e["size"] - have  # only what was missing


def test_one_failing_archive_does_not_stop_the_others_and_json_is_written(fetch, dataset, tmp_path):
    """train2017.zip is on no mirror: val and the annotations are still fetched and labelled, JSON on stdout, exit 4."""
    www = tmp_path / "www"
    for rel in ("zips/val2017.zip", "annotations/annotations_trainval2017.zip"):
        (www / rel).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(dataset[0] / "www" / rel, www / rel)
    mirror = FaultServer(www)
    try:
        result, data = fetch(tmp_path / "c", "--mirror", mirror.url("ok"))
    finally:
        mirror.stop()
    assert result.exit_code == 4
    assert [f["status"] for f in data["files"]] == ["failed", "downloaded", "downloaded"]
    assert data["ok"] is False and "every mirror failed" in data["problems"][0] and "HTTP 404" in data["problems"][0]
    assert [lab["split"] for lab in data["labels"]] == ["val2017"]
    assert (tmp_path / "c/val2017.txt").is_file() and not (tmp_path / "c/train2017.txt").exists()
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("mlu-doctor: could not download train2017.zip: every mirror failed")
    assert not (tmp_path / "c/downloads/train2017.zip.part").exists()  # nothing was fetched: no empty .part


def test_a_rejected_local_copy_is_named_when_no_mirror_can_help(fetch, dataset, tmp_path):
    e = entry(dataset, "val2017.zip")
    local = tmp_path / "mine"
    local.mkdir()
    blob = bytearray((dataset[0] / "www" / e["path"]).read_bytes())
    blob[-100] ^= 0xFF
    (local / "val2017.zip").write_bytes(bytes(blob))
    result, data = fetch(tmp_path / "c", "--parts", "val", "--from-local", local)
    assert result.exit_code == 4
    [line] = result.stderr.strip().splitlines()
    assert f"the copy {local / 'val2017.zip'} was rejected (SHA-256" in line and "no mirror configured" in line
    assert data["files"][0]["tried"][0]["outcome"] == "rejected"


def test_from_local_writes_nothing_into_the_source_folder(fetch, dataset, tmp_path):
    local = tmp_path / "mine"
    shutil.copytree(dataset[0] / "www" / "zips", local)
    before = sorted((p.name, p.stat().st_mtime_ns) for p in local.rglob("*"))
    result, data = fetch(tmp_path / "c", "--parts", "val", "--from-local", local)
    assert result.exit_code == 0, result.stderr
    assert data["files"][0]["status"] == "local"
    assert sorted((p.name, p.stat().st_mtime_ns) for p in local.rglob("*")) == before
    again, data = fetch(tmp_path / "c", "--parts", "val", "--from-local", local, "--verify-only")
    assert again.exit_code == 0 and data["files"][0]["note"] == "SHA-256 verified"


def test_bytes_of_a_dropped_mirror_stay_credited_to_it(fetch, faults, dataset, tmp_path):
    e = entry(dataset, "val2017.zip")
    result, data = fetch(tmp_path / "c", "--parts", "val", "--mirror", faults.url("wrong"), "--mirror", faults.url("paced"))
    assert result.exit_code == 0, result.stderr
    tried = {t["mirror"]: t for t in data["files"][0]["tried"]}
    assert tried[faults.url("wrong")]["outcome"] == "dropped" and tried[faults.url("wrong")]["bytes"] >= e["size"] // 2
    assert tried[faults.url("paced")]["bytes"] >= e["size"] // 2
    assert data["files"][0]["bytes"] == sum(t["bytes"] for t in tried.values())


def test_deleted_images_and_labels_are_found_and_only_they_are_restored(cli, fetch, nginx, tmp_path):
    dest = tmp_path / "coco"
    args = ["--mirror", nginx.url]
    assert fetch(dest, *args)[0].exit_code == 0
    for name in ("000000000034.jpg", "000000000040.jpg"):
        (dest / "images/val2017" / name).unlink()
    (dest / "labels/val2017/000000000033.txt").unlink()
    verify, data = fetch(dest, *args, "--verify-only")
    assert verify.exit_code == 1
    assert any("2 of 10 extracted files are missing" in p and "000000000034.jpg" in p for p in data["problems"])
    assert any("labels val2017: 1 of" in p and "000000000033.txt" in p for p in data["problems"])
    cfg = tmp_path / "cfg.yaml"
    cfg.write_text(f"datasets:\n  coco: {dest}\n")
    check = cli(["check", "--only", "dataset.coco", "--config", cfg, "--format", "json"])
    [finding] = json.loads(check.stdout)["findings"]
    assert check.exit_code == 1 and finding["recipe"] == "dataset.coco"
    assert "images/val2017: 2 of 10 files missing" in finding["summary"]
    assert "labels/val2017: 1 of 8 files missing" in finding["summary"]
    served = len(nginx.served("val2017.zip"))
    again, data = fetch(dest, *args)
    assert again.exit_code == 0, again.stderr
    assert [(x["name"], x["status"], x["files"]) for x in data["extracted"]] == [("val2017.zip", "repaired", 2)]
    assert len(nginx.served("val2017.zip")) == served  # the archive on disk was used
    assert (dest / "images/val2017/000000000034.jpg").is_file() and (dest / "labels/val2017/000000000033.txt").is_file()
    assert fetch(dest, *args, "--verify-only")[0].exit_code == 0
    assert cli(["check", "--only", "dataset.coco", "--config", cfg]).exit_code == 0


def test_wording_of_results(cli, nginx, manifest, dataset, tmp_path):
    dest = tmp_path / "coco"
    args = ["fetch-coco", "--year", "2017", "--dest", dest, "--manifest", manifest, "--parts", "val,annotations,labels",
            "--mirror", nginx.url]
    result = cli(args, env={"MLU_DOCTOR_COCO_MIRROR": ""})
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert f"annotations_trainval2017.zip: extracted into {dest} (2 files)" in out and "/." not in out
    assert f"val2017.zip: extracted into {dest}/images (10 images)" in out
    assert f"train with: python train.py --data {dest}/coco.yaml" in out
    verify = cli([*args, "--verify-only"], env={"MLU_DOCTOR_COCO_MIRROR": ""})
    assert "present (SHA-256 verified)" in verify.stdout
    e = entry(dataset, "val2017.zip")
    part = tmp_path / "p" / "downloads" / "val2017.zip.part"
    part.parent.mkdir(parents=True)
    st = PartState.fresh(e["size"], e["sha256"], piece_size_for(e["size"], 4))
    part.write_bytes((dataset[0] / "www" / e["path"]).read_bytes()[:st.piece])
    st.advance(0, st.piece, nginx.url)
    st.save(str(part) + ".state")
    partial = cli(["fetch-coco", "--year", "2017", "--dest", tmp_path / "p", "--manifest", manifest, "--parts", "val",
                   "--verify-only"], env={"MLU_DOCTOR_COCO_MIRROR": ""})
    assert partial.exit_code == 1 and "val2017.zip" in partial.stdout
    assert "partial (partly downloaded (1.0 MiB of" in partial.stdout and "not downloaded" not in partial.stdout


def test_relative_dest_that_does_not_exist_yet(cli, nginx, manifest, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli(["fetch-coco", "--year", "2017", "--dest", "coco", "--manifest", manifest, "--parts", "val",
                  "--mirror", nginx.url], env={"MLU_DOCTOR_COCO_MIRROR": ""})
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "coco/images/val2017/000000000033.jpg").is_file()


def test_a_trickling_mirror_ends_with_one_clear_line(fetch, faults, tmp_path):
    started = time.monotonic()
    result, data = fetch(tmp_path / "c", "--parts", "val", "--mirror", faults.url("trickle"), "--timeout", "2")
    assert time.monotonic() - started < 10
    assert result.exit_code == 4
    [line] = result.stderr.strip().splitlines()
    assert "too slow" in line and "minimum 1024 B/s" in line and "Traceback" not in result.stderr
    assert data["files"][0]["status"] == "failed"


def test_ctrl_c_during_a_trickle_ends_within_a_second(faults, manifest, tmp_path):
    env = {**os.environ, "NO_COLOR": "1", "MLU_DOCTOR_COCO_MIRROR": "", "PYTHONPATH": str(REPO)}
    opened = faults.served["trickle-open"]
    proc = subprocess.Popen([sys.executable, "-m", "mlu_doctor", "fetch-coco", "--year", "2017", "--dest",
                             str(tmp_path / "c"), "--manifest", manifest, "--parts", "val", "--mirror",
                             faults.url("trickle"), "--timeout", "30"], env=env, cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 20
    while faults.served["trickle-open"] <= opened and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)  # inside the blocked read
    sent = time.monotonic()
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=10)
    assert proc.returncode == 130, err.decode()
    assert time.monotonic() - sent < 1.0
    assert b"Traceback" not in err
