"""Defaults and their bounds live in mlu_doctor/defaults.py; config, CLI options and the docker seam obey them."""

from __future__ import annotations

import pytest

from mlu_doctor import defaults
from mlu_doctor.config import Config, parse_config
from mlu_doctor.errors import CannotRun, ConfigError


def test_config_without_timeouts_takes_the_defaults():
    cfg = parse_config("datasets: {coco: /c}\n")
    assert (cfg.timeout, cfg.docker_timeout) == (defaults.PROBE_TIMEOUT, defaults.DOCKER_TIMEOUT) == (3.0, 10.0)
    assert Config().timeout == defaults.PROBE_TIMEOUT


def test_config_timeouts_are_read_separately():
    cfg = parse_config("timeouts:\n  probe: 1.5\n  docker: 45\n")
    assert (cfg.timeout, cfg.docker_timeout) == (1.5, 45.0)


@pytest.mark.parametrize("key", ["probe", "docker"])
@pytest.mark.parametrize("value", ["0", "-1", "3601", "nan", "inf"])
def test_config_timeout_outside_the_bounds_names_the_line(key, value):
    with pytest.raises(ConfigError) as info:
        parse_config(f"datasets: {{coco: /c}}\ntimeouts:\n  {key}: {value}\n", "cfg.yaml")
    assert str(info.value) == f"cfg.yaml:3: timeouts.{key} must be greater than 0 and at most 3600 seconds"


def test_config_timeout_at_the_upper_bound_is_allowed():
    assert parse_config("timeouts: {probe: 3600, docker: 3600}\n").docker_timeout == defaults.TIMEOUT_MAX


@pytest.mark.parametrize("args", [["check"], ["facts"], ["report", "-o", "r.md"], ["fix", "--dry-run"],
                                  ["fetch-coco", "--year", "2017", "--dest", "d", "--dry-run"]])
@pytest.mark.parametrize("value", ["0", "-1", "3600.5"])
def test_timeout_option_outside_the_bounds_is_a_usage_error(cli, tmp_path, monkeypatch, args, value):
    monkeypatch.chdir(tmp_path)
    result = cli([*args, "--timeout", value])
    assert result.exit_code == 2
    assert result.stderr == "mlu-doctor: --timeout must be greater than 0 and at most 3600 seconds\n"
    assert not (tmp_path / "r.md").exists()
    zh = cli([*args, "--timeout", value, "--lang", "zh"])
    assert zh.exit_code == 2 and zh.stderr == "mlu-doctor：--timeout 必须大于 0 且不超过 3600 秒\n"


def test_npd_with_a_timeout_outside_the_bounds_is_unknown(cli):
    result = cli(["npd", "--timeout", "0"])
    assert result.exit_code == 2
    assert "--timeout must be greater than 0 and at most 3600 seconds" in result.stderr


def test_timeout_help_shows_the_default(cli):
    assert "(default 3)" in " ".join(cli(["check", "--help"]).stdout.split())


@pytest.mark.parametrize("command", [["check"], ["report", "-o", "r.md"]])
def test_container_and_facts_together_are_a_usage_error(cli, tmp_path, command):
    facts = tmp_path / "facts.json"
    facts.write_text("{}")
    result = cli([*command, "--facts", facts, "--container", "c1"])
    assert result.exit_code == 2
    assert "--container and --facts cannot be combined" in result.stderr


def test_docker_calls_get_the_docker_timeout_not_the_probe_timeout(cli, tmp_path, empty_root, monkeypatch):
    """timeouts.docker reaches the daemon connection whatever --timeout says (no silent max())."""
    seen: list[float] = []

    def connect(timeout: float) -> None:
        seen.append(timeout)
        raise CannotRun("no daemon here")

    monkeypatch.setattr("mlu_doctor.system.docker.connect", connect)
    config = tmp_path / "cfg.yaml"
    config.write_text("timeouts: {docker: 25}\n")
    assert cli(["check", "--root", empty_root, "--container", "c1", "--timeout", "1"]).exit_code == 4
    assert cli(["check", "--root", empty_root, "--container", "c1", "--timeout", "60", "--config", config]).exit_code == 4
    assert seen == [defaults.DOCKER_TIMEOUT, 25.0]
