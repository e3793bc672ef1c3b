"""Driver probe: kernel module state, driver versions by source (/proc, cnmon, module), cnmon itself."""

from __future__ import annotations

from typing import Callable, Optional

from mlu_doctor.facts.cnmon import excerpt, no_driver_line, parse_cnmon_info, parse_cnmon_table
from mlu_doctor.facts.context import ProbeContext
from mlu_doctor.facts.model import CnmonFacts, DeviceFacts, DriverFacts, Evidence
from mlu_doctor.gateways.proc import RunResult
from mlu_doctor.i18n import _
from mlu_doctor.system.files import FileSource

MODULE = "cambricon_drv"


def module_state(fs: FileSource) -> tuple[Optional[bool], Optional[str], Optional[str]]:
    """(loaded, version, source): /proc/modules first, then /sys/module; (None, ...) when unknowable."""
    version_text = fs.read_text(f"/sys/module/{MODULE}/version", 256)
    version = version_text.strip().lstrip("vV") or None if version_text else None
    modules = fs.read_text("/proc/modules", 4 * 1024 * 1024)
    if modules is not None and modules.strip():
        loaded = any(line.split(" ", 1)[0] == MODULE for line in modules.splitlines())
        return loaded, version, "/proc/modules"
    if fs.is_dir(f"/sys/module/{MODULE}"):
        return True, version, "/sys/module"
    if fs.listdir("/sys/module"):
        return False, version, "/sys/module"
    return None, version, None


def proc_version(device: Optional[DeviceFacts]) -> Optional[str]:
    """The driver version the /proc cards report (the first one; they come from one module)."""
    if device is None:
        return None
    return next((c.driver_version for c in device.proc if c.driver_version), None)


def _seconds(value: float) -> str:
    return f"{value:g}"


def early_commands(ctx: ProbeContext) -> list[tuple[list[str], None]]:
    """The command this probe runs first (gather() may start it early): plain `cnmon`, when there is one."""
    path = ctx.system.which("cnmon") if ctx.system.can_run else None
    return [([path], None)] if path else []


def run_cnmon(ctx: ProbeContext) -> CnmonFacts:
    """Run `cnmon` once (and `cnmon info` only when the table lacks a driver version or names)."""
    if not ctx.system.can_run:
        return CnmonFacts(status="missing", excerpt=_("not run: commands are not executed for this target"))
    path = ctx.system.which("cnmon")
    if path is None:
        return CnmonFacts(status="missing")
    result = ctx.run_tool([path])
    facts = _from_result(result, parse_cnmon_table)
    if facts.status == "ok" and facts.driver_version and all(c.name for c in facts.cards):
        return _stamp(facts, path, result)
    if facts.status in ("unparsed", "ok"):
        info_result = ctx.run_tool([path, "info"])
        info = _from_result(info_result, parse_cnmon_info)
        if info.status == "ok":
            return _stamp(info, path, info_result)
    return _stamp(facts, path, result)


def _from_result(result: RunResult, parse: Callable[[str], CnmonFacts]) -> CnmonFacts:
    """Interpret one cnmon run: timeout, failure to start, no driver (any exit code), or parse the text."""
    text = result.stdout + ("\n" + result.stderr if result.stderr else "")
    if result.timed_out:
        return CnmonFacts(status="timeout", excerpt=excerpt(text) or result.describe())
    if result.error:
        return CnmonFacts(status="failed", excerpt=result.error)
    if no_driver_line(text):
        return parse(text)
    facts = parse(result.stdout)
    if facts.status != "ok" and result.returncode != 0:
        facts.status, facts.excerpt = "failed", excerpt(text) or result.describe()
    return facts


def _stamp(facts: CnmonFacts, path: str, result: RunResult) -> CnmonFacts:
    facts.path = path
    facts.command = " ".join(result.argv)
    return facts


def probe(ctx: ProbeContext) -> DriverFacts:
    """Module state from /proc and /sys, driver versions by source, and what cnmon says."""
    facts = DriverFacts()
    facts.module_loaded, facts.module_version, facts.module_source = module_state(ctx.system)
    if facts.module_source:
        word = {True: "loaded", False: "not loaded"}[bool(facts.module_loaded)]
        facts.evidence.append(Evidence(f"file:{facts.module_source}", f"{MODULE} {word}"))
    cnmon = run_cnmon(ctx)
    facts.cnmon = cnmon
    versions = {"proc": proc_version(ctx.facts.device), "cnmon": cnmon.driver_version,
                "module": facts.module_version}
    facts.versions = {k: v for k, v in versions.items() if v}
    if cnmon.status != "missing":
        facts.evidence.append(Evidence(f"command:{cnmon.command}", cnmon.excerpt))
    if cnmon.status == "timeout":
        ctx.facts.errors["driver"] = _("cnmon timed out after {seconds} s", seconds=_seconds(ctx.timeout))
    elif cnmon.status in ("failed", "unparsed"):
        first = cnmon.excerpt.splitlines()[0] if cnmon.excerpt else ""
        ctx.facts.errors["driver"] = f"cnmon {cnmon.status}: {first}".rstrip(": ")
    return facts
