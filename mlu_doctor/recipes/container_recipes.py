"""Container recipes: the `docker run` flags a container lacks (advice only: containers are never recreated)."""

from __future__ import annotations

from mlu_doctor.checks.container import DOCKER_DEFAULT_SHM, SHM_MIN, device_flags
from mlu_doctor.config import Config
from mlu_doctor.facts.model import ContainerFacts, Facts
from mlu_doctor.i18n import _
from mlu_doctor.recipes.base import ADVICE, Plan, PlanContext, Recipe, Step


def node_order(node: str) -> tuple[int, int]:
    """ctl first, then dev0, dev1, ..., then ipcm0, ..."""
    name = node.rsplit("_", 1)[-1]
    kind = next((i for i, k in enumerate(("ctl", "dev", "ipcm")) if name.startswith(k)), 3)
    digits = "".join(ch for ch in name if ch.isdigit())
    return kind, int(digits) if digits else -1


def missing_flags(facts: Facts, c: ContainerFacts) -> list[str]:
    """`docker run` flags for what the container lacks: device nodes, cnmon, a usable /dev/shm."""
    flags: list[str] = []
    has_devs = "/dev/cambricon_ctl" in c.nodes and any(n.startswith("/dev/cambricon_dev") for n in c.nodes)
    if not c.privileged and not has_devs:
        for node in sorted((f.split(" ", 1)[1] for f in device_flags(facts, c)), key=node_order):
            flags += ["--device", node]
    if not c.cnmon:
        cnmon = facts.driver.cnmon if facts.driver is not None else None
        host = (cnmon.path if cnmon is not None and cnmon.path else None) or "/usr/bin/cnmon"
        flags += ["-v", f"{host}:/usr/bin/cnmon:ro"]
    if c.ipc_mode != "host" and (c.shm_size or DOCKER_DEFAULT_SHM) < SHM_MIN:
        flags += ["--shm-size", "8g"]
    return flags


def kept_flags(c: ContainerFacts) -> list[str]:
    """The container's own devices and bind mounts, so the new one keeps them."""
    flags: list[str] = []
    for d in c.devices:
        flags += ["--device", d.host_path if d.host_path == d.container_path else f"{d.host_path}:{d.container_path}"]
    for m in c.mounts:
        if m.type == "bind" and m.source and m.destination != "/usr/bin/cnmon":
            flags += ["-v", f"{m.source}:{m.destination}" + (":ro" if m.read_only else "")]
    return flags


class ContainerDevices(Recipe):
    """Print the `docker run` command that gives a container the host's MLU cards (and cnmon, and /dev/shm)."""

    id = "container.devices"
    title = "Recreate the container with what it lacks (MLU device nodes, cnmon, /dev/shm)"
    fixes = ("container.devices", "container.cnmon", "container.shm")
    needs = ("device", "driver")

    def plan(self, facts: Facts, config: Config, ctx: PlanContext) -> Plan:
        c = facts.container
        if c is None:
            step = Step(ADVICE, _("give the container the device nodes (see `mlu-doctor check --container NAME`)"),
                        argv=("docker", "run", "--device", "/dev/cambricon_ctl", "--device", "/dev/cambricon_dev0",
                              "...", "IMAGE"))
            return Plan(self.id, self.title, (step,))
        flags = missing_flags(facts, c)
        if not flags:
            return Plan(self.id, self.title)
        image = c.image or "IMAGE"
        steps = (
            Step(ADVICE, _("see how container {name} was started", name=c.name),
                 argv=("docker", "inspect", "--format", "{{json .HostConfig.Devices}} {{json .Mounts}}", c.name)),
            Step(ADVICE, _("recreate it with the missing flags (a container cannot gain devices while it exists)"),
                 argv=("docker", "run", "-d", "--name", f"{c.name}-mlu", *flags, *kept_flags(c), "...", image)),
        )
        notes = (_("Recreating a container loses changes made inside it: `docker commit {name} {name}:snapshot` first "
                   "and start the new one from that image, or keep data in bind mounts.", name=c.name),)
        return Plan(self.id, self.title, steps, notes=notes)
