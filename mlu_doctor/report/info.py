"""What machine-readable renderers say about the system: read defensively from whatever facts exist."""

from __future__ import annotations

from typing import Any

from mlu_doctor import __version__
from mlu_doctor.findings import Finding, Report, Status

UNKNOWN = "unknown"


def area(check_id: str) -> str:
    """The area of a check id: `env.torch-home` -> `env`."""
    return check_id.split(".", 1)[0] if "." in check_id else check_id or "misc"


def threshold(fail_on: Status | str | None) -> Status:
    """The lowest status that counts as a problem (default: fail)."""
    if fail_on is None:
        return Status.FAIL
    return fail_on if isinstance(fail_on, Status) else Status.parse(fail_on)


def is_problem(f: Finding, fail_on: Status | str | None = None) -> bool:
    """Whether `f` makes the run unhealthy at this threshold (acknowledged findings never do)."""
    return f.counts and f.status >= threshold(fail_on)


def is_unjudged(f: Finding) -> bool:
    """Skipped or crashed, and not acknowledged: the check could not tell."""
    return f.counts and f.status in (Status.SKIP, Status.ERROR)


def _get(obj: Any, *names: str) -> Any:
    for name in names:
        if obj is None:
            return None
        obj = obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)
    return obj


def _device(facts: Any) -> str:
    dev = _get(facts, "device")
    names: list[str] = []
    for card in _get(dev, "proc") or ():
        names.append(_get(card, "model") or _get(card, "name") or _get(card, "family") or "")
    if not names:
        for pci in _get(dev, "pci") or ():
            if not _get(pci, "is_vf"):
                names.append(_get(pci, "sku") or _get(pci, "family") or f"cabc:{_get(pci, 'device_id')}")
    if not names:
        for card in _get(facts, "driver", "cnmon", "cards") or ():
            if not _get(card, "is_vf"):
                names.append(_get(card, "name") or "")
    names = sorted({n for n in names if n})
    if names:
        return ",".join(names)
    return "none" if dev is not None else UNKNOWN


def _driver(facts: Any) -> str:
    drv = _get(facts, "driver")
    if drv is None:
        return UNKNOWN
    try:
        version = drv.version if not isinstance(drv, dict) else None
    except Exception:
        version = None
    versions = _get(drv, "versions") or {}
    version = version or next((versions[k] for k in ("proc", "cnmon", "module") if versions.get(k)), None)
    return str(version or next(iter(versions.values()), None) or "none")


def _framework(facts: Any) -> str:
    fw = _get(facts, "framework")
    if fw is None:
        return UNKNOWN
    if _get(fw, "torch_mlu_version"):
        return f"torch_mlu {_get(fw, 'torch_mlu_version')}"
    if _get(fw, "torch_version"):
        return f"torch {_get(fw, 'torch_version')}"
    return "none"


def system_info(report: Report) -> dict[str, str]:
    """device, driver, toolkit, framework, version, target: strings, `unknown` when not gathered."""
    facts = report.facts
    toolkit = _get(facts, "toolkit")
    return {
        "device": _device(facts),
        "driver": _driver(facts),
        "toolkit": str(_get(toolkit, "version") or ("none" if toolkit is not None else UNKNOWN)),
        "framework": _framework(facts),
        "version": str(report.meta.get("tool_version") or __version__),
        "target": str(_get(facts, "target") or "host"),
    }
