"""`mlu-doctor explain`: map the lines of a pasted log to known causes, remedies and next steps.

signatures.yaml (data) -> signatures.py (load, compile) -> scan.py (stream bytes, match) -> here
(matches -> findings) -> render.py (human text, JSON envelope).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import BinaryIO

from mlu_doctor.explain.scan import Match, ScanResult, scan_stream
from mlu_doctor.explain.signatures import Signature, builtin_signatures
from mlu_doctor.explain.template import fill
from mlu_doctor.findings import Evidence, Finding

__all__ = ["Explained", "Signature", "builtin_signatures", "explain_stream", "next_steps", "to_finding"]


@dataclass(frozen=True)
class Explained:
    """What a log showed: one finding per recognised signature, with the scan behind it."""

    source: str
    findings: tuple[Finding, ...]
    scan: ScanResult


def next_steps(match: Match) -> list[str]:
    """The commands to run next, in order, with captures filled in."""
    out = []
    for kind, value in match.signature.next:
        if kind == "check":
            out.append(f"mlu-doctor check --only {value}")
        elif kind == "recipe":
            out.append(f"mlu-doctor fix {value}")
        else:
            out.append(fill(value, match.captures, keep_missing=True))
    return out


def to_finding(match: Match, source: str) -> Finding:
    """A recognised signature as a Finding (id = signature id)."""
    sig, caps = match.signature, match.captures
    recipe = next((value for kind, value in sig.next if kind == "recipe"), None)
    return Finding(
        id=sig.id,
        status=sig.severity,
        summary=sig.text("title", caps),
        details=sig.text("cause", caps),
        evidence=(Evidence(f"{source}:{match.lines[0]}", match.excerpt),),
        remedy=sig.text("remedy", caps),
        recipe=recipe,
        scope="log",
    )


def explain_stream(stream: BinaryIO, source: str, signatures: Iterable[Signature] | None = None) -> Explained:
    """Scan `stream` (binary) and turn each recognised signature into one finding."""
    result = scan_stream(stream, builtin_signatures() if signatures is None else signatures)
    findings = tuple(to_finding(m, source) for m in result.matches)
    return Explained(source, findings, result)
