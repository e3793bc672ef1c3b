"""Environment probe: the variables Cambricon PyTorch and yolov3/yolov5 depend on."""

from __future__ import annotations

import os

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


def probe(ctx: ProbeContext) -> EnvFacts:
    env = ctx.environ
    facts = EnvFacts(vars={v: env.get(v) for v in VARS}, home=env.get("HOME"))
    torch_home = env.get("TORCH_HOME")
    if torch_home:
        path = ctx.fs.host_path(torch_home) if hasattr(ctx.fs, "host_path") else None
        facts.torch_home_exists = ctx.fs.is_dir(torch_home)
        if path is not None:
            target = path if os.path.isdir(path) else os.path.dirname(path.rstrip("/")) or "/"
            facts.torch_home_writable = os.access(target, os.W_OK | os.X_OK)
    return facts
