"""`check --format/--output/--fail-on` and `mlu-doctor npd` through the CLI."""

from __future__ import annotations

import os

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.kit.hosts import healthy_root

pytestmark = pytest.mark.fast  # in-process CLI


@pytest.fixture
def card_root(empty_root):
    return healthy_root(empty_root)


def test_output_writes_the_format_atomically_and_shows_the_human_report(cli, card_root, tmp_path):
    out = tmp_path / "textfile" / "mlu_doctor.prom"
    out.parent.mkdir()
    out.write_text("old\n")
    result = cli(["check", "--root", card_root, "--only", "device", "--format", "prometheus", "--output", out])
    assert result.exit_code == 0, result.stderr
    names = {f.name for f in text_string_to_metric_families(out.read_text())}
    assert "mlu_doctor_check_status" in names
    assert "device.present" in result.stdout and "mlu_doctor_" not in result.stdout  # console: human
    assert str(out) in result.stderr
    assert os.listdir(out.parent) == ["mlu_doctor.prom"]  # no temp file left behind
    assert oct(out.stat().st_mode & 0o044) == oct(0o044)  # readable by node_exporter


def test_output_into_a_missing_folder_is_exit_4(cli, card_root, tmp_path):
    result = cli(["check", "--root", card_root, "--format", "junit", "--output", tmp_path / "nope" / "r.xml"])
    assert result.exit_code == 4 and "cannot write" in result.stderr


def test_fail_on_decides_the_exit_code(cli, empty_root):
    base = ["check", "--root", empty_root, "--only", "device", "--format", "github"]
    failing = cli(base)
    assert failing.exit_code == 1 and failing.stdout.startswith("::error title=device.present::")
    assert cli([*base, "--fail-on", "fail"]).exit_code == 1
    bad = cli([*base, "--fail-on", "sometimes"])
    assert bad.exit_code == 2 and "--fail-on" in bad.stderr
    assert cli([*base, "--strict", "--fail-on", "fail"]).exit_code == 2


def test_acknowledged_findings_do_not_count_at_any_threshold(cli, empty_root, tmp_path):
    cfg = tmp_path / "cfg.yaml"
    cfg.write_text("acknowledge:\n  - id: device.present\n    reason: lab host without a card\n")
    result = cli(["check", "--root", empty_root, "--only", "device", "--config", cfg, "--fail-on", "warn",
                  "--format", "github"])
    assert result.exit_code == 0 and result.stdout.startswith("::notice title=device.present::")


@pytest.mark.parametrize("fmt", ["junit", "github", "prometheus", "json", "human"])
def test_every_format_renders_through_the_cli(cli, card_root, fmt):
    result = cli(["check", "--root", card_root, "--only", "device", "--format", fmt])
    assert result.exit_code == 0 and result.stdout.strip()


def test_npd_exit_codes_and_one_line(cli, card_root, tmp_path):
    empty_root = tmp_path / "empty"
    (empty_root / "sys/bus/pci/devices").mkdir(parents=True)  # a PCI bus without a card: a problem, not unknown
    healthy = cli(["npd", "--root", card_root, "--only", "device"])
    assert healthy.exit_code == 0 and healthy.stdout.count("\n") == 1 and "healthy" in healthy.stdout
    sick = cli(["npd", "--root", empty_root, "--only", "device", "--max-length", "40"])
    assert sick.exit_code == 1 and sick.stdout.startswith("device.present: ") and len(sick.stdout.rstrip("\n")) <= 40
    unknown = cli(["npd", "--root", tmp_path / "missing"])
    assert unknown.exit_code == 2 and unknown.stdout.count("\n") == 1 and "could not run" in unknown.stdout
    assert "no such directory" in unknown.stderr  # the whole story goes to stderr (NPD ignores it)
    broken = tmp_path / "bad.yaml"
    broken.write_text("datasets: [\n")
    assert cli(["npd", "--root", card_root, "--config", broken]).exit_code == 2
