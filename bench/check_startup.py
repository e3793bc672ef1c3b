"""Startup benchmark: wall time of cold `mlu-doctor check --root <fixture>` processes next to `python -c pass`.

Run from the repo root: `.venv/bin/python bench/check_startup.py [--runs N] [--doctor PATH]`.

Two fixtures, measured interleaved with `python -c pass` (same interpreter as the doctor) in one run:
- realistic: the MLU220-M2 host of tests/kit/hosts.py (fake cnmon first on PATH, Neuware, dpkg cntoolkit),
  the CNML-era Python environment of tests/kit/pyenvs.py and a yolov5 project: every probe and check runs;
- minimal: a root with nothing in it (no card, no cnmon on PATH).
Prints median and min of each, the ratio to Python's own start-up, the 1-minute load average before and
after (the machine is shared: a median taken under load says little; the min says what the code costs),
and whether the realistic median meets the 120 ms target. `--doctor` measures another install, e.g. a
regular (non-editable) venv: `--doctor /tmp/venv/bin/mlu-doctor`; repeat `--doctor` to compare installs
(before/after) interleaved in one run, which is fairer than two runs under a changing load.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.kit import hosts, pyenvs  # noqa: E402

TARGET_MS = 120.0


def realistic_fixture(base: Path) -> tuple[Path, Path, dict[str, str]]:
    """(root, project, env): an MLU220-M2 host running the seed's CNML-era image contents and a yolov5 tree."""
    host = hosts.mlu220_m2_host(base / "realistic")
    pyenvs.cnml_env(host.root)
    project = pyenvs.yolov5_tree(host.root / "work/yolov5")
    return host.root, project, host.env


def minimal_fixture(base: Path) -> tuple[Path, Path, dict[str, str]]:
    """(root, project, env): an empty root; nothing to find, no cnmon on PATH."""
    root = base / "minimal/root"
    for d in ("sys/bus/pci/devices", "proc", "dev", "usr/local", "work"):
        (root / d).mkdir(parents=True)
    return root, root / "work", {"PATH": "/usr/bin:/bin"}


def default_doctor() -> str:
    script = Path(sys.executable).parent / "mlu-doctor"
    return str(script) if script.exists() else ""


def interpreter_of(doctor: str) -> str:
    """The Python a console script runs with (its shebang), for the `python -c pass` baseline."""
    with open(doctor, "rb") as fh:
        first = fh.readline().decode(errors="replace").strip()
    return first[2:].split()[0] if first.startswith("#!") else sys.executable


def timed(argv: list[str], cwd: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return (time.perf_counter() - start) * 1000


def load1() -> float:
    return os.getloadavg()[0]


def line(label: str, values: list[float], ref: float | None = None) -> str:
    med = statistics.median(values)
    ratio = f"  {med / ref:4.1f}x python" if ref else ""
    return f"{label:<28} median {med:7.1f} ms   min {min(values):6.1f} ms{ratio}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--doctor", action="append", default=[],
                        help="an mlu-doctor console script to measure (repeat to compare installs in one run)")
    args = parser.parse_args()
    doctors = [os.path.abspath(d) for d in args.doctor or [default_doctor()] if d]
    if not doctors:
        parser.error("no mlu-doctor script next to this Python; pass --doctor PATH")
    python = interpreter_of(doctors[0])
    base = Path(tempfile.mkdtemp(prefix="mlu-doctor-bench-"))
    try:
        fixtures = {}
        for name, build in (("realistic", realistic_fixture), ("minimal", minimal_fixture)):
            root, project, env = build(base)
            fixtures[name] = (["check", "--root", str(root), "--project", str(project)],
                              {**env, "NO_COLOR": "1", "LANG": "C.UTF-8", "HOME": str(base)})
        cases = {(doctor, name): ([doctor, *argv], env) for doctor in doctors for name, (argv, env) in fixtures.items()}
        baseline = ([python, "-c", "pass"], {"PATH": "/usr/bin:/bin"})
        runs: dict = {"python": [], **{key: [] for key in cases}}
        for argv, env in (baseline, *cases.values()):
            timed(argv, base, env)  # warm the page cache once; every measured run is still a new process
        load_before = os.getloadavg()
        for _ in range(args.runs):
            runs["python"].append(timed(baseline[0], base, baseline[1]))
            for key, (argv, env) in cases.items():
                runs[key].append(timed(argv, base, env))
        load_after = os.getloadavg()
        ref = statistics.median(runs["python"])
        print(f"python:    {python}")
        print(f"runs:      {args.runs} of each, interleaved")
        print(f"load avg:  before {load_before[0]:.2f} ({load_before[1]:.2f} 5-min)   after {load_after[0]:.2f}"
              f"  on {os.cpu_count()} cores")
        print(line("python -c pass", runs["python"]))
        for doctor in doctors:
            print(f"doctor:    {doctor}")
            for name in fixtures:
                print(line(f"  check ({name} root)", runs[(doctor, name)], ref))
            med = statistics.median(runs[(doctor, "realistic")])
            verdict = "meets" if med <= TARGET_MS else "misses"
            print(f"  target:  realistic median {verdict} the {TARGET_MS:.0f} ms target ({med - TARGET_MS:+.1f} ms)")
        return 0
    finally:
        shutil.rmtree(base, ignore_errors=True)

if __name__ == "__main__":
    sys.exit(main())
