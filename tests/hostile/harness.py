"""Run one hostile case: the real CLI in its own process group, inside a box, judged four ways.

A box is a folder holding everything the run may touch: HOME, XDG_STATE_HOME (fix journals),
XDG_CACHE_HOME (crash logs), TMPDIR, the working folder, the hostile inputs. A case passes when
- the exit code is the documented one,
- stderr is one clear line (no traceback, no "internal error", the words the case expects); click's own usage
  block (`Usage:` / `Try '...'` / `Error: ...`) counts as that one line when its `Error:` line is the only other,
- the run ends within the case's time limit (a hang is killed with its whole process group and fails),
- nothing in the box changed (type, mode, bytes, link target of every entry) except the declared targets
  (a crash log appearing under XDG_CACHE_HOME is such a change).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Union

REPO = Path(__file__).resolve().parents[2]
CLASSES = ("hang", "outside-write", "crash", "exit-code", "message")
USAGE_PREAMBLE = ("Usage:", "Try '")


@dataclass(frozen=True)
class Case:
    """One hostile run. `argv` and `env` values may hold {box}; `setup(box)` builds the inputs."""

    id: str
    klass: str  # the hostility it stands for: one of CLASSES
    argv: tuple[str, ...]
    code: Union[int, tuple[int, ...]]
    says: tuple[str, ...] = ()  # words the stderr line must hold
    setup: Optional[Callable[[Path], None]] = None
    limit: float = 20.0  # seconds the run may take
    targets: tuple[str, ...] = ()  # box-relative paths allowed to change (and everything under them)
    env: dict[str, str] = field(default_factory=dict)
    stdin: Optional[bytes] = None
    lines: Optional[int] = 1  # stderr lines: 1 (the rule), 0 (silent), None (not judged: a success with notes)
    check: Optional[Callable[[Path, Run], None]] = None  # anything more the case asserts

    def __post_init__(self) -> None:
        assert self.klass in CLASSES, self.klass


@dataclass
class Run:
    code: Optional[int]
    stdout: str
    stderr: str
    seconds: float
    hung: bool = False


def make_box(base: Path) -> Path:
    for name in ("home", "state", "cache", "tmp", "work", "in", "out", "bin", "pids"):
        (base / name).mkdir(parents=True, exist_ok=True)
    return base


def box_env(box: Path, extra: dict[str, str]) -> dict[str, str]:
    env = {"PATH": f"{box}/bin:/usr/local/bin:/usr/bin:/bin", "HOME": f"{box}/home", "XDG_STATE_HOME": f"{box}/state",
           "XDG_CACHE_HOME": f"{box}/cache", "XDG_CONFIG_HOME": f"{box}/home/.config", "TMPDIR": f"{box}/tmp",
           "LANG": "C.UTF-8", "NO_COLOR": "1", "PYTHONPATH": str(REPO), "SHELL": "/bin/bash",
           "PYTHONDONTWRITEBYTECODE": "1"}
    for key in ("DOCKER_HOST",):  # the shared daemon of scripts/test.sh, unless a case names another
        if key in os.environ:
            env[key] = os.environ[key]
    env.update({k: v.replace("{box}", str(box)) for k, v in extra.items()})
    return {k: v for k, v in env.items() if v != "<unset>"}


def run_cli(argv: list[str], env: dict[str, str], cwd: Path, limit: float, stdin: Optional[bytes] = None,
            prefix: tuple[str, ...] = ()) -> Run:
    """mlu-doctor in a new session; killed with its group `limit` + 10 s after it started (then `hung`)."""
    started = time.monotonic()
    proc = subprocess.Popen([*prefix, sys.executable, "-m", "mlu_doctor", *argv], stdin=subprocess.PIPE if stdin is not None
                            else subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                            cwd=cwd, start_new_session=True)
    try:
        out, err = proc.communicate(stdin, timeout=limit + 10)
        hung = False
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        hung = True
    return Run(proc.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"),
               time.monotonic() - started, hung)


def snapshot(box: Path, skip: tuple[str, ...] = ()) -> dict[str, tuple]:
    """Type, mode and content hash (or link target) of every entry under `box`, minus `skip`; never opens
    anything but regular files (FIFOs, sockets and devices are stat'ed only)."""
    out: dict[str, tuple] = {}
    for folder, dirs, files in os.walk(box):
        for name in dirs + files:
            path = os.path.join(folder, name)
            rel = os.path.relpath(path, box)
            if any(rel == s or rel.startswith(s.rstrip("/") + "/") for s in skip):
                continue
            st = os.lstat(path)
            if stat.S_ISLNK(st.st_mode):
                out[rel] = ("link", os.readlink(path))
            elif stat.S_ISREG(st.st_mode):
                digest = hashlib.sha256()
                with open(path, "rb") as fh:
                    for block in iter(lambda fh=fh: fh.read(1 << 20), b""):
                        digest.update(block)
                out[rel] = ("file", stat.S_IMODE(st.st_mode), st.st_size, digest.hexdigest())
            else:
                out[rel] = (stat.S_IFMT(st.st_mode), stat.S_IMODE(st.st_mode))
    return out


def clean_line(stderr: str) -> str:
    """The one line stderr holds (click's usage preamble aside); fails the test otherwise."""
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    if lines and lines[0].startswith(USAGE_PREAMBLE):
        lines = [ln for ln in lines if not ln.startswith(USAGE_PREAMBLE)]
    assert len(lines) == 1, f"expected one stderr line, got {len(lines)}: {lines}"
    return lines[0]


def kill_leftovers(box: Path) -> None:
    """Fakes that leave children behind (a `setsid` child of cnmon) write their pids under box/pids."""
    for pidfile in (box / "pids").glob("*"):
        text = pidfile.read_text().strip()
        if text.isdigit() and int(text) > 1:  # never 0 or -1: those would signal our own group, or everyone
            with contextlib.suppress(OSError):
                os.kill(int(text), signal.SIGKILL)


def judge(case: Case, box: Path, peer: str = "", prefix: tuple[str, ...] = (), **names: str) -> Run:
    """Run `case` in `box` and assert the four verdicts. `peer`: the base URL of tests/hostile/peers.py;
    `names`: more {placeholders} (a container's name); `prefix`: a command the CLI runs under (setpriv)."""
    if case.setup:
        case.setup(box)
    before = snapshot(box, case.targets + ("pids",))

    def fill(text: str) -> str:
        text = text.replace("{box}", str(box)).replace("{peer}", peer).replace("{peerhost}", peer.split("//")[-1])
        for key, value in names.items():
            text = text.replace("{" + key + "}", value)
        return text

    argv = [fill(a) for a in case.argv]
    try:
        run = run_cli(argv, box_env(box, {k: fill(v) for k, v in case.env.items()}), box / "work", case.limit,
                      case.stdin, prefix=prefix)
    finally:
        kill_leftovers(box)
    context = f"{case.id}: exit {run.code} in {run.seconds:.1f} s\nstdout: {run.stdout[-2000:]}\nstderr: {run.stderr[-2000:]}"
    assert not run.hung and run.seconds <= case.limit, f"hang: {context}"
    codes = case.code if isinstance(case.code, tuple) else (case.code,)
    assert run.code in codes, f"exit code: {context}"
    if case.lines == 1:
        line = clean_line(run.stderr)
        for words in case.says:
            assert words.replace("{box}", str(box)) in line, f"message lacks {words!r}: {context}"
    elif case.lines == 0:
        assert run.stderr.strip() == "", context
    else:
        assert "Traceback" not in run.stderr and "internal error" not in run.stderr, context
    after = snapshot(box, case.targets + ("pids",))
    changed = sorted(set(before) ^ set(after) | {k for k in before if k in after and before[k] != after[k]})
    assert not changed, f"changed outside the targets: {changed[:10]}\n{context}"
    if case.check:
        case.check(box, run)
    return run
