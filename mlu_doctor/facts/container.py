"""Container facts: the inspect summary (pure parser) and the container-side view the checks run on."""

from __future__ import annotations

import dataclasses
import posixpath
from typing import Any

from mlu_doctor.facts.container_config import dev_bind_mounted
from mlu_doctor.facts.container_model import ContainerDevice, ContainerFacts, ContainerMount
from mlu_doctor.facts.device import NODE_RE
from mlu_doctor.facts.model import Facts, ProjectFacts

# what docker exec uses without PATH
DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def parse_env(items: list[str] | None) -> dict[str, str]:
    """Config.Env `K=V` strings to a dict (later entries win, as in the container)."""
    out: dict[str, str] = {}
    for item in items or []:
        key, _, value = item.partition("=")
        if key:
            out[key] = value
    return out


def parse_inspect(data: dict[str, Any], image_tags: list[str] | None = None) -> ContainerFacts:
    """The parts of `docker inspect` that matter for an MLU workload."""
    config, host, state = data.get("Config") or {}, data.get("HostConfig") or {}, data.get("State") or {}
    devices = [ContainerDevice(d.get("PathOnHost", ""), d.get("PathInContainer", ""),
                               d.get("CgroupPermissions", ""))
               for d in host.get("Devices") or []]
    mounts = [ContainerMount(m.get("Destination", ""), m.get("Source", ""), m.get("Type", ""),
                             not m.get("RW", True))
              for m in data.get("Mounts") or []]
    status = state.get("Status") or ("running" if state.get("Running") else "unknown")
    return ContainerFacts(
        name=(data.get("Name") or "").lstrip("/") or data.get("Id", "")[:12],
        id=data.get("Id", "")[:12],
        image=config.get("Image", ""),
        image_id=data.get("Image", ""),
        image_tags=list(image_tags or []),
        state=status,
        running=status == "running",
        privileged=bool(host.get("Privileged")),
        devices=devices,
        device_cgroup_rules=list(host.get("DeviceCgroupRules") or []),
        mounts=mounts,
        env=parse_env(config.get("Env")),
        shm_size=host.get("ShmSize") or None,
        ipc_mode=host.get("IpcMode", "") or "",
        pid_mode=host.get("PidMode", "") or "",
        user=config.get("User", "") or "",
        network_mode=host.get("NetworkMode", "") or "",
        working_dir=config.get("WorkingDir", "") or "",
        labels={str(k): str(v) for k, v in (config.get("Labels") or {}).items()},
    )


def nodes_from_config(c: ContainerFacts, host_nodes: list[str]) -> list[str]:
    """Cambricon nodes a container gets from its configuration: --device entries; all host nodes if
    privileged or when the host's /dev is bind-mounted."""
    nodes = {d.container_path for d in c.devices if NODE_RE.match(posixpath.basename(d.container_path))}
    if c.privileged or dev_bind_mounted(c):
        nodes.update(host_nodes)
    return sorted(nodes)


def cambricon_nodes(dev_names: list[str]) -> list[str]:
    return sorted(f"/dev/{n}" for n in dev_names if NODE_RE.match(n))


def mount_for(c: ContainerFacts, host_path: str) -> tuple[str, Any] | None:
    """The container path where `host_path` appears through a bind mount, with the mount; None if not
    mounted."""
    host_path = posixpath.normpath(host_path)
    for m in sorted(c.mounts, key=lambda m: -len(m.source)):
        src = posixpath.normpath(m.source) if m.source else ""
        if src and (host_path == src or host_path.startswith(src.rstrip("/") + "/")):
            return posixpath.normpath(m.destination + host_path[len(src):]), m
    return None


def container_view(facts: Facts) -> Facts:
    """The facts checks see for the container: the host's cards and driver (PCI and /proc are not
    namespaced), the container's /dev nodes, toolkit, framework, env and datasets."""
    c = facts.container
    if c is None:
        return facts
    device = None
    if facts.device is not None:
        device = dataclasses.replace(facts.device, nodes=list(c.nodes), in_container=True,
                                     container_markers=[f"docker inspect {c.name}"])
    project = None
    # the user's workload evidence stands; import resolution was done with the host's paths
    if facts.project is not None:
        p = facts.project
        project = ProjectFacts(dir=p.dir, cwd=p.cwd, kind=p.kind, workload=list(p.workload),
                               scanned_files=p.scanned_files)
    errors = {k: v for k, v in facts.errors.items() if k in ("device", "driver")}
    errors.update(c.errors)
    return Facts(
        schema_version=facts.schema_version, tool_version=facts.tool_version, target=f"container:{c.name}",
        root=facts.root, device=device,
        driver=facts.driver, toolkit=c.toolkit, framework=c.framework, env=c.env_facts, project=project,
        datasets=c.datasets, container=c, runtime=c.runtime, errors=errors,
    )
