"""The runtime probe (opt-in, `check --runtime`): does the user's PyTorch import and run on the card?

Runs WRAPPER under the user's interpreter in a child process through the System's `run` (on this machine,
or in the container through exec), with its own timeout; on expiry the child's process group is killed,
grandchildren included. torch is never imported in the doctor's process. The wrapper reports each stage
as a marker line on stdout (a Python literal: even a minimal Python without json can write it) and a marker on
stderr, so what the process printed to stderr is kept per
stage (a CNRT warning during the device op, an ImportError's text during import) and a crash or a kill
mid-way still leaves the stages that finished.
"""

from __future__ import annotations

import time
from typing import Any, Optional

from mlu_doctor.facts.context import ProbeContext
from mlu_doctor.facts.model import RuntimeFacts, RuntimeStage
from mlu_doctor.i18n import _

MARK = "@@mlu-doctor-runtime@@"
KEEP = 8 * 1024  # bytes of output kept per stage: head and tail
STAGES = ("python", "import torch", "import torch_mlu", "torch_mlu.core", "devices", "device op")

# Runs under the user's interpreter: stdlib only, Python 3.6 syntax (tests parse it with feature_version).
WRAPPER = r"""
import sys, time
try:
    import traceback
except ImportError:  # a minimal Python (Debian's python3-minimal has neither json nor all of the stdlib)
    traceback = None
MARK = "@@mlu-doctor-runtime@@"
def report(name, ok, detail="", started=None, exc=None, **extra):
    rec = {"stage": name, "ok": ok, "detail": detail}
    if started is not None:
        rec["seconds"] = round(time.time() - started, 3)
    if exc is not None:
        rec["error"] = ("%s: %s" % (type(exc).__name__, exc))[:2000]
        if traceback is not None:
            rec["traceback"] = "".join(traceback.format_exc().splitlines(True)[-12:])[-4000:]
    rec.update(extra)
    sys.stderr.flush()
    sys.stdout.write(MARK + " " + repr(rec) + "\n")
    sys.stdout.flush()
    sys.stderr.write(MARK + " end " + name + "\n")
    sys.stderr.flush()
def main():
    report("python", True, "%d.%d.%d" % tuple(sys.version_info[:3]), executable=sys.executable)
    t = time.time()
    try:
        import torch
    except BaseException as e:
        report("import torch", False, "", t, e)
        return 3
    report("import torch", True, str(getattr(torch, "__version__", "?")), t,
           cuda=str(getattr(getattr(torch, "version", None), "cuda", None)))
    t = time.time()
    try:
        import torch_mlu
    except BaseException as e:
        report("import torch_mlu", False, "", t, e)
        return 4
    report("import torch_mlu", True, str(getattr(torch_mlu, "__version__", "?")), t)
    ct = None
    t = time.time()
    try:
        import torch_mlu.core.mlu_model as ct
        report("torch_mlu.core", True, "torch_mlu.core.mlu_model", t)
    except ImportError as e:
        if not hasattr(torch, "mlu"):
            report("torch_mlu.core", False, "", t, e)
            return 5
        report("torch_mlu.core", True, "absent (torch.mlu API)", t)
    t = time.time()
    mlu = getattr(torch, "mlu", None)
    try:
        if mlu is not None and hasattr(mlu, "is_available"):
            api, available, count = "torch.mlu", bool(mlu.is_available()), int(mlu.device_count())
            names = ([str(mlu.get_device_name(i)) for i in range(min(count, 16))]
                     if hasattr(mlu, "get_device_name") else [])
        else:
            api, count, names = "torch_mlu.core", int(getattr(ct, "device_count", lambda: 1)()), []
            available = count > 0
    except BaseException as e:
        report("devices", False, "", t, e)
        return 6
    report("devices", available and count > 0, "%d device(s)" % count, t, api=api, available=available,
           count=count, names=names)
    if not available or count < 1:
        return 7
    t = time.time()
    try:
        dev = torch.device("mlu:0") if api == "torch.mlu" else ct.mlu_device()
        a = torch.tensor([1.0, 2.0, 3.0]).to(dev)
        b = torch.tensor([10.0, 20.0, 30.0]).to(dev)
        c = (a + b).cpu()
        values = [float(v) for v in c.tolist()]
    except BaseException as e:
        report("device op", False, "", t, e)
        return 8
    report("device op", values == [11.0, 22.0, 33.0], "mlu:0 add, copied back", t, values=values,
           device=str(getattr(a, "device", "?")))
    return 0 if values == [11.0, 22.0, 33.0] else 9
sys.exit(main())
"""


