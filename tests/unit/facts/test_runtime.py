"""The runtime wrapper (Python 3.6, stdlib only) and the pure parsing of what it printed."""

from __future__ import annotations

import ast
import subprocess
import sys

from mlu_doctor.facts.model import RuntimeFacts
from mlu_doctor.facts.runtime import KEEP, MARK, WRAPPER, bounded, parse_output, split_stderr


def test_wrapper_is_python36_and_stdlib_only():
    tree = ast.parse(WRAPPER, feature_version=(3, 6))
    imported = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert imported <= {"sys", "time", "traceback", "torch", "torch_mlu"}
    assert not [n for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]


def test_wrapper_without_torch_reports_the_import_error():
    out = subprocess.run([sys.executable, "-c", WRAPPER], capture_output=True, text=True, timeout=60,
                         env={"PATH": "/usr/bin:/bin", "PYTHONPATH": "/nonexistent"})
    facts = parse_output(out.stdout, out.stderr, RuntimeFacts(status="ran"))
    assert out.returncode == 3 and [s.name for s in facts.stages] == ["python", "import torch"]
    assert facts.stages[1].error == "ModuleNotFoundError: No module named 'torch'"


def rec(stage: str, ok: bool = True, **kw) -> str:
    return f"{MARK} " + repr({"stage": stage, "ok": ok, **kw})


def test_parse_keeps_stages_versions_devices_and_the_users_own_output():
    stdout = "\n".join([rec("python", detail="3.10.12"), "hello from the user's sitecustomize",
                        rec("import torch", detail="2.1.0"), rec("import torch_mlu", detail="1.22.2"),
                        rec("torch_mlu.core", detail="absent"),
                        rec("devices", detail="2 device(s)", api="torch.mlu", available=True, count=2,
                            names=["MLU370-X8", "MLU370-X8"]),
                        rec("device op", values=[11.0, 22.0, 33.0], seconds=0.25), f"{MARK} not a literal", f"{MARK} __import__('os').system('x')", "[1, 2]"])
    f = parse_output(stdout, "", RuntimeFacts(status="ran"))
    assert f.torch_version == "2.1.0" and f.torch_mlu_version == "1.22.2" and f.api == "torch.mlu"
    assert f.is_available is True and f.device_count == 2 and f.device_names == ["MLU370-X8"] * 2
    assert f.op_result == [11.0, 22.0, 33.0] and f.stage("device op").seconds == 0.25
    assert f.stdout == "hello from the user's sitecustomize\n[1, 2]"


def test_stderr_is_kept_per_stage_and_the_unfinished_stage_gets_the_rest():
    stderr = (f"w0\n{MARK} end python\n{MARK} end import torch\nCNRT: 4.10.0\n{MARK} end import torch_mlu\n"
              f"{MARK} end torch_mlu.core\n{MARK} end devices\n[cnrtWarning] The device you run is MLU290\n")
    assert split_stderr(stderr) == {"python": "w0\n", "import torch_mlu": "CNRT: 4.10.0\n",
                                    "device op": "[cnrtWarning] The device you run is MLU290\n"}
    assert split_stderr("Segmentation fault\n") == {"python": "Segmentation fault\n"}


def test_output_is_bounded():
    text = "x" * (10 * KEEP)
    kept = bounded(text)
    assert len(kept) < 3 * KEEP and "characters left out" in kept
    f = parse_output(f"{MARK} garbage\n" + "y\n" * 100000, "z\n" * 100000, RuntimeFacts())
    assert len(f.stdout) < 3 * KEEP and len(f.stderr["python"]) < 3 * KEEP
