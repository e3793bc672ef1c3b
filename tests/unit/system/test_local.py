"""LocalSystem: chroot-like resolution under a root, identity at /, reads that never block or run away."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from mlu_doctor.config import Config
from mlu_doctor.facts import gather
from mlu_doctor.facts.context import ProbeContext
from mlu_doctor.gateways import proc
from mlu_doctor.system.local import MAX_LINKS, LocalSystem
from tests.kit.files import write
from tests.kit.hosts import mlu220_m2_host

SECRET = "SENTINEL-OUTSIDE-THE-ROOT"


@pytest.fixture
def tree(tmp_path: Path) -> tuple[Path, Path]:
    """(root, outside): a root with /etc/data, and a sentinel file next to (not under) the root."""
    root, outside = tmp_path / "root", tmp_path / "outside"
    write(root / "etc/data", "inside\n")
    write(outside / "secret", SECRET)
    write(root / str(outside).lstrip("/") / "secret", "the root's own copy\n")  # same path, under the root
    return root, outside


def in_thread(func, *args):
    """func(*args) in a thread; fails (instead of hanging the suite) if it takes more than 5 s."""
    out: list = []
    t = threading.Thread(target=lambda: out.append(func(*args)), daemon=True)
    t.start()
    t.join(5)
    assert not t.is_alive(), f"{func.__name__}{args} blocked"
    return out[0]


def test_dotdot_stops_at_the_root(tree):
    root, _ = tree
    s = LocalSystem(str(root))
    assert s.read_text("/../../../etc/data") == "inside\n"
    assert s.read_text("/etc/../../etc/./data") == "inside\n"
    assert s.listdir("/..") == s.listdir("/") == sorted(os.listdir(root))


def test_absolute_links_resolve_against_the_root(tree):
    root, outside = tree
    os.symlink(str(outside / "secret"), root / "etc/abs")  # exists on this machine, outside the root
    os.symlink("/etc", root / "etc-link")
    s = LocalSystem(str(root))
    assert s.read_text("/etc/abs") == "the root's own copy\n"
    assert s.read_text("/etc-link/data") == "inside\n" and s.is_dir("/etc-link")
    assert s.readlink("/etc/abs") == str(outside / "secret")
    os.remove(root / str(outside).lstrip("/") / "secret")
    assert s.read_text("/etc/abs") is None and not s.is_file("/etc/abs") and s.exists("/etc/abs")


def test_relative_links_resolve_against_their_folder_and_cannot_climb_out(tree):
    root, outside = tree
    depth = len(root.parts)
    os.symlink("../" * (depth + 3) + str(outside).lstrip("/") + "/secret", root / "etc/climb")
    os.symlink("data", root / "etc/sibling")
    os.symlink("../../../..", root / "etc/up")
    s = LocalSystem(str(root))
    assert s.read_text("/etc/sibling") == "inside\n"
    assert s.read_text("/etc/climb") == "the root's own copy\n"  # climbed to the root, not above it
    assert s.listdir("/etc/up") == sorted(os.listdir(root))
    assert s.host_path("/etc/up/etc/data") == str(root / "etc/data")


def test_link_loops_and_long_chains_read_as_missing(tree):
    root, _ = tree
    os.symlink("b", root / "etc/a")
    os.symlink("a", root / "etc/b")
    os.symlink("self", root / "etc/self")
    chain = root / "chain"
    chain.mkdir()
    write(chain / "end", "end\n")
    for i in range(MAX_LINKS + 1):  # l0 -> l1 -> ... -> l40 -> end: 41 links
        os.symlink(f"l{i + 1}" if i < MAX_LINKS else "end", chain / f"l{i}")
    s = LocalSystem(str(root))
    for path in ("/etc/a", "/etc/self", "/etc/a/x"):
        assert s.read_bytes(path) is None and not s.is_file(path) and not s.is_dir(path)
    assert s.exists("/etc/a") and s.listdir("/etc/a") is None
    assert s.read_text("/chain/l1") == "end\n"  # 40 links: as far as Linux goes
    assert s.read_text("/chain/l0") is None  # 41 links: ELOOP


def test_a_file_in_the_middle_of_a_path_is_not_a_folder(tree):
    root, _ = tree
    s = LocalSystem(str(root))
    assert s.read_bytes("/etc/data/x") is None and s.listdir("/etc/data") is None and not s.exists("/etc/data/..")


def test_nothing_outside_the_root_is_opened_or_stated(tree, monkeypatch):
    root, outside = tree
    os.symlink(str(outside / "secret"), root / "etc/abs")
    os.symlink("../" * 20 + "etc/passwd", root / "etc/rel")
    os.symlink(str(outside), root / "dir")
    os.symlink("/proc/self/root/etc/passwd", root / "etc/proc")
    s = LocalSystem(str(root))  # (finding out whether the root is "/" looks at the root's own path)
    touched: list[str] = []
    for name in ("lstat", "stat", "open", "listdir", "readlink", "scandir"):
        real = getattr(os, name)
        monkeypatch.setattr(os, name, lambda p, *a, _real=real, **k: (touched.append(str(p)), _real(p, *a, **k))[1])
    for path in ("/etc/abs", "/etc/rel", "/dir/secret", "/etc/proc", "/../outside/secret"):
        s.read_bytes(path), s.is_dir(path), s.is_file(path), s.exists(path), s.listdir(path), s.readlink(path)
    s.glob("/*/*")
    monkeypatch.undo()
    assert touched and all(p == str(root) or p.startswith(str(root) + "/") for p in touched), touched


def test_only_regular_files_are_read_and_never_block(tree):
    root, _ = tree
    os.mkfifo(root / "etc/fifo")
    os.symlink("fifo", root / "etc/to-fifo")
    s = LocalSystem(str(root))
    assert in_thread(s.read_bytes, "/etc/fifo") is None
    assert in_thread(s.read_text, "/etc/to-fifo") is None
    assert in_thread(s.read_range, "/etc/fifo", 0, 16) is None
    assert s.read_bytes("/etc") is None and s.exists("/etc/fifo") and not s.is_file("/etc/fifo")
    host = LocalSystem("/")
    assert in_thread(host.read_bytes, str(root / "etc/fifo")) is None
    assert host.read_bytes("/dev/zero") is None and host.read_bytes("/dev/null") is None


def test_reads_are_capped_and_ranges_read(tree):
    root, _ = tree
    write(root / "big", b"x" * 200_000 + b"END")
    s = LocalSystem(str(root))
    assert len(s.read_bytes("/big", 10)) == 10 and len(s.read_bytes("/big", 150_000)) == 150_000
    assert s.read_bytes("/big") == b"x" * 200_000 + b"END"
    assert s.read_range("/big", 200_000, 100) == b"END" and s.read_range("/big", 10**12, 4) == b""
    proc_status = LocalSystem("/").read_text("/proc/self/status")  # size 0 in stat, content on read
    assert proc_status and "Name:" in proc_status


def test_root_slash_is_this_machine(tree):
    root, _ = tree
    host = LocalSystem("/")
    assert host.is_host and host.label == "host" and not LocalSystem(str(root)).is_host
    assert host.host_path("/a/../b") == "/a/../b"  # the kernel resolves it
    assert host.read_text(str(root / "etc/data")) == "inside\n"
    assert host.system_path(str(root)) == str(root)
    s = LocalSystem(str(root))
    assert s.system_path(str(root / "etc")) == "/etc" and s.system_path(str(root)) == "/"
    assert s.system_path("/elsewhere") == "/elsewhere"


def test_commands_run_here_unless_the_system_forbids_them(tmp_path):
    calls: list = []

    def fake(argv, timeout=3.0, env=None, cwd=None):
        calls.append(tuple(argv))
        return proc.RunResult(tuple(argv), 0, "ok\n", "", 0.0)

    s = LocalSystem(str(tmp_path), environ={"PATH": "/usr/bin:/bin"}, runner=fake)
    assert s.run(["anything"], timeout=1).stdout == "ok\n" and calls == [("anything",)]
    assert s.which("sh") in ("/usr/bin/sh", "/bin/sh")
    off = LocalSystem(str(tmp_path), environ={"PATH": "/usr/bin:/bin"}, runner=fake, can_run=False)
    res = off.run(["anything"], timeout=1)
    assert not res.ok and res.error and off.which("sh") is None and calls == [("anything",)]


def test_gather_starts_commands_early_through_an_injected_runner(tmp_path):
    """The prefetch wraps whatever runner the system has: a test's runner takes the users' path."""
    host = mlu220_m2_host(tmp_path)
    threads: list[str] = []

    def recording(argv, timeout=3.0, env=None, cwd=None):
        threads.append(threading.current_thread().name)
        return proc.run(argv, timeout=timeout, env=env, cwd=cwd)

    system = LocalSystem(str(host.root), environ=host.env, runner=recording)
    ctx = ProbeContext(system=system, config=Config(), project_dir="/", cwd="/")
    facts = gather(ctx, ["driver"])
    assert facts.driver.cnmon.status == "ok" and host.cnmon_calls() == [""]
    assert threads == ["prefetch " + str(host.bindir / "cnmon")]  # started early, taken by the probe
    assert ctx.system is system
