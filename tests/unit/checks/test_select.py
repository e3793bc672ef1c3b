"""Check selection: --only and --skip by id prefix."""

from __future__ import annotations

from mlu_doctor.checks import CheckSpec, select


def _spec(func, needs=("device",), cid="x.y"):
    return CheckSpec(cid, "t", needs, func)


def test_select_by_prefix():
    specs = [_spec(None, cid=i) for i in ("env.torch-home", "env.pythonpath", "environment.x", "device.present")]
    assert [s.id for s in select(specs, only=["env"])] == ["env.torch-home", "env.pythonpath"]
    assert [s.id for s in select(specs, skip=["env."])] == ["environment.x", "device.present"]
