"""driver probe (to be completed: module state, /proc versions, cnmon)."""

from __future__ import annotations

from mlu_doctor.facts.context import ProbeContext
from mlu_doctor.facts.model import CnmonFacts, DriverFacts


def probe(ctx: ProbeContext) -> DriverFacts:
    return DriverFacts(cnmon=CnmonFacts(status="missing"))
