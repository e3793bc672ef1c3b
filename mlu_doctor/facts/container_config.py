"""Pure readings of a container's configuration (inspect) that checks need: cheap to import on the check
path."""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: the records load with a container (facts/container_model.py)
    from mlu_doctor.facts.container_model import ContainerFacts


def dev_bind_mounted(c: ContainerFacts) -> bool:
    """`-v /dev:/dev`: the host's whole /dev is visible (opening a node still needs --privileged or a
    device cgroup rule)."""
    return any(posixpath.normpath(m.source or "/x") == "/dev"
               and posixpath.normpath(m.destination or "/x") == "/dev" for m in c.mounts)


def kubernetes_managed(c: ContainerFacts) -> bool:
    """Created by the kubelet (a pod's container): the device plugin (or HAMi) chose its cards and set
    MLU_VISIBLE_DEVICES / CAMBRICON_VISIBLE_DEVICES itself."""
    return any(k.startswith("io.kubernetes.") for k in c.labels) or c.name.startswith("k8s_")


def mounted_tool(c: ContainerFacts, name: str) -> str | None:
    """Where a bind mount puts a file called `name` (`-v /usr/bin/cnmon:/usr/bin/cnmon`), if one does."""
    for m in c.mounts:
        dest = posixpath.normpath(m.destination or "/")
        src = posixpath.normpath(m.source or "/")
        if posixpath.basename(dest) == name or (posixpath.basename(src) == name and m.type == "bind"):
            return dest
    return None
