"""`mlu-doctor inject` against a real dockerd and a locally built busybox image."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tarfile
import time
import uuid
from io import BytesIO
from pathlib import Path

import pytest

from tests.kit.docker import busybox_image, run_container

pytestmark = pytest.mark.docker
IMAGE = "mlu-doctor-test/fix-busybox"


@pytest.fixture(scope="module")
def client(docker_client):
    busybox_image(docker_client, IMAGE)
    return docker_client


@pytest.fixture
def box(client):
    """A running busybox container, removed afterwards."""
    made = []

    def start(**kw):
        ctr = run_container(client, IMAGE, name=f"mlu-doctor-test-fix-{uuid.uuid4().hex[:8]}", **kw)
        made.append(ctr)
        return ctr

    yield start
    for ctr in made:
        ctr.remove(force=True)


def sh(ctr, script: str) -> str:
    code, out = ctr.exec_run(["sh", "-c", script])
    return out.decode("utf-8", "replace")


def small_tree(root: Path) -> Path:
    (root / "a/b/c").mkdir(parents=True)
    (root / "empty").mkdir()
    (root / "a/b/c/deep.txt").write_text("deep\n")
    (root / "a/top.bin").write_bytes(os.urandom(70_000))
    (root / "图片").mkdir()
    (root / "图片/猫 1.jpg").write_bytes(b"\xff\xd8 not really a jpeg")
    (root / "a/link").symlink_to("b/c/deep.txt")
    return root


def inject_json(cli, args):
    res = cli(["inject", *args, "--format", "json"])
    return res, (json.loads(res.stdout) if res.stdout.strip().startswith("{") else None)


@pytest.mark.parametrize("via", ["archive", "exec"])
def test_small_tree_lands_intact_and_rerun_sends_nothing(cli, box, tmp_path, via):
    src = small_tree(tmp_path / "src")
    ctr = box()
    res, doc = inject_json(cli, ["--container", ctr.name, "--owner", "1234:2345", "--via", via, str(src), "/data/ds"])
    assert res.exit_code == 0, res.stderr
    assert set(doc) == {"schema_version", "tool", "kind", "exit_code", "inject"} and doc["kind"] == "inject"
    r = doc["inject"]
    assert (r["files_total"], r["files_sent"], r["verified"], r["via"]) == (3, 3, True, via)
    assert set(r["phases"]) >= {"connect", "survey", "scan", "send", "verify"}
    assert sh(ctr, "stat -c %u:%g /data/ds/a/link /data/ds/图片 '/data/ds/图片/猫 1.jpg'").split() == ["1234:2345"] * 3
    assert "docker run -v" in r["bind_mount"] and ":/data/ds:ro" in r["bind_mount"]
    assert sh(ctr, "cat /data/ds/a/b/c/deep.txt") == "deep\n"
    assert sh(ctr, "readlink /data/ds/a/link").strip() == "b/c/deep.txt"
    assert sh(ctr, "test -d /data/ds/empty && echo yes").strip() == "yes"
    assert sh(ctr, "cat '/data/ds/图片/猫 1.jpg'") == "\ufffd\ufffd not really a jpeg"
    assert sh(ctr, "stat -c %u:%g /data/ds/a/top.bin /data/ds/empty").split() == ["1234:2345"] * 2
    res, doc = inject_json(cli, ["--container", ctr.name, "--verify", "sha256", str(src), "/data/ds"])
    assert res.exit_code == 0, res.stderr
    assert doc["inject"]["files_sent"] == 0 and doc["inject"]["entries_sent"] == 0
    assert doc["inject"]["verify_method"] == "sha256" and doc["inject"]["verified"] is True


def test_changed_file_is_sent_again_and_sha256_catches_tampering(cli, box, tmp_path):
    src = small_tree(tmp_path / "src")
    ctr = box()
    assert cli(["inject", "--container", ctr.name, str(src), "/d"]).exit_code == 0
    (src / "a/b/c/deep.txt").write_text("deeper\n")
    res, doc = inject_json(cli, ["--container", ctr.name, str(src), "/d"])
    assert doc["inject"]["files_sent"] == 1 and sh(ctr, "cat /d/a/b/c/deep.txt") == "deeper\n"
    sh(ctr, "printf 'XXXX' | dd of=/d/a/top.bin bs=1 seek=10 conv=notrunc 2>/dev/null")
    sh(ctr, f"touch -d @{int((src / 'a/top.bin').stat().st_mtime)} /d/a/top.bin")
    res, doc = inject_json(cli, ["--container", ctr.name, str(src), "/d"])
    assert res.exit_code == 0 and doc["inject"]["files_sent"] == 0  # same size and mtime: listing cannot tell
    res, doc = inject_json(cli, ["--container", ctr.name, "--verify", "sha256", str(src), "/d"])
    assert res.exit_code == 3 and doc["inject"]["mismatches"] == ["a/top.bin"]


def test_folder_where_the_container_has_a_file_is_refused_before_sending(cli, box, tmp_path):
    """SRC has a folder `x` where DEST holds a file `x`: nothing is sent, the file is left as it was."""
    src = tmp_path / "src"
    (src / "x").mkdir(parents=True)
    (src / "x/inside.txt").write_text("new\n")
    (src / "other.txt").write_text("o\n")
    ctr = box()
    sh(ctr, "mkdir -p /d && echo old > /d/x")
    res = cli(["inject", "--container", ctr.name, str(src), "/d"])
    assert res.exit_code == 4
    assert "x" in res.stderr and "nothing was sent" in res.stderr and "rm -rf" in res.stderr
    assert sh(ctr, "cat /d/x") == "old\n" and "other.txt" not in sh(ctr, "ls /d")


def test_daemon_refuses_file_over_directory_because_we_send_noOverwriteDirNonDir(client, box):
    """Without the parameter the daemon would silently replace the directory and its contents."""
    from mlu_doctor.errors import CannotRun
    from mlu_doctor.inject.remote import Container
    from mlu_doctor.system.docker import connect

    ctr = box()
    sh(ctr, "mkdir -p /d/x && echo keep > /d/x/kept")
    buf = BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        info = tarfile.TarInfo("x")
        info.size = 4
        tar.addfile(info, BytesIO(b"file"))
    data = buf.getvalue()
    with pytest.raises(CannotRun, match="refused"):
        Container.open(connect(30.0), ctr.name).put_archive("/d", lambda out: out.send(data), len(data))
    assert sh(ctr, "cat /d/x/kept") == "keep\n"


def test_too_little_space_is_refused_before_sending(cli, box, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "big.bin").write_bytes(os.urandom(3 << 20))
    ctr = box(tmpfs={"/small": "size=1m"})
    res = cli(["inject", "--container", ctr.name, str(src), "/small/ds"])
    assert res.exit_code == 4 and "not enough space" in res.stderr
    assert sh(ctr, "ls -A /small") == ""  # DEST not even created


def test_stopped_container_gives_a_clear_error(cli, box, tmp_path):
    ctr = box()
    ctr.stop(timeout=0)
    res = cli(["inject", "--container", ctr.name, str(tmp_path), "/d"])
    assert res.exit_code == 4
    assert "is not running" in res.stderr and "docker start" in res.stderr and "Traceback" not in res.stderr


def test_unknown_container_is_a_usage_error(cli, client, tmp_path):
    res = cli(["inject", "--container", "mlu-doctor-test-fix-nope", str(tmp_path), "/d"])
    assert res.exit_code == 2 and "no container named" in res.stderr


def test_inject_through_a_given_seam(client, box, tmp_path):
    """inject() on a seam the caller connected, by the archive API and by exec."""
    from mlu_doctor.inject.run import InjectRequest, inject
    from mlu_doctor.system.docker import connect

    src = small_tree(tmp_path / "src")
    ctr = box()
    seam = connect(60.0)
    res = inject(InjectRequest(ctr.name, str(src), "/data/ds", owner=(7, 8)), docker=seam)
    assert (res.files_sent, res.verified, res.via) == (3, True, "archive")
    assert sh(ctr, "stat -c %u:%g /data/ds/a/top.bin").strip() == "7:8"
    again = inject(InjectRequest(ctr.name, str(src), "/data/ds", verify="sha256"), docker=seam)
    assert (again.files_sent, again.verified) == (0, True)
    exec_res = inject(InjectRequest(ctr.name, str(src), "/data/ds2", via="exec"), docker=seam)
    assert (exec_res.files_sent, exec_res.verified, exec_res.via) == (3, True, "exec")


@pytest.mark.parametrize("via", ["archive", "exec"])
def test_kill_9_mid_copy_then_rerun_sends_only_the_missing_files(client, box, tmp_path, via):
    from mlu_doctor.inject.remote import Container
    from mlu_doctor.inject.tree import FILE, same, scan
    from mlu_doctor.system.docker import connect

    src = tmp_path / "src"
    for d in range(10):
        (src / f"d{d}").mkdir(parents=True)
        for f in range(120):
            (src / f"d{d}/f{f:03d}.bin").write_bytes(os.urandom(100_000))
    total = 1200
    ctr = box()
    upper = Path(ctr.attrs["GraphDriver"]["Data"]["UpperDir"]) / "ds"
    cmd = [sys.executable, "-m", "mlu_doctor", "inject", "--container", ctr.name, "--batch-size", "8M", "--via", via,
           str(src), "/ds"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and landed(upper) < 150:
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert landed(upper) < total, "the copy finished before it could be killed; make the tree bigger"
    remote = Container.open(connect(30.0), ctr.name).listing("/ds")
    complete = sum(1 for e in scan(str(src)) if e.kind == FILE and same(e, remote.get(e.rel)))
    assert 0 < complete < total
    out = subprocess.run([*cmd[:-2], "--format", "json", str(src), "/ds"], capture_output=True, text=True, check=False)
    doc = json.loads(out.stdout)["inject"]
    assert out.returncode == 0, out.stderr
    assert doc["files_sent"] == total - complete and doc["verified"] is True


def landed(upper: Path) -> int:
    try:
        return sum(len(files) for _d, _s, files in os.walk(upper))
    except OSError:
        return 0


DUMP = """
import json, sys
from mlu_doctor.cli import main
sys.argv = ["mlu-doctor", "inject", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
sys.stderr.write("MODULES=" + json.dumps(sorted(sys.modules)) + "\\n")
"""


def test_inject_without_a_terminal_imports_no_tqdm_or_rich(box, tmp_path):
    """No progress bar and no colour when stderr is not a terminal: their modules are not even imported."""
    src = small_tree(tmp_path / "src")
    ctr = box()
    proc = subprocess.run([sys.executable, "-c", DUMP, "--container", ctr.name, str(src), "/ds"],
                          capture_output=True, text=True, timeout=60)
    assert "sent 3 files" in proc.stdout, proc.stderr
    line = next(x for x in proc.stderr.splitlines() if x.startswith("MODULES="))
    modules = {m.split(".")[0] for m in json.loads(line[len("MODULES="):])}
    assert "docker" in modules and not modules & {"tqdm", "rich"}
