"""The driver probe's cnmon run: killed at the timeout, missing from PATH, `cnmon info` only when the table is unreadable, garbage recorded as an error."""

from __future__ import annotations

import time

from tests.kit import hosts
from tests.kit.hosts import facts_of


def test_hanging_cnmon_is_killed_at_the_timeout(tmp_path):
    host = hosts.cnmon_hangs_host(tmp_path, sleep=30)
    start = time.monotonic()
    f = facts_of(host, ("driver",), timeout=0.5)
    assert time.monotonic() - start < 5
    assert f.driver.cnmon.status == "timeout"
    assert f.errors["driver"] == "cnmon timed out after 0.5 s"
    assert f.driver.versions == {"proc": "4.6.9", "module": "4.6.9"}, "other sources still count"


def test_cnmon_missing_from_path(tmp_path):
    host = hosts.mlu220_m2_host(tmp_path)
    host.env["PATH"] = str(tmp_path / "empty")
    f = facts_of(host, ("driver",))
    assert f.driver.cnmon.status == "missing" and "cnmon" not in f.driver.versions


def test_cnmon_info_runs_only_when_the_table_is_unreadable(tmp_path):
    host = hosts.mlu220_m2_host(tmp_path)
    info = "Card 0\nProduct Name : MLU220-M2\nDriver : v4.6.9\nFirmware : v1.1.1\n"
    hosts.fake_cnmon(host.bindir, "| CNMON 9.0 | a layout from the future\n", info=info)
    f = facts_of(host, ("driver",))
    assert host.cnmon_calls() == ["", "info"]
    assert (f.driver.cnmon.status, f.driver.cnmon.layout, f.driver.cnmon.driver_version) == ("ok", "info", "4.6.9")


def test_cnmon_failing_with_garbage_records_an_error(tmp_path):
    host = hosts.mlu220_m2_host(tmp_path)
    hosts.fake_cnmon(host.bindir, b"\xff\xfe segfault \x00\x01", code=139)
    f = facts_of(host, ("driver",))
    assert f.driver.cnmon.status == "failed" and f.errors["driver"].startswith("cnmon failed")
