"""deploy/k8s: every manifest validates against the Kubernetes API schemas of two releases (kubernetes-validate
ships them: no network), plus the rules the API server enforces beyond the schema, and the loop's wiring."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from tests.kit.fleet import DEPLOY

pytestmark = pytest.mark.fast  # schema validation only, no cluster

# The oldest release still common on premises and the newest the installed schemas know.
VERSIONS = ("1.28.0", kubernetes_validate.latest_version())
MANIFESTS = sorted((DEPLOY / "k8s").glob("*.y*ml"))


def documents(path: Path) -> list[dict[str, Any]]:
    return [d for d in yaml.safe_load_all(path.read_text()) if d]


def daemonset() -> dict[str, Any]:
    (ds,) = [d for p in MANIFESTS for d in documents(p) if d["kind"] == "DaemonSet"]
    return ds


def container() -> dict[str, Any]:
    (spec,) = daemonset()["spec"]["template"]["spec"]["containers"]
    return spec


def test_there_are_manifests_and_two_distinct_versions():
    assert MANIFESTS and len(set(VERSIONS)) == 2 and VERSIONS[1] > "1.30"


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("path", MANIFESTS, ids=lambda p: p.name)
def test_manifest_validates_strictly_against_the_kubernetes_schema(path, version):
    for doc in documents(path):
        kubernetes_validate.validate(doc, version, strict=True)  # raises ValidationError


@pytest.mark.parametrize("version", VERSIONS)
def test_the_schema_check_catches_a_misspelt_field(version):
    broken = daemonset()
    broken["spec"]["template"]["spec"]["containers"][0]["volumeMount"] = []
    with pytest.raises(kubernetes_validate.ValidationError, match="volumeMount"):
        kubernetes_validate.validate(broken, version, strict=True)


def test_what_the_api_server_checks_beyond_the_schema():
    ds = daemonset()
    spec, pod = ds["spec"], ds["spec"]["template"]["spec"]
    assert spec["selector"]["matchLabels"].items() <= spec["template"]["metadata"]["labels"].items()
    security = container()["securityContext"]
    if security.get("privileged"):  # "cannot set allowPrivilegeEscalation to false and privileged to true"
        assert security.get("allowPrivilegeEscalation", True) is True
    names = [v["name"] for v in pod["volumes"]]
    assert len(names) == len(set(names)) and {m["name"] for m in container()["volumeMounts"]} <= set(names)
    terms = pod["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"]
    assert any("cabc" in e["key"] for t in terms for e in t["matchExpressions"])


def test_the_loop_writes_into_the_textfile_mount_and_reads_the_host_mount_read_only():
    spec = container()
    env = {e["name"]: e["value"] for e in spec["env"]}
    mounts = {m["mountPath"]: m for m in spec["volumeMounts"]}
    volumes = {v["name"]: v for v in daemonset()["spec"]["template"]["spec"]["volumes"]}
    host = mounts[env["HOST_ROOT"]]
    assert host["readOnly"] is True and volumes[host["name"]]["hostPath"]["path"] == "/"
    textfile = volumes[mounts[env["TEXTFILE_DIR"]]["name"]]["hostPath"]
    assert textfile["path"] == "/var/lib/node_exporter/textfile_collector"
    script = spec["args"][0]
    assert "--format prometheus" in script and "while true" in script and 'sleep "${INTERVAL_SECONDS' in script
    output = shlex.split(script.split("--output", 1)[1])[0]
    assert output == "${TEXTFILE_DIR:-/textfile}/mlu_doctor.prom"
    assert int(env["INTERVAL_SECONDS"]) * 3 == 900  # the MLUDoctorStale rule's threshold is three runs


def test_the_hosts_cnmon_runs_through_chroot_with_the_access_it_needs():
    spec = container()
    env = {e["name"]: e["value"] for e in spec["env"]}
    assert env["HOST_CNMON"] == "/usr/bin/cnmon" and "chroot" in spec["args"][0]
    assert spec["securityContext"]["privileged"] is True  # opening the host's /dev/cambricon_ctl needs it
    assert spec["securityContext"]["readOnlyRootFilesystem"] is True
    tmp = next(m for m in spec["volumeMounts"] if m["mountPath"] == "/tmp")
    volume = next(v for v in daemonset()["spec"]["template"]["spec"]["volumes"] if v["name"] == tmp["name"])
    assert "emptyDir" in volume  # the wrapper is written there, and must be executable
