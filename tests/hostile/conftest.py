"""Hostile-input suite: hypothesis profiles (deterministic in CI, random on demand).

`HYPOTHESIS_PROFILE=explore pytest tests/hostile` draws fresh random examples, ten times as many; the default
profile is derandomised so the suite gives the same verdict on every run and writes no example database.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile("ci", derandomize=True, database=None, deadline=3000, max_examples=150,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("explore", database=None, deadline=3000, max_examples=1500,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
