"""The finding types under their 0.1 name, for plugins written against it: they live in `mlu_doctor.findings`.

New code imports `mlu_doctor.findings` (facts have their own types in `mlu_doctor.facts.model`).
"""

from mlu_doctor.findings import Evidence, Finding, Report, Status, fail, finding, ok, skip, warn

__all__ = ["Evidence", "Finding", "Report", "Status", "fail", "finding", "ok", "skip", "warn"]
