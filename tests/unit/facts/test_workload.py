"""Workload evidence in a project: core versions, genoff -mcore, offline models, twins; the scan is bounded."""

from __future__ import annotations

import shutil

from mlu_doctor.facts.workload import ScanLimits, scan_project
from mlu_doctor.system.local import LocalSystem
from tests.kit.files import DATA, write


def test_workload_evidence(tmp_path):
    top = tmp_path / "proj"
    write(top / "run_online.py", "import torch_mlu.core.mlu_model as ct\n# ct.set_core_version('MLU220')\n"
                                 "ct.set_core_version('MLU270')\nct.set_core_number(16)\n")
    write(top / "tools/gen.sh", "python genoff.py -model yolov3 \\\n   -mcore MLU220 -core_number 4\n")
    write(top / "tools/gen_default.sh", "python /torch/examples/offline/genoff/genoff.py -model resnet50\n")
    write(top / "models/yolov3_mlu270_int8.cambricon", b"\x00\x01")
    write(top / "models/resnet_220_.cambricon", b"\x00")
    shutil.copy(DATA / "yolov5s.cambricon_twins", top / "models/yolov5s.cambricon_twins")
    write(top / ".git/hooks/x.py", "ct.set_core_version('MLU290')\n")
    found, opened = scan_project(LocalSystem(str(tmp_path)), "/proj")
    by = {(w.kind, w.target, w.value) for w in found}
    assert ("set_core_version", "MLU270", None) in by and ("set_core_version", "MLU220", None) not in by
    assert ("core_number", "MLU270", 16) in by and ("core_number", None, 4) in by
    assert ("mcore", "MLU220", None) in by and ("mcore", "MLU270", None) in by  # genoff without -mcore
    assert ("offline-model", "MLU270", None) in by and ("offline-model", "MLU220", None) in by
    twins = [w for w in found if w.kind == "twins"][0]
    assert twins.target is None and twins.source.endswith("yolov5s.cambricon_twins:29") and twins.excerpt == "Core version: "
    assert not any(".git" in w.source for w in found) and opened == 4
    sv = [w for w in found if w.kind == "set_core_version"][0]
    assert sv.source == "/proj/run_online.py:3" and sv.excerpt == "ct.set_core_version('MLU270')"


def test_workload_scan_is_bounded(tmp_path):
    for i in range(30):
        write(tmp_path / f"p/s{i:02d}.py", "ct.set_core_version('MLU270')\n")
    found, opened = scan_project(LocalSystem(str(tmp_path)), "/p", ScanLimits(max_files=5))
    assert opened == 5 and len(found) == 5
    found, _ = scan_project(LocalSystem(str(tmp_path)), "/p", ScanLimits(max_evidence=3))
    assert len(found) == 3


def test_twins_with_a_core_version(tmp_path):
    write(tmp_path / "p/m.cambricon_twins", "Function #0 {\n    Core version: MLU220\n    Core limit: 4\n")
    found, _ = scan_project(LocalSystem(str(tmp_path)), "/p")
    assert [(w.kind, w.target) for w in found] == [("twins", "MLU220")]
