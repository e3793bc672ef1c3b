"""The format registry (report/__init__.py): every output format is registered."""

from __future__ import annotations

from mlu_doctor.report import FORMATS


def test_all_formats_registered():
    assert {"human", "json", "junit", "github", "prometheus"} <= set(FORMATS)