def bounded(text: str, keep: int = KEEP) -> str:
    """Head and tail of `text`, at most about 2 * keep characters."""
    if len(text) <= 2 * keep:
        return text
    return text[:keep] + f"\n... [{len(text) - 2 * keep} characters left out] ...\n" + text[-keep:]


def split_stderr(stderr: str) -> dict[str, str]:
    """stage -> what was written to stderr while it ran; what follows the last finished stage is the next
    one's."""
    out: dict[str, str] = {}
    buf: list[str] = []
    last = None
    for line in stderr.splitlines(keepends=True):
        if line.startswith(MARK + " end "):
            last = line[len(MARK) + 5:].strip()
            out[last] = bounded("".join(buf))
            buf = []
        else:
            buf.append(line)
    if buf:
        i = STAGES.index(last) + 1 if last in STAGES else 0
        out[STAGES[i] if i < len(STAGES) else "after"] = bounded("".join(buf))
    return {k: v for k, v in out.items() if v.strip()}


def _stage(rec: dict[str, Any]) -> RuntimeStage:
    seconds = rec.get("seconds")
    return RuntimeStage(name=str(rec.get("stage")), ok=bool(rec.get("ok")),
                        detail=str(rec.get("detail") or ""),
                        seconds=float(seconds) if isinstance(seconds, (int, float)) else None,
                        error=str(rec["error"]) if rec.get("error") else None,
                        traceback=str(rec.get("traceback") or "")[-4000:])


def parse_output(stdout: str, stderr: str, facts: RuntimeFacts) -> RuntimeFacts:
    """Fill `facts` from what the wrapper printed; lines that are not its markers are the user's output."""
    import ast  # only when the runtime probe ran: keeps `check` start-up lean

    other = []
    for line in stdout.splitlines():
        if not line.startswith(MARK + " "):
            other.append(line)
            continue
        try:  # the wrapper writes repr() of plain values: literal_eval reads them and nothing else
            rec = ast.literal_eval(line[len(MARK) + 1:])
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            continue
        if not isinstance(rec, dict):
            continue
        stage = _stage(rec)
        facts.stages.append(stage)
        if stage.name == "import torch" and stage.ok:
            facts.torch_version = stage.detail
        elif stage.name == "import torch_mlu" and stage.ok:
            facts.torch_mlu_version = stage.detail
        elif stage.name == "devices":
            facts.api = str(rec.get("api")) if rec.get("api") else None
            facts.is_available = rec.get("available") if isinstance(rec.get("available"), bool) else None
            facts.device_count = rec.get("count") if isinstance(rec.get("count"), int) else None
            facts.device_names = [str(n) for n in rec.get("names") or []][:16]
        elif stage.name == "device op":
            facts.op_result = [float(v) for v in rec.get("values") or [] if isinstance(v, (int, float))][:8]
    facts.stdout = bounded("\n".join(other).strip())
    facts.stderr = split_stderr(stderr)
    return facts


def interpreter(ctx: ProbeContext) -> Optional[str]:
    """--python, else the interpreter the framework probe asked; None when there is none to run."""
    fw = ctx.facts.framework
    return ctx.python or (fw.python if fw else None)


def probe(ctx: ProbeContext) -> RuntimeFacts:
    """Run the wrapper under the user's interpreter when `check --runtime` asked for it."""
    cfg = ctx.config
    if not cfg.runtime:
        return RuntimeFacts(reason=_("not requested: run mlu-doctor check --runtime to import torch and "
                                     "torch_mlu and use mlu:0 under your interpreter"))
    python = interpreter(ctx)
    if not python:
        return RuntimeFacts(status="no-interpreter",
                            reason=_("no interpreter to run: give --python PATH (the interpreter your code "
                                     "runs with)"))
    if not ctx.system.can_run:
        return RuntimeFacts(status="not-run", python=python,
                            reason=_("commands are not run on {target}", target=ctx.system.label))
    env = {**ctx.system.environ, "PYTHONUNBUFFERED": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    facts = RuntimeFacts(status="ran", python=python, timeout=cfg.runtime_timeout,
                         command=f"{python} -c <mlu-doctor runtime wrapper>")
    start = time.monotonic()
    result = ctx.system.run([python, "-c", WRAPPER], timeout=cfg.runtime_timeout, env=env)
    facts.seconds = round(time.monotonic() - start, 3)
    facts.returncode = result.returncode
    parse_output(result.stdout, result.stderr, facts)
    if result.timed_out:
        facts.status = "timeout"
        facts.reason = _("killed after {seconds:.1f} s (the runtime timeout)", seconds=cfg.runtime_timeout)
    elif result.error and not facts.stages:
        facts.status = "failed-to-start"
        facts.reason = result.describe()
    return facts
