"""Container checks, the inspect parser and the container-side view: pure, no Docker; issue 17's rules judged on
the `docker run` lines of published guides (PaddleNLP, MinerU, CNStream, EasyDK, Kubernetes)."""

from __future__ import annotations

import ast
import json

from mlu_doctor.checks import builtin_checks
from mlu_doctor.checks.container import (
    container_cnmon,
    container_dataset,
    container_devices,
    container_shm,
    container_visible_devices,
)
from mlu_doctor.checks.runner import run_check
from mlu_doctor.config import Config
from mlu_doctor.diagnose import run_scoped
from mlu_doctor.facts.container import container_view, mount_for, nodes_from_config, parse_inspect
from mlu_doctor.facts.container_model import ContainerFacts, DatasetAccess
from mlu_doctor.facts.model import (
    DeviceFacts,
    Facts,
    FrameworkFacts,
    PciDevice,
    ProcCard,
)
from mlu_doctor.findings import Status
from mlu_doctor.serde import from_data, to_data
from mlu_doctor.system.container_agent import AGENT_SCRIPT

INSPECT = {
    "Id": "3eda77858f98aa", "Name": "/yolo", "Image": "sha256:abc",
    "Config": {"Image": "yellow.hub.cambricon.com/pytorch/pytorch:0.15.602-ubuntu18.04", "User": "",
               "Env": ["PATH=/usr/bin:/bin", "NEUWARE_HOME=/torch/neuware_home", "MLU_VISIBLE_DEVICES=0,1"],
               "WorkingDir": "/work"},
    "State": {"Status": "exited", "Running": False},
    "HostConfig": {"Privileged": False, "ShmSize": 67108864, "IpcMode": "private", "NetworkMode": "none",
                   "Devices": [{"PathOnHost": "/dev/cambricon_dev0", "PathInContainer": "/dev/cambricon_dev0",
                                "CgroupPermissions": "rwm"}]},
    "Mounts": [{"Type": "bind", "Source": "/data/coco", "Destination": "/coco", "RW": False}],
}


def mlu220_host(**container) -> Facts:
    c = ContainerFacts(name="yolo", image="img:1", **container)
    dev = DeviceFacts(pci=[PciDevice("0000:01:00.0", "0x0220", "MLU220", "0x0033", "MLU220-M2")],
                      proc=[ProcCard("0000:01:00.0", "MLU220-M2", "MLU220", "MLU220-M2")],
                      nodes=["/dev/cambricon_ctl", "/dev/cambricon_dev0"])
    return Facts(device=dev, container=c)


def mlu370_host(n: int = 2, **container) -> Facts:
    c = ContainerFacts(name="train", image="img:2", **container)
    dev = DeviceFacts(pci=[PciDevice(f"0000:0{i}:00.0", "0x0370", "MLU370") for i in range(n)])
    return Facts(device=dev, container=c)


def test_agent_script_is_python36_syntax():
    ast.parse(AGENT_SCRIPT, feature_version=(3, 6))
    assert "import json" not in AGENT_SCRIPT  # python3-minimal has no json module


def test_parse_inspect_keeps_what_matters():
    c = parse_inspect(INSPECT, ["pytorch:0.15.602-ubuntu18.04"])
    assert (c.name, c.id, c.state, c.running) == ("yolo", "3eda77858f98", "exited", False)
    assert c.env["NEUWARE_HOME"] == "/torch/neuware_home" and c.shm_size == 64 * 1024 * 1024
    assert c.devices[0].container_path == "/dev/cambricon_dev0"
    assert c.mounts[0].read_only and c.mounts[0].destination == "/coco"
    assert mount_for(c, "/data/coco/images") == ("/coco/images", c.mounts[0])
    assert mount_for(c, "/data/cocoa") is None


def test_missing_nodes_fail_with_exact_docker_run_flags():
    f = container_devices.func(mlu220_host(nodes=[]), Config())
    assert f.status is Status.FAIL
    assert "lacks /dev/cambricon_ctl and /dev/cambricon_devN" in f.summary and "MLU220" in f.summary
    assert "--device /dev/cambricon_ctl --device /dev/cambricon_dev0" in f.remedy and "ipcm" not in f.remedy


