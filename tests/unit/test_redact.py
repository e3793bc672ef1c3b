"""Redaction: harmless text is left alone, names are replaced consistently and JSON stays valid."""

from __future__ import annotations

import json

import pytest

from mlu_doctor.redact import Redactor, redact_texts


@pytest.mark.parametrize(
    "text",
    [
        "torch 1.3.0a0+b8a5f1d, cnmon 5.10.22, CNRT: 4.10.0 af3d5e7",
        "bus 0000:21:00.0 at 2021-04-21 11:42:31.830927",
        "std::vector<int> and cnrt::Queue",
        "listening on 127.0.0.1:8080 and ::1",
        '{"tokens": 5, "auth": null, "keyboard": "x"}',
    ],
)
def test_redaction_leaves_harmless_text_alone(text):
    assert Redactor().redact(text) == text


def test_redaction_is_consistent_and_keeps_json_valid():
    red = Redactor()
    red.add("host", ["build-7"])
    doc = json.dumps({"a": "build-7", "b": "ssh build-7", "ip": "10.0.0.5", "ip2": "10.0.0.5", "PASSWORD": 1234,
                      "token": "t0k3n-value", "SN": "AB12345"})
    [out] = redact_texts([doc], red)
    data = json.loads(out)
    assert data["a"] == "<host-1>" and data["b"] == "ssh <host-1>"
    assert data["ip"] == data["ip2"] == "<ip-1>"
    assert data["PASSWORD"].startswith("<secret-") and data["token"].startswith("<secret-") and data["SN"] == "<serial-1>"
