"""serde: facts round-trip through JSON; statuses order and serialise by name."""

from __future__ import annotations

import json
import subprocess
import sys

from mlu_doctor.facts.container_model import ContainerDevice, ContainerFacts
from mlu_doctor.facts.model import DeviceFacts, Facts, PciDevice, RuntimeFacts
from mlu_doctor.findings import Status
from mlu_doctor.serde import from_data, to_data


def test_facts_round_trip_through_json():
    facts = Facts(device=DeviceFacts(pci=[PciDevice("0000:21:00.0", "0x0220", "MLU220")], nodes=["/dev/cambricon_ctl"]))
    facts.errors["driver"] = "cnmon timed out after 3 s"
    again = from_data(Facts, json.loads(json.dumps(to_data(facts))))
    assert again == facts


def test_a_container_round_trips_though_facts_model_names_it_only_for_the_type_checker():
    facts = Facts(container=ContainerFacts("yolo", devices=[ContainerDevice("/dev/cambricon_dev0", "/dev/cambricon_dev0")],
                                           runtime=RuntimeFacts(status="ran")))
    again = from_data(Facts, json.loads(json.dumps(to_data(facts))))
    assert again == facts and type(again.container.devices[0]) is ContainerDevice


def test_loading_facts_imports_the_container_records_only_then():
    script = ("import sys; from mlu_doctor.facts.model import Facts; from mlu_doctor.serde import from_data\n"
              "before = 'mlu_doctor.facts.container_model' in sys.modules\n"
              "f = from_data(Facts, {'schema_version': 1, 'container': {'name': 'c'}})\n"
              "print(before, type(f.container).__name__)")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True).stdout
    assert out.split() == ["False", "ContainerFacts"]


def test_status_order_and_labels():
    assert Status.OK < Status.SKIP < Status.WARN < Status.FAIL < Status.ERROR
    assert to_data(Status.WARN) == "warn"
