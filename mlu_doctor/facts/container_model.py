"""The container's records: its configuration (inspect) and the facts gathered inside it.

Apart from facts/model.py because only `check --container` (and a facts file or capture holding a container)
builds them: their classes cost a plain `check` about 0.8 ms of start-up. `Facts.container` names
ContainerFacts; serde resolves it through model.deferred_names().
"""

from __future__ import annotations

from dataclasses import field
from typing import Optional

from mlu_doctor.facts.model import (
    DatasetFacts,
    EnvFacts,
    Evidence,
    FrameworkFacts,
    RuntimeFacts,
    ToolkitFacts,
)
from mlu_doctor.records import record as dataclass  # a dataclass with shared eq/repr: faster import


@dataclass
class ContainerMount:
    """One mount of a container (from inspect)."""

    destination: str
    source: str = ""
    type: str = "bind"  # bind | volume | tmpfs | npipe
    read_only: bool = False


@dataclass
class ContainerDevice:
    """One `--device` mapping (HostConfig.Devices)."""

    host_path: str
    container_path: str
    permissions: str = "rwm"


@dataclass
class DatasetAccess:
    """How a dataset root of the host is reachable in the container. via: mount | copy | None (not at all)."""

    host_path: str
    source: str = ""  # where the root was named: config, COCO_DIR, ...
    host_exists: bool = False
    container_path: Optional[str] = None
    via: Optional[str] = None


@dataclass
class ContainerFacts:
    """A container's configuration (inspect) and the facts gathered inside it (files via the archive API,
    exec)."""

    name: str
    id: str = ""
    image: str = ""  # the image reference the container was created from
    image_id: str = ""
    image_tags: list[str] = field(default_factory=list)
    state: str = "unknown"  # running | exited | created | paused | restarting | dead
    running: bool = False
    privileged: bool = False
    devices: list[ContainerDevice] = field(default_factory=list)
    device_cgroup_rules: list[str] = field(default_factory=list)
    mounts: list[ContainerMount] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)
    shm_size: Optional[int] = None  # bytes; None = not reported
    ipc_mode: str = ""
    pid_mode: str = ""  # "host" with --pid=host
    user: str = ""
    network_mode: str = ""
    working_dir: str = ""
    labels: dict[str, str] = field(default_factory=dict)  # Config.Labels (Kubernetes sets io.kubernetes.*)
    nodes: list[str] = field(default_factory=list)  # Cambricon nodes the container sees
    nodes_source: str = ""  # "exec" (listed inside) | "config" (--device / --privileged)
    host_nodes: list[str] = field(default_factory=list)  # the host's Cambricon nodes, for the --device remedy
    exec_status: str = "not-tried"  # ok | not-running | no-python | no-shell | failed | timeout
    python: Optional[str] = None
    python_version: Optional[str] = None
    sys_path: list[str] = field(default_factory=list)
    cnmon: Optional[str] = None  # where cnmon is inside the container, when it is
    datasets_access: list[DatasetAccess] = field(default_factory=list)
    toolkit: Optional[ToolkitFacts] = None
    framework: Optional[FrameworkFacts] = None
    env_facts: Optional[EnvFacts] = None
    datasets: Optional[DatasetFacts] = None
    runtime: Optional[RuntimeFacts] = None
    errors: dict[str, str] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)
