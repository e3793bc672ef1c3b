"""The environment of a fixture home for `fix` runs: none of the variables the fixes read or write is inherited."""

from __future__ import annotations

from pathlib import Path

UNSET = ("TORCH_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "MLU_DOCTOR_CONFIG", "PYTHONPATH",
         "LD_LIBRARY_PATH", "NEUWARE_HOME", "COCO_DIR", "MLU_VISIBLE_DEVICES", "CAMBRICON_VISIBLE_DEVICES")


def env_for(home: Path, **extra) -> dict:
    return {**{k: None for k in UNSET}, "HOME": str(home), "SHELL": "/bin/bash", **extra}