def test_mlu370_remedy_includes_ipcm_nodes():
    f = container_devices.func(mlu370_host(nodes=["/dev/cambricon_dev0"]), Config())
    assert f.status is Status.FAIL
    for node in ("cambricon_ctl", "cambricon_dev1", "cambricon_ipcm0", "cambricon_ipcm1"):
        assert f"--device /dev/{node}" in f.remedy


def test_privileged_or_complete_nodes_are_ok():
    assert container_devices.func(mlu220_host(privileged=True), Config()).status is Status.OK
    ok_nodes = mlu220_host(nodes=["/dev/cambricon_ctl", "/dev/cambricon_dev0"])
    assert container_devices.func(ok_nodes, Config()).status is Status.OK


def test_container_checks_skip_without_container_or_cards():
    f = run_check(container_devices, Facts(device=DeviceFacts()), Config())
    assert f.status is Status.SKIP and "container" in f.summary
    assert container_devices.func(Facts(device=DeviceFacts(), container=ContainerFacts("x")), Config()).status is Status.SKIP


def test_cnmon_not_mounted_names_the_volume_flag():
    f = container_cnmon.func(mlu220_host(), Config())
    assert f.status is Status.WARN and "-v /usr/bin/cnmon:/usr/bin/cnmon" in f.remedy
    assert container_cnmon.func(mlu220_host(cnmon="/usr/bin/cnmon"), Config()).status is Status.OK


def test_visible_devices_beyond_the_container_cards_fail():
    facts = mlu220_host(nodes=["/dev/cambricon_ctl", "/dev/cambricon_dev0"], env={"MLU_VISIBLE_DEVICES": "0,1,2,3"})
    f = container_visible_devices.func(facts, Config())
    assert f.status is Status.FAIL and "1, 2, 3 do not exist" in f.summary
    facts.container.env["MLU_VISIBLE_DEVICES"] = "0"
    assert container_visible_devices.func(facts, Config()).status is Status.OK
    facts.container.env["MLU_VISIBLE_DEVICES"] = ""
    assert container_visible_devices.func(facts, Config()).status is Status.FAIL


def test_visible_devices_skip_when_the_container_has_no_card():
    f = container_visible_devices.func(mlu220_host(), Config())
    assert f.status is Status.SKIP and "container.devices" in f.summary


def test_default_shm_warns_and_says_what_to_pass():
    f = container_shm.func(mlu220_host(shm_size=64 * 1024 * 1024), Config())
    assert f.status is Status.WARN and "64 MiB (Docker's default)" in f.summary and "--shm-size=8g" in f.remedy
    assert container_shm.func(mlu220_host(shm_size=8 << 30), Config()).status is Status.OK
    assert container_shm.func(mlu220_host(ipc_mode="host"), Config()).status is Status.OK


def test_dataset_on_host_but_not_in_container_offers_inject_and_bind_mount():
    access = [DatasetAccess("/data/coco", "config", host_exists=True)]
    f = run_check(container_dataset, mlu220_host(datasets_access=access), Config())
    assert f.status is Status.FAIL and f.recipe == "dataset.inject"
    assert "mlu-doctor fix dataset.inject --container yolo" in f.remedy and "-v /data/coco:/data/coco:ro" in f.remedy
    mounted = [DatasetAccess("/data/coco", "config", True, "/coco", "mount")]
    assert container_dataset.func(mlu220_host(datasets_access=mounted), Config()).status is Status.OK
    absent = [DatasetAccess("/data/coco", "config", host_exists=False)]
    assert container_dataset.func(mlu220_host(datasets_access=absent), Config()).status is Status.SKIP


def test_container_view_has_host_cards_and_container_framework():
    facts = mlu220_host(nodes=[], framework=FrameworkFacts(torch_version="1.3.0a0+b8a5f1d"))
    facts.framework = FrameworkFacts(torch_version="2.1.0")
    view = container_view(facts)
    assert view.framework.torch_version == "1.3.0a0+b8a5f1d"
    assert view.device.proc[0].family == "MLU220" and view.device.nodes == [] and view.device.in_container
    assert view.target == "container:yolo"


