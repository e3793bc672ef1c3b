"""The CLI spine end to end: no card, cards and VFs on PCI, facts dumped and replayed, usage errors for bad facts files, configs and roots."""

from __future__ import annotations

import json

import pytest

from tests.kit.files import write
from tests.kit.hosts import add_pci_card

pytestmark = pytest.mark.fast  # in-process CLI


def test_no_mlu_host_reports_clearly_and_exits_1(cli, empty_root):
    result = cli(["check", "--root", empty_root, "--only", "device.present"])
    assert result.exit_code == 1
    assert "no Cambricon device found; looked at PCI, /dev" in result.stdout  # no driver in /proc, no cnmon


def test_pci_card_is_found_and_vfs_skipped(cli, empty_root):
    add_pci_card(empty_root, "0002:21:00.0", 0x0220, 0x0033)
    add_pci_card(empty_root, "0002:21:00.1", 0x0220, vf=True)
    result = cli(["check", "--root", empty_root, "--only", "device.present", "--format", "json"])
    data = json.loads(result.stdout)
    assert data["findings"][0]["status"] == "ok"
    assert "MLU220-M2" in data["findings"][0]["summary"] and "x" not in data["findings"][0]["summary"].split(":")[1]


def test_facts_replay_gives_same_findings(cli, empty_root, tmp_path):
    add_pci_card(empty_root, "0000:1b:00.0", 0x0370, 0x0054)
    dumped = cli(["facts", "--root", empty_root])
    assert dumped.exit_code == 0
    path = write(tmp_path / "facts.json", dumped.stdout)
    live = json.loads(cli(["check", "--root", empty_root, "--format", "json"]).stdout)["findings"]
    replay = json.loads(cli(["check", "--facts", path, "--format", "json"]).stdout)["findings"]
    assert replay == live


def test_future_facts_schema_is_a_usage_error(cli, tmp_path):
    path = write(tmp_path / "f.json", json.dumps({"schema_version": 99}))
    result = cli(["check", "--facts", path])
    assert result.exit_code == 2 and "schema 99" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("content", [b"{not json", b"\xff\xfe\x00junk", b"[]"])
def test_garbage_facts_file_is_a_usage_error(cli, tmp_path, content):
    path = write(tmp_path / "f.json", content)
    result = cli(["check", "--facts", path])
    assert result.exit_code == 2 and "Traceback" not in result.stderr


def test_malformed_config_exits_2_naming_the_line(cli, tmp_path, empty_root):
    cfg = write(tmp_path / "c.yaml", "timeouts:\n  probe: [1\n")
    result = cli(["check", "--root", empty_root, "--config", cfg])
    assert result.exit_code == 2 and f"{cfg}:" in result.stderr


def test_unknown_root_is_a_usage_error(cli, tmp_path):
    result = cli(["check", "--root", tmp_path / "nope"])
    assert result.exit_code == 2 and "no such directory" in result.stderr
