"""serde: facts round-trip through JSON; statuses order and serialise by name."""

from __future__ import annotations

import json

from mlu_doctor.facts.model import DeviceFacts, Facts, PciDevice
from mlu_doctor.findings import Status
from mlu_doctor.serde import from_data, to_data


def test_facts_round_trip_through_json():
    facts = Facts(device=DeviceFacts(pci=[PciDevice("0000:21:00.0", "0x0220", "MLU220")], nodes=["/dev/cambricon_ctl"]))
    facts.errors["driver"] = "cnmon timed out after 3 s"
    again = from_data(Facts, json.loads(json.dumps(to_data(facts))))
    assert again == facts


def test_status_order_and_labels():
    assert Status.OK < Status.SKIP < Status.WARN < Status.FAIL < Status.ERROR
    assert to_data(Status.WARN) == "warn"