def test_scopes_split_host_and_container_findings():
    facts = mlu220_host(nodes=[])
    facts.driver = None
    findings = {f.id: f for f in run_scoped(builtin_checks(), facts, Config())}
    assert findings["device.present"].scope == "host"
    assert findings["container.devices"].scope == "container:yolo"
    assert all(f.scope.startswith("container:") for i, f in findings.items() if i.split(".")[0] in ("framework", "env", "toolkit"))


def test_host_only_run_leaves_container_checks_out():
    facts = Facts(device=DeviceFacts())
    ids = [f.id for f in run_scoped(builtin_checks(), facts, Config())]
    assert "device.present" in ids and not any(i.startswith("container.") for i in ids)


def test_container_facts_round_trip_through_json():
    facts = mlu220_host(nodes=["/dev/cambricon_ctl"], datasets_access=[DatasetAccess("/d", "config", True)])
    facts.container.framework = FrameworkFacts(torch_version="1.3.0a0")
    assert from_data(Facts, json.loads(json.dumps(to_data(facts)))) == facts


# --- issue 17: what the container can actually open, judged on the `docker run` lines of published guides ---


def inspect_of(name: str = "c", privileged: bool = False, devices: tuple[str, ...] = (), binds: tuple[str, ...] = (),
               pid: str = "", env: tuple[str, ...] = (), labels: dict | None = None, rules: tuple[str, ...] = ()) -> dict:
    """A `docker inspect` document for a container created with these flags (exited: judged from its config)."""
    mounts = []
    for b in binds:
        src, dest = b.split(":")[:2]
        mounts.append({"Type": "bind", "Source": src, "Destination": dest, "RW": True})
    return {"Id": "f00d" * 8, "Name": "/" + name, "State": {"Status": "exited"},
            "Config": {"Image": "img", "Env": list(env), "Labels": labels or {}},
            "HostConfig": {"Privileged": privileged, "PidMode": pid, "DeviceCgroupRules": list(rules),
                           "Devices": [{"PathOnHost": d, "PathInContainer": d, "CgroupPermissions": "rwm"} for d in devices]},
            "Mounts": mounts}


def host_with(family: str, model: str, n: int, ipcm: bool = True) -> DeviceFacts:
    nodes = ["/dev/cambricon_ctl"] + [f"/dev/cambricon_dev{i}" for i in range(n)]
    nodes += [f"/dev/cambricon_ipcm{i}" for i in range(n)] if ipcm else []
    return DeviceFacts(proc=[ProcCard(f"0000:{i:02x}:00.0", model, family, model) for i in range(n)], nodes=nodes)


def judged(inspect: dict, device: DeviceFacts) -> Facts:
    c = parse_inspect(inspect)
    c.host_nodes = list(device.nodes)
    c.nodes, c.nodes_source = nodes_from_config(c, device.nodes), "config"
    return Facts(device=device, container=c)


MLU590_X8 = host_with("MLU590", "MLU590-M9D", 8)
MLU270_X1 = host_with("MLU270", "MLU270-S4", 1, ipcm=False)
MLU370_X2 = host_with("MLU370", "MLU370-X4", 2)


def test_parse_inspect_reads_pid_mode_labels_and_the_dev_mount():
    c = parse_inspect(inspect_of(pid="host", binds=("/dev:/dev",), labels={"io.kubernetes.pod.name": "p"}))
    assert c.pid_mode == "host" and c.labels == {"io.kubernetes.pod.name": "p"}
    assert nodes_from_config(c, ["/dev/cambricon_ctl", "/dev/cambricon_dev0"]) == ["/dev/cambricon_ctl", "/dev/cambricon_dev0"]


def test_paddlenlp_privileged_run_with_one_device_and_cnmon_dir_mount_is_fine():
    """PaddleNLP llm/devices/mlu/llama: --privileged --device /dev/cambricon_dev0 --pid=host -v /usr/bin/cnmon/:/usr/bin/cnmon/."""
    facts = judged(inspect_of(privileged=True, devices=("/dev/cambricon_dev0",), pid="host",
                              binds=("/usr/bin/cnmon/:/usr/bin/cnmon/",)), MLU590_X8)
    assert container_devices.func(facts, Config()).status is Status.OK
    f = container_cnmon.func(facts, Config())
    assert f.status is Status.OK and f.summary.endswith("/usr/bin/cnmon") and not f.details


