"""Environment probe: the variables Cambricon PyTorch and yolov3/yolov5 depend on."""

from __future__ import annotations

import os
import posixpath
from typing import Optional

from mlu_doctor.facts.context import ProbeContext
from mlu_doctor.facts.model import EnvFacts

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


def writable(ctx: ProbeContext, path: str) -> Optional[bool]:
    """Whether `path` (or, if missing, its nearest existing parent) is writable; None when unknowable."""
    host_path = getattr(ctx.system, "host_path", None)  # only a local System can tell
    if host_path is None:
        return None
    probe_at = path
    while probe_at != posixpath.dirname(probe_at) and not ctx.system.exists(probe_at):
        probe_at = posixpath.dirname(probe_at)
    local = host_path(probe_at)
    return local is not None and os.path.isdir(local) and os.access(local, os.W_OK | os.X_OK)


def probe(ctx: ProbeContext) -> EnvFacts:
    env = ctx.system.environ
    facts = EnvFacts(vars={v: env.get(v) for v in VARS}, home=env.get("HOME"))
    torch_home = env.get("TORCH_HOME")
    if torch_home:
        path = resolve_path(torch_home, facts.home, posixpath.normpath(ctx.cwd))
        facts.torch_home_path = path
        facts.torch_home_exists = ctx.system.is_dir(path)
        facts.torch_home_is_file = ctx.system.exists(path) and not facts.torch_home_exists
        facts.torch_home_writable = writable(ctx, path)
    return facts
