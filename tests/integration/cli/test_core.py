"""The spine: serde, config errors, engine containment, exit codes, facts replay."""

from __future__ import annotations

import json

import pytest

from mlu_doctor.checks import CheckSpec, select
from mlu_doctor.config import Config, parse_config
from mlu_doctor.engine import exit_status, make_report, run_check
from mlu_doctor.errors import ConfigError
from mlu_doctor.facts.model import DeviceFacts, Facts, PciDevice
from mlu_doctor.models import Finding, Status, ok, warn
from mlu_doctor.serde import from_data, to_data
from tests.kit.files import write
from tests.kit.hosts import add_pci_card


def test_facts_round_trip_through_json():
    facts = Facts(device=DeviceFacts(pci=[PciDevice("0000:21:00.0", "0x0220", "MLU220")], nodes=["/dev/cambricon_ctl"]))
    facts.errors["driver"] = "cnmon timed out after 3 s"
    again = from_data(Facts, json.loads(json.dumps(to_data(facts))))
    assert again == facts


def test_status_order_and_labels():
    assert Status.OK < Status.SKIP < Status.WARN < Status.FAIL < Status.ERROR
    assert to_data(Status.WARN) == "warn"


@pytest.mark.parametrize(
    "text, message",
    [
        ("datasets:\n  coco: [\n", ":3: malformed YAML"),
        ("datasets: 3\n", ":1: datasets must be a mapping"),
        ("timeouts:\n  probe: fast\n", ":2: timeouts.probe must be a number"),
        ("colour: red\n", ":1: unknown key 'colour'"),
        ("acknowledge:\n  - id: env.torch-home\n", ":2: each acknowledge entry needs 'id' and 'reason'"),
    ],
)
def test_bad_config_names_file_and_line(text, message):
    with pytest.raises(ConfigError) as info:
        parse_config(text, "cfg.yaml")
    assert str(info.value).startswith("cfg.yaml") and message in str(info.value)


def _spec(func, needs=("device",), cid="x.y"):
    return CheckSpec(cid, "t", needs, func)


def test_missing_facts_skip_and_say_why():
    facts = Facts(errors={"device": "device probe failed: boom"})
    f = run_check(_spec(lambda f, c: ok("fine")), facts, Config())
    assert f.status is Status.SKIP and "boom" in f.summary and f.id == "x.y"


def test_crashing_check_becomes_error_finding():
    def broken(facts, config):
        raise ZeroDivisionError("oops")

    f = run_check(_spec(broken), Facts(device=DeviceFacts()), Config())
    assert f.status is Status.ERROR and "ZeroDivisionError" in f.summary


def test_acknowledged_warning_does_not_count_even_with_strict():
    cfg = Config(acknowledged={"x.y": "known, tracked in JIRA-1"})
    f = run_check(_spec(lambda f, c: warn("meh")), Facts(device=DeviceFacts()), cfg)
    assert f.acknowledged == "known, tracked in JIRA-1"
    assert exit_status(make_report([f], None), strict=True) == 0


def test_exit_status_strict_counts_warnings():
    report = make_report([Finding("a.b", Status.WARN, "w"), Finding("c.d", Status.OK, "o")], None)
    assert exit_status(report) == 0 and exit_status(report, strict=True) == 1


def test_select_by_prefix():
    specs = [_spec(None, cid=i) for i in ("env.torch-home", "env.pythonpath", "environment.x", "device.present")]
    assert [s.id for s in select(specs, only=["env"])] == ["env.torch-home", "env.pythonpath"]
    assert [s.id for s in select(specs, skip=["env."])] == ["environment.x", "device.present"]


def test_no_mlu_host_reports_clearly_and_exits_1(cli, empty_root):
    result = cli(["check", "--root", empty_root, "--only", "device.present"])
    assert result.exit_code == 1
    assert "no Cambricon device found; looked at PCI, /proc/driver/cambricon, /dev, cnmon" in result.stdout


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
