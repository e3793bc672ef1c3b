"""runtime.import and runtime.device-op: what the opt-in runtime probe saw (check --runtime).

The output the child wrote during each stage goes through the explain signatures, so a CNRT platform
mismatch or a NEUWARE version warning becomes the finding `mlu-doctor explain` would give for that text.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Optional

from mlu_doctor.checks import check
from mlu_doctor.config import Config
from mlu_doctor.facts.model import Facts, RuntimeFacts, RuntimeStage
from mlu_doctor.findings import Evidence, Finding, Status, fail, ok, skip
from mlu_doctor.i18n import _

IMPORT_STAGES = ("python", "import torch", "import torch_mlu", "torch_mlu.core")
DEVICE_STAGES = ("devices", "device op", "after")
# searched only when the runtime ran (re caches the compiled patterns): nothing compiled at import
MISSING_SO = r"(lib[\w.+-]+?\.so(?:\.[\d.]+)?): cannot open shared object file"
UNDEFINED = r"(?:(?P<file>/\S+?\.so\S*): )?undefined symbol: (?P<symbol>\S+)"
NO_MODULE = r"No module named '(?P<module>[\w.]+)'"


def explained(rt: RuntimeFacts, stages: tuple[str, ...]) -> list[Finding]:
    """The explain findings for what the child printed (and raised) during `stages`, most severe first."""
    import io

    from mlu_doctor.explain import explain_stream

    parts = [rt.stderr.get(s, "") for s in stages]
    parts += [f"{st.traceback}\n{st.error}" for st in rt.stages if st.name in stages and st.error]
    text = "\n".join(p for p in parts if p.strip())
    if not text:
        return []
    found = explain_stream(io.BytesIO(text.encode("utf-8", "replace")), "runtime").findings
    return sorted(found, key=lambda f: -int(f.status))


def _evidence(rt: RuntimeFacts, stage: Optional[RuntimeStage]) -> tuple[Evidence, ...]:
    ev = [Evidence(f"run:{rt.command}",
                   _("exit {code} after {seconds} s", code=rt.returncode, seconds=rt.seconds))]
    if stage is not None and stage.error:
        ev.append(Evidence(f"runtime:{stage.name}", (stage.traceback or stage.error)[-1500:]))
    return tuple(ev)


def from_explain(f: Finding, context: str, rt: RuntimeFacts, stage: Optional[RuntimeStage],
                 own: Optional[Finding] = None) -> Finding:
    """An explain finding as this check's verdict, with what the runtime probe adds (its own reading, if
    any)."""
    details = "\n".join(x for x in (context, own.details if own else "", f.details) if x)
    remedy = " ".join(x for x in (f.remedy, own.remedy if own else "") if x)
    return dataclasses.replace(f, id="", scope="host", details=details, remedy=remedy,
                               evidence=f.evidence + _evidence(rt, stage))


def not_probed(rt: RuntimeFacts) -> Optional[Finding]:
    """A skip saying why the runtime was not probed, or None when it ran."""
    if rt.status == "not-requested":
        return skip(_("the runtime was not probed (opt-in): mlu-doctor check --runtime imports torch and "
                      "torch_mlu under your interpreter and adds two tensors on mlu:0"))
    if rt.status in ("no-interpreter", "not-run", "failed-to-start"):
        return skip(_("the runtime was not probed: {reason}", reason=rt.reason))
    return None


def _import_failure(rt: RuntimeFacts, st: RuntimeStage) -> Finding:
    error = st.error or "?"
    what = st.name
    m = re.search(MISSING_SO, error)
    if m and m.group(1).startswith("libcuda.so"):
        return fail(_("{what} failed: {error}: a CUDA build on a host without CUDA (this build cannot use "
                      "the MLU)",
                      what=what, error=error), evidence=_evidence(rt, st),
                    remedy=_("Install the torch_mlu build of the framework (see framework.torch-pairing)."))
    if m:
        return fail(_("{what} failed: {error}", what=what, error=error), evidence=_evidence(rt, st),
                    details=_("The dynamic loader did not find {lib} for this interpreter's environment.",
                              lib=m.group(1)),
                    remedy=_("See framework.libraries (mlu-doctor check --only framework.libraries) for "
                             "where the loader looked and the fix."))
    u = re.search(UNDEFINED, error)
    if u:
        where = u.group("file") or _("an extension module")
        return fail(_("{what} failed: undefined symbol {symbol} in {file}", what=what,
                      symbol=u.group("symbol"), file=where), evidence=_evidence(rt, st),
                    details=_("{file} was built against another torch / torch_mlu than the one installed (an "
                              "ABI mismatch).", file=where),
                    remedy=_("Reinstall (or rebuild) {file}'s package for the installed torch and torch_mlu, "
                             "or put "
                             "back the torch it was built for (see framework.torch-pairing).", file=where))
    n = re.search(NO_MODULE, error)
    if n and n.group("module").split(".")[0] == "torch":
        return fail(_("{python} has no torch ({error})", python=rt.python, error=error),
                    evidence=_evidence(rt, st),
                    remedy=_("Run with the interpreter of your Cambricon PyTorch environment "
                             "(--python PATH)."))
    return fail(_("{what} failed: {error}", what=what, error=error), evidence=_evidence(rt, st),
                remedy=_("Read the traceback in the evidence; mlu-doctor explain FILE maps known errors to "
                         "fixes."))


@check("runtime.import", "torch and torch_mlu import under the user's interpreter (check --runtime)",
       needs=("runtime",))
def runtime_import(facts: Facts, config: Config) -> Finding:
    """The child's `import torch` / `import torch_mlu` (and torch_mlu.core): failures through the explain
    signatures."""
    rt = facts.runtime
    assert rt is not None  # the check needs ("runtime",): the runner skips it otherwise
    skipped = not_probed(rt)
    if skipped:
        return skipped
    failed = next((s for s in rt.stages if s.name in IMPORT_STAGES and not s.ok), None)
    found = explained(rt, IMPORT_STAGES)
    if failed is not None:
        first = next((f for f in found if f.status >= Status.FAIL), None)
        own = _import_failure(rt, failed)
        if first is not None:
            return from_explain(first, own.summary, rt, failed, own)
        return own
    reached = {s.name for s in rt.stages}
    if not rt.stages and rt.status != "timeout":
        tail = (rt.stderr.get("python", "") or rt.stdout).strip().splitlines()[-1:]
        return fail(_("{python} exited {code} before the probe started: {output}", python=rt.python,
                      code=rt.returncode, output=tail[0] if tail else _("no output")),
                    evidence=_evidence(rt, None),
                    remedy=_("Check that --python names a working Python 3.6+ interpreter."))
    if not {"import torch", "import torch_mlu"} <= reached:
        running = next((s for s in IMPORT_STAGES if s not in reached), "?")
        if rt.status == "timeout":
            return fail(_("{stage} did not finish within {seconds} s; the process and its children were "
                          "killed",
                          stage=running, seconds=rt.timeout), evidence=_evidence(rt, None),
                        details=rt.stderr.get(running, "")[-2000:],
                        remedy=_("An import that hangs usually waits on the driver: check it with cnmon and "
                                 "mlu-doctor check --only driver.; raise timeouts.runtime if the import is "
                                 "only slow."))
        return fail(_("the interpreter stopped before {stage} (exit {code}) and printed nothing the probe "
                      "understands",
                      stage=running, code=rt.returncode), evidence=_evidence(rt, None),
                    details=(rt.stderr.get(running, "") or rt.stdout)[-2000:])
    summary = _("import torch {torch} and torch_mlu {mlu} succeeded ({python})", torch=rt.torch_version,
                mlu=rt.torch_mlu_version, python=rt.python)
    worst = found[0] if found else None
    if worst is not None and worst.status >= Status.WARN:
        return from_explain(worst, summary, rt, None)
    return ok(summary, evidence=_evidence(rt, None))


@check("runtime.device-op", "Two tensors added on mlu:0 and copied back (check --runtime)",
       needs=("runtime",))
def runtime_device_op(facts: Facts, config: Config) -> Finding:
    """is_available(), device count and names, an add on mlu:0 copied back; stderr through the explain
    signatures."""
    rt = facts.runtime
    assert rt is not None  # the check needs ("runtime",): the runner skips it otherwise
    skipped = not_probed(rt)
    if skipped:
        return skipped
    if any(s.name in IMPORT_STAGES and not s.ok for s in rt.stages) or rt.stage("torch_mlu.core") is None:
        return skip(_("not reached: the import did not succeed or did not finish (see runtime.import)"))
    devices, op = rt.stage("devices"), rt.stage("device op")
    found = explained(rt, DEVICE_STAGES)
    first_fail = next((f for f in found if f.status >= Status.FAIL), None)
    if devices is None or (op is None and devices.ok and rt.status == "timeout"):
        running = "devices" if devices is None else "device op"
        own = fail(_("{stage} did not finish within {seconds} s; the process and its children were killed",
                     stage=running, seconds=rt.timeout), evidence=_evidence(rt, None),
                   remedy=_("A device call that hangs points at the driver: check cnmon and dmesg on the "
                            "host."))
        return from_explain(first_fail, own.summary, rt, None) if first_fail else own
    if not devices.ok:
        own = fail(_("torch.mlu.is_available() is {available} and {count} device(s) are visible to {python}",
                     available=rt.is_available, count=rt.device_count if rt.device_count is not None else "?",
                     python=rt.python) if devices.error is None else
                   _("listing the MLU devices failed: {error}", error=devices.error),
                   evidence=_evidence(rt, devices),
                   remedy=_("Check the driver and the device nodes (mlu-doctor check --only "
                            "driver.,device.); in a "
                            "container, /dev/cambricon_ctl and /dev/cambricon_devN must be passed with "
                            "--device."))
        return from_explain(first_fail, own.summary, rt, devices) if first_fail else own
    if op is None:
        return fail(_("the process ended during the device op (exit {code})", code=rt.returncode),
                    evidence=_evidence(rt, None), details=rt.stderr.get("device op", "")[-2000:])
    names = ", ".join(rt.device_names) or _("{n} device(s)", n=rt.device_count)
    if not op.ok:
        own = fail(_("adding two tensors on mlu:0 failed: {error}", error=op.error) if op.error else
                   _("adding two tensors on mlu:0 gave {values}, not [11.0, 22.0, 33.0]",
                     values=rt.op_result),
                   evidence=_evidence(rt, op))
        return from_explain(first_fail, own.summary, rt, op) if first_fail else own
    summary = _("{names}: added two tensors on mlu:0 and copied back {values} in {seconds} s", names=names,
                values=rt.op_result, seconds=op.seconds)
    worst = found[0] if found else None
    # right numbers, but CNRT warned (e.g. a CPU fallback)
    if worst is not None and worst.status >= Status.WARN:
        return from_explain(worst, summary, rt, op)
    return ok(summary, evidence=_evidence(rt, None))


CHECKS = (runtime_import, runtime_device_op)