def test_privileged_with_dev_bind_mount_is_not_lacking_devices():
    facts = judged(inspect_of(privileged=True, binds=("/dev:/dev",)), MLU370_X2)
    assert container_devices.func(facts, Config()).status is Status.OK


def test_dev_bind_mount_without_privileged_warns_that_the_cgroup_blocks_opening():
    facts = judged(inspect_of(binds=("/dev:/dev",)), MLU370_X2)
    f = container_devices.func(facts, Config())
    assert f.status is Status.WARN and "--privileged" in f.remedy and "lacks" not in f.summary
    allowed = judged(inspect_of(binds=("/dev:/dev",), rules=("c *:* rmw",)), MLU370_X2)
    assert container_devices.func(allowed, Config()).status is Status.OK


def test_mlu100_device_names_on_an_mlu270_host_work_only_through_privileged():
    """CNStream's docs: docker run --device /dev/cambricon_c10Dev0 ... --privileged on MLU270."""
    facts = judged(inspect_of(privileged=True, devices=("/dev/cambricon_c10Dev0",), pid="host"), MLU270_X1)
    f = container_devices.func(facts, Config())
    assert f.status is Status.WARN and "/dev/cambricon_c10Dev0" in f.summary and "--privileged" in f.details
    assert "--device /dev/cambricon_dev0" in f.remedy
    unprivileged = judged(inspect_of(devices=("/dev/cambricon_c10Dev0",)), MLU270_X1)
    f = container_devices.func(unprivileged, Config())
    assert f.status is Status.FAIL and "--device /dev/cambricon_ctl --device /dev/cambricon_dev0" in f.remedy


def test_explicit_devices_without_ipcm_warn_only_on_multi_card_mlu370_and_later():
    """MinerU's MLU590-M9D guide passes ctl and dev0..7 (there with --privileged, which covers ipcm)."""
    devs = ("/dev/cambricon_ctl",) + tuple(f"/dev/cambricon_dev{i}" for i in range(8))
    assert container_devices.func(judged(inspect_of(privileged=True, devices=devs), MLU590_X8), Config()).status is Status.OK
    f = container_devices.func(judged(inspect_of(devices=devs), MLU590_X8), Config())
    assert f.status is Status.WARN and "--device /dev/cambricon_ipcm7" in f.remedy
    one = host_with("MLU370", "MLU370-S4", 1)
    single = judged(inspect_of(devices=("/dev/cambricon_ctl", "/dev/cambricon_dev0")), one)
    assert container_devices.func(single, Config()).status is Status.OK


def test_easydk_privileged_run_without_cnmon_mount_warns_about_cnmon():
    """CambriconKnight/easydk-docker-image: --privileged=true --net=host --pid=host, no cnmon mount."""
    facts = judged(inspect_of(privileged=True, pid="host"), MLU270_X1)
    assert container_devices.func(facts, Config()).status is Status.OK
    assert container_cnmon.func(facts, Config()).status is Status.WARN


def test_cnmon_mounted_without_pid_host_is_ok_with_a_note():
    facts = judged(inspect_of(privileged=True, binds=("/usr/bin/cnmon:/usr/bin/cnmon",)), MLU270_X1)
    f = container_cnmon.func(facts, Config())
    assert f.status is Status.OK and "--pid=host" in f.details


def test_kubernetes_plugin_sets_visible_devices_itself():
    k8s = inspect_of(name="k8s_train_pod-1_default_0", devices=("/dev/cambricon_ctl", "/dev/cambricon_dev3"),
                     env=("CAMBRICON_VISIBLE_DEVICES=3",), labels={"io.kubernetes.pod.name": "pod-1"})
    f = container_visible_devices.func(judged(k8s, MLU590_X8), Config())
    assert f.status is Status.OK and "Kubernetes device plugin" in f.summary
    plain = judged(inspect_of(devices=("/dev/cambricon_ctl", "/dev/cambricon_dev3"), env=("MLU_VISIBLE_DEVICES=3",)), MLU590_X8)
    assert container_visible_devices.func(plain, Config()).status is Status.FAIL


def test_visible_devices_all():
    facts = judged(inspect_of(privileged=True, env=("CAMBRICON_VISIBLE_DEVICES=all",)), MLU590_X8)
    assert container_visible_devices.func(facts, Config()).status is Status.OK
