"""`mlu-doctor npd` and the human summary on a node the doctor cannot see into: unknown, never healthy."""

from __future__ import annotations

import pytest

from mlu_doctor.i18n import set_language
from tests.kit.hosts import blind_host, mlu220_m2_host, no_driver_host


@pytest.fixture(autouse=True)
def english():
    yield
    set_language("en")  # --lang zh switches the process-wide language


NODE = ["--only", "device", "--only", "driver", "--only", "toolkit", "--timeout", "0.5"]


def test_npd_on_a_node_where_cnmon_hangs_and_proc_shows_nothing_is_unknown(cli, tmp_path):
    host = blind_host(tmp_path)
    result = cli(["npd", "--root", host.root, *NODE], env=host.env)
    assert result.exit_code == 2, result.stdout
    assert result.stdout.startswith("driver.loaded (+1 more) could not be checked:") and "healthy" not in result.stdout
    assert result.stdout.count("\n") == 1 and len(result.stdout.rstrip("\n")) <= 80


def test_npd_is_healthy_on_a_healthy_node_and_a_problem_without_driver(cli, tmp_path):
    healthy = mlu220_m2_host(tmp_path / "ok")
    result = cli(["npd", "--root", healthy.root, *NODE], env=healthy.env)
    assert (result.exit_code, result.stdout) == (0, "MLU node healthy: 5 checks, none failing\n")
    sick = no_driver_host(tmp_path / "sick")
    result = cli(["npd", "--root", sick.root, *NODE, "--max-length", "200"], env=sick.env)
    assert result.exit_code == 1 and result.stdout.startswith("device.nodes (+1 more): 1 card(s) seen in PCI")


def test_the_human_summary_names_what_could_not_be_judged(cli, tmp_path):
    host = blind_host(tmp_path)
    result = cli(["check", "--root", host.root, *NODE], env=host.env)
    last = result.stdout.splitlines()[-1]
    assert last == "2 skip, 3 ok; not judged: driver.loaded, driver.version"
    zh = cli(["check", "--root", host.root, *NODE, "--lang", "zh"], env=host.env)
    assert zh.stdout.splitlines()[-1] == "2 项跳过，3 项通过；无法判断：driver.loaded，driver.version"
