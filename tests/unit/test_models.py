"""mlu_doctor.models: the 0.1 name of the finding types, kept for plugins."""

from __future__ import annotations

import mlu_doctor.findings as findings
import mlu_doctor.models as models


def test_the_old_name_gives_the_same_objects() -> None:
    # a plugin's `from mlu_doctor.models import warn` must build the very Finding the runner accepts
    for name in models.__all__:
        assert getattr(models, name) is getattr(findings, name), name
    assert models.warn("x").status is findings.Status.WARN
