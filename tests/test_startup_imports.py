"""The `check` path stays light: no torch, docker, requests, tqdm, and no rich when stdout is not a terminal."""

from __future__ import annotations

import json
import subprocess
import sys

from tests import pyenvs
from tests.conftest import add_pci_card

DUMP = """
import json, sys
from mlu_doctor.cli import main
sys.argv = ["mlu-doctor", "check", "--root", sys.argv[1], "--project", sys.argv[2]]
try:
    main()
except SystemExit:
    pass
sys.stderr.write("MODULES=" + json.dumps(sorted(sys.modules)) + "\\n")
"""


def test_check_path_does_not_import_heavy_modules(tmp_path):
    root = tmp_path / "root"
    pyenvs.cnml_env(root)
    pyenvs.yolov5_tree(root / "work/yolov5")
    add_pci_card(root, "0000:01:00.0", 0x0220, 0x0033)
    proc = subprocess.run([sys.executable, "-c", DUMP, str(root), str(root / "work/yolov5")],
                          capture_output=True, text=True, timeout=60, env={"NO_COLOR": "1", "PATH": "/usr/bin:/bin"})
    assert "framework.arch-match" in proc.stdout, proc.stderr
    line = next(x for x in proc.stderr.splitlines() if x.startswith("MODULES="))
    modules = set(json.loads(line[len("MODULES="):]))
    assert "mlu_doctor.facts.framework" in modules  # the probes really ran
    heavy = {"torch", "torch_mlu", "docker", "requests", "tqdm", "rich", "urllib3"}
    assert not {m.split(".")[0] for m in modules} & heavy
