"""`mlu-doctor report`: Markdown + JSON support bundle; --redact leaves no name, address, serial or secret."""

from __future__ import annotations

import json
import re
import socket

import pytest

from mlu_doctor.facts.io import facts_to_json
from mlu_doctor.facts.model import (
    CnmonFacts,
    DeviceFacts,
    DriverFacts,
    EnvFacts,
    Evidence,
    Facts,
    ProcCard,
    ProjectFacts,
)

SECRETS = {
    "hostname": "gpu-node-17.corp.example.com",
    "short host": "gpu-node-17",
    "user": "alice.wong",
    "home": "/home/alice.wong",
    "other dir": "/data/work-alice.wong",
    "serial (proc)": "SN-9F8E7D6C5B",
    "serial (cnmon)": "BSN12345678",
    "serial (evidence)": "0x7a7b7c7d7e",
    "hf token": "hf_AbCdEfGhIjKlMnOpQrStUvWxYz",
    "github token": "ghp_0123456789abcdefghijABCDEFGHIJ",
    "password": "pa55-w0rd!x",
    "aws secret": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "proxy user": "proxyuser",
    "proxy password": "proxypass",
    "ipv4": "10.11.12.13",
    "ipv4 node": "192.168.7.42",
    "ipv6": "2001:db8:85a3::8a2e:370:7334",
    "mac": "3c:22:fb:11:22:33",
    "email": "alice.wong@corp.example.com",
    "bearer": "abcDEF123456789xyz",
    "api key in env": "k-1234567890abcdef",
}


def secret_facts() -> Facts:
    s = SECRETS
    return Facts(
        device=DeviceFacts(
            proc=[ProcCard(bus="0000:21:00.0", name="MLU370-X8", model="MLU370-X8", driver_version="5.10.22", serial=s["serial (proc)"])],
            evidence=[Evidence("/proc/driver/cambricon/mlus/0000:21:00.0/information",
                               f"Device name: MLU370-X8\nBoard Serial Number : {s['serial (evidence)']}\nHost: {s['short host']}")],
        ),
        driver=DriverFacts(versions={"proc": "5.10.22"}, cnmon=CnmonFacts(
            status="ok", version="5.10.22", excerpt=f"Card 0 MLU370-X8 Serial Number: {s['serial (cnmon)']}")),
        env=EnvFacts(home=s["home"], vars={
            "HF_TOKEN": s["hf token"],
            "GITHUB_TOKEN": s["github token"],
            "DB_PASSWORD": s["password"],
            "AWS_SECRET_ACCESS_KEY": s["aws secret"],
            "https_proxy": f"http://{s['proxy user']}:{s['proxy password']}@{s['ipv4']}:3128",
            "TORCH_HOME": f"{s['home']}/models/pytorch",
            "PYTHONPATH": f"{s['home']}/yolov5:{s['other dir']}",
        }),
        project=ProjectFacts(dir=f"{s['home']}/yolov5", cwd=s["other dir"]),
        extra={
            "hostname": s["hostname"],
            "node_ip": s["ipv4 node"],
            "ipv6": s["ipv6"],
            "mac": s["mac"],
            "contact": s["email"],
            "note": f"curl -H 'Authorization: Bearer {s['bearer']}' https://example.invalid/",
        },
    )


@pytest.fixture
def facts_file(tmp_path):
    path = tmp_path / "facts.json"
    path.write_text(facts_to_json(secret_facts()))
    return path


ENV = {"HOME": SECRETS["home"], "USER": SECRETS["user"], "MY_API_KEY": SECRETS["api key in env"]}


def _outputs(cli, tmp_path, facts_file, *extra):
    out = tmp_path / "bundle.md"
    result = cli(["report", "--facts", facts_file, "-o", out, *extra], env=ENV)
    assert result.exit_code == 0, result.stdout + result.stderr
    return out.read_text(encoding="utf-8"), (tmp_path / "bundle.json").read_text(encoding="utf-8")


def test_without_redact_the_fixture_values_reach_the_files(cli, tmp_path, facts_file):
    md, js = _outputs(cli, tmp_path, facts_file)
    both = md + js
    present = [k for k, v in SECRETS.items() if v in both and k != "api key in env"]
    assert len(present) == len(SECRETS) - 1, set(SECRETS) - set(present)
    assert "## Versions" in md and "| driver | 5.10.22 |" in md and "MLU370-X8" in md
    data = json.loads(js)
    assert data["schema_version"] == 1 and data["facts"]["env"]["home"] == SECRETS["home"]


def test_redact_masks_every_name_address_serial_and_secret(cli, tmp_path, facts_file):
    md, js = _outputs(cli, tmp_path, facts_file, "--redact")
    for text in (md, js):
        survivors = [k for k, v in SECRETS.items() if v in text]
        assert not survivors, survivors
        host = socket.gethostname()
        assert not re.search(rf"(?<![\w.-]){re.escape(host)}(?![\w-])", text), "this machine's host name survived"
    data = json.loads(js)  # still valid JSON
    assert data["facts"]["device"]["proc"][0]["serial"].startswith("<serial-")
    assert data["facts"]["device"]["proc"][0]["bus"] == "0000:21:00.0"  # PCI addresses are not IPs
    assert data["facts"]["driver"]["versions"]["proc"] == "5.10.22"  # versions are not IPs
    # the same value gets the same placeholder in both files
    home = data["facts"]["env"]["home"]
    assert re.fullmatch(r"<home-\d+>", home) and home in md
    assert data["facts"]["extra"]["hostname"] in md


def test_report_in_chinese(cli, tmp_path, facts_file):
    out = tmp_path / "r.md"
    result = cli(["report", "--facts", facts_file, "-o", out, "--lang", "zh"])
    assert result.exit_code == 0 and "已写入" in result.stdout
    assert "## 版本" in out.read_text(encoding="utf-8")


def test_container_with_facts_file_is_a_usage_error(cli, tmp_path, facts_file):
    """A real container report is tested in test_fix_container_docker.py."""
    result = cli(["report", "--facts", facts_file, "--container", "c1", "-o", tmp_path / "r.md"])
    assert result.exit_code == 2 and "--facts" in result.stderr


def test_output_must_be_the_markdown_file(cli, tmp_path, facts_file):
    assert cli(["report", "--facts", facts_file, "-o", tmp_path / "r.json"]).exit_code == 2
    assert cli(["report", "--facts", facts_file, "-o", tmp_path / "missing-dir" / "r.md"]).exit_code == 4  # cannot write: as check -o
