"""The connection ramp of the default (auto) connection count."""

from __future__ import annotations

from mlu_doctor.download import transfer
from mlu_doctor.download.transfer import Ramp


def test_ramp_adds_while_the_throughput_grows_then_settles(monkeypatch):
    clock = [100.0]
    monkeypatch.setattr(transfer.time, "monotonic", lambda: clock[0])
    ramp = Ramp(0)
    assert not ramp.grow(10)  # too early: less than RAMP_EVERY since the last look
    clock[0] += 1.0
    assert not ramp.grow(2_000_000)  # the first connection's first second (set-up, burst): not judged
    clock[0] += 1.0
    assert ramp.grow(3_000_000)  # 1 MB/s with one connection: add one
    clock[0] += 1.0
    assert not ramp.grow(5_500_000)  # the second's first second: not judged
    clock[0] += 1.0
    assert ramp.grow(7_500_000)  # 2 MB/s: grew by more than 15%: add another
    clock[0] += 1.0
    assert not ramp.grow(10_000_000)
    clock[0] += 1.0
    assert not ramp.grow(12_100_000)  # 2.1 MB/s: the third added nothing worth it: settle
    clock[0] += 5.0
    assert not ramp.grow(50_000_000)  # settled for this round
