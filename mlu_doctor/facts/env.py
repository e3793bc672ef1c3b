"""Environment probe: the variables Cambricon PyTorch and yolov3/yolov5 depend on."""

from __future__ import annotations

import os
import posixpath
from typing import Optional

from mlu_doctor.facts.context import ProbeContext
from mlu_doctor.facts.model import EnvFacts
from mlu_doctor.system import System
from mlu_doctor.system.files import FileSource

VARS = (
    "TORCH_HOME",
    "PYTHONPATH",
    "MLU_VISIBLE_DEVICES",
    "CAMBRICON_VISIBLE_DEVICES",
    "NEUWARE_HOME",
    "LD_LIBRARY_PATH",
    "PATH",
    "COCO_DIR",
)


def resolve_path(value: str, home: Optional[str], cwd: str) -> str:
    """`~/x` and relative paths as the user's shell and Python would see them."""
    if value == "~" or value.startswith("~/"):
        value = (home or "/root") + value[1:]
    return posixpath.normpath(posixpath.join(cwd, value))


def nearest_existing(fs: FileSource, path: str) -> str:
    while path != posixpath.dirname(path) and not fs.exists(path):
        path = posixpath.dirname(path)
    return path


def free_bytes(local: str) -> Optional[int]:
    """Bytes an unprivileged user may still write on the file system holding `local`."""
    try:
        st = os.statvfs(local)
    except OSError:
        return None
    return st.f_bavail * st.f_frsize


def write_test(local: str) -> Optional[str]:
    """Create and remove a temporary file in folder `local`: None when that works, else why not.
    (os.access trusts permission bits: as root it calls /sys/kernel writable.)"""
    import tempfile

    try:
        fd, tmp = tempfile.mkstemp(prefix=".mlu-doctor-write-test-", dir=local)
    except OSError as exc:
        return exc.strerror or str(exc)
    os.close(fd)
    try:
        os.unlink(tmp)
    except OSError as exc:
        return exc.strerror or str(exc)
    return None


def writability(ctx: ProbeContext, path: str) -> tuple[Optional[bool], Optional[str], Optional[int]]:
    """(writable, why not, free bytes) for `path`, or its nearest existing parent when missing. On this
    machine a test file is written and removed; in a captured tree (--root) only the permission bits are
    read, nothing is written. (None, None, None) when the System cannot tell (a container). A System that
    answers this itself (a capture's recording or replay: mlu_doctor/capture/) is asked instead."""
    own = getattr(ctx.system, "writability", None)
    return own(path) if own is not None else local_writability(ctx.system, path)


def local_writability(system: System, path: str) -> tuple[Optional[bool], Optional[str], Optional[int]]:
    host_path = getattr(system, "host_path", None)  # only a local System can tell
    if host_path is None:
        return None, None, None
    local = host_path(nearest_existing(system, path))
    if local is None or not os.path.isdir(local):
        return False, None, None
    free = free_bytes(local)
    if not getattr(system, "is_host", False):
        return os.access(local, os.W_OK | os.X_OK), None, free
    why = write_test(local)
    return why is None, why, free


def probe(ctx: ProbeContext) -> EnvFacts:
    env = ctx.system.environ
    facts = EnvFacts(vars={v: env.get(v) for v in VARS}, home=env.get("HOME"))
    torch_home = env.get("TORCH_HOME")
    if torch_home:
        path = resolve_path(torch_home, facts.home, posixpath.normpath(ctx.cwd))
        facts.torch_home_path = path
        facts.torch_home_exists = ctx.system.is_dir(path)
        facts.torch_home_is_file = ctx.system.exists(path) and not facts.torch_home_exists
        if not facts.torch_home_is_file:
            writable, error, free = writability(ctx, path)
            facts.torch_home_writable, facts.torch_home_write_error = writable, error
            facts.torch_home_free = free
    return facts
