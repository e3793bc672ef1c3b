"""framework probe (to be completed)."""

from __future__ import annotations

from mlu_doctor.facts.context import ProbeContext
from mlu_doctor.facts.model import FrameworkFacts


def probe(ctx: ProbeContext) -> FrameworkFacts:
    return FrameworkFacts()
