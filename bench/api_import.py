"""Import cost of the Python API: `python -c pass` vs `python -c "import mlu_doctor"` (and the API names).

Run from the repo root: `.venv/bin/python bench/api_import.py [--runs N]`.

Three cold processes, interleaved in one run on the same interpreter: `pass`, `import mlu_doctor`, and
`from mlu_doctor import require, diagnose` (the line a training script starts with). Prints median and min
of each, the difference to `pass` and the ratio, the load average before and after (the machine is shared:
the min says what the code costs), and whether `import mlu_doctor` stays within the 50 ms budget. Process
times carry a few ms of noise under load; the import itself is also timed inside each process
(perf_counter around the import statement), which is what the budget is about.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BUDGET_MS = 50.0
CASES = {"pass": "pass", "import mlu_doctor": "import mlu_doctor",
         "from mlu_doctor import require, diagnose": "from mlu_doctor import require, diagnose"}


INSIDE = ("import time; t = time.perf_counter(); import mlu_doctor; a = time.perf_counter(); "
          "from mlu_doctor import require, diagnose; b = time.perf_counter(); print((a - t) * 1000, (b - a) * 1000)")


def once(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)
    return (time.perf_counter() - start) * 1000


def inside() -> tuple[float, float]:
    """(import mlu_doctor, then the API names) in ms, timed inside a fresh process."""
    out = subprocess.run([sys.executable, "-c", INSIDE], check=True, cwd=REPO, capture_output=True, text=True)
    first, second = out.stdout.split()
    return float(first), float(second)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    runs = parser.parse_args().runs
    load = os.getloadavg()[0]
    for code in CASES.values():  # warm the page cache and .pyc files
        once(code)
    times: dict[str, list[float]] = {name: [] for name in CASES}
    measured: list[tuple[float, float]] = []
    for _ in range(runs):
        for name, code in CASES.items():
            times[name].append(once(code))
        measured.append(inside())
    base = statistics.median(times["pass"])
    print(f"{sys.executable} (Python {sys.version.split()[0]}), {runs} runs each, interleaved;"
          f" load {load:.2f} -> {os.getloadavg()[0]:.2f}")
    for name, values in times.items():
        med = statistics.median(values)
        print(f"  {name:<42} median {med:6.1f} ms  min {min(values):6.1f} ms  "
              f"+{med - base:5.1f} ms  {med / base:4.2f}x pass")
    cost = statistics.median(times["import mlu_doctor"]) - base
    own, names = statistics.median(m[0] for m in measured), statistics.median(m[1] for m in measured)
    print(f"  inside the process: import mlu_doctor median {own:.2f} ms, then require/diagnose {names:.2f} ms")
    worst = max(cost, own)
    print(f"import mlu_doctor costs {cost:.1f} ms over python -c pass ({own:.2f} ms timed inside): "
          f"{'within' if worst <= BUDGET_MS else 'OVER'} the {BUDGET_MS:.0f} ms budget")


if __name__ == "__main__":
    main()
