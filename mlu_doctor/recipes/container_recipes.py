"""Container recipes: the `docker run` flags a container lacks (advice only: containers are never
recreated)."""

from __future__ import annotations

from mlu_doctor.checks.container import DOCKER_DEFAULT_SHM, SHM_MIN, device_flags, host_families
from mlu_doctor.config import Config
from mlu_doctor.facts.container_model import ContainerFacts
from mlu_doctor.facts.model import Facts
from mlu_doctor.i18n import _
from mlu_doctor.recipes.base import ADVICE, Plan, PlanContext, Recipe, Step


def node_order(node: str) -> tuple[int, int]:
    """ctl first, then dev0, dev1, ..., then ipcm0, ..."""
    name = node.rsplit("_", 1)[-1]
    kind = next((i for i, k in enumerate(("ctl", "dev", "ipcm")) if name.startswith(k)), 3)
    digits = "".join(ch for ch in name if ch.isdigit())
    return kind, int(digits) if digits else -1


def host_nodes(facts: Facts, c: ContainerFacts) -> set[str]:
    """The Cambricon device nodes the host really has (its /dev listing, or the one gathered with the
    container)."""
    nodes = set(c.host_nodes) | set(facts.device.nodes if facts.device is not None else [])
    return {n for n in nodes if n.startswith("/dev/cambricon")}


def missing_flags(facts: Facts, c: ContainerFacts) -> tuple[list[str], list[str]]:
    """(`docker run` flags for what the container lacks, notes): device nodes and cnmon only when the host has
    them (advice never names a device or file the host lacks), and a usable /dev/shm."""
    flags: list[str] = []
    notes: list[str] = []
    has_devs = "/dev/cambricon_ctl" in c.nodes and any(n.startswith("/dev/cambricon_dev") for n in c.nodes)
    if not c.privileged and not has_devs and host_families(facts):
        real = host_nodes(facts, c)
        wanted = [f.split(" ", 1)[1] for f in device_flags(facts, c)]
        for node in sorted((n for n in wanted if n in real), key=node_order):
            flags += ["--device", node]
        if not real:
            notes.append(_("the host shows a card but no /dev/cambricon_* nodes: load the driver on the host "
                           "first"))
    if not c.cnmon and host_families(facts):
        cnmon = facts.driver.cnmon if facts.driver is not None else None
        if cnmon is not None and cnmon.path:
            flags += ["-v", f"{cnmon.path}:/usr/bin/cnmon:ro"]
        else:
            notes.append(_("the host has no cnmon to bind-mount: install the driver's tools on the host "
                           "first"))
    if c.ipc_mode != "host" and (c.shm_size or DOCKER_DEFAULT_SHM) < SHM_MIN:
        flags += ["--shm-size", "8g"]
    return flags, notes


def kept_flags(c: ContainerFacts) -> list[str]:
    """The container's own devices and bind mounts, so the new one keeps them."""
    flags: list[str] = []
    for d in c.devices:
        flags += ["--device", d.host_path if d.host_path == d.container_path
                  else f"{d.host_path}:{d.container_path}"]
    for m in c.mounts:
        if m.type == "bind" and m.source and m.destination != "/usr/bin/cnmon":
            flags += ["-v", f"{m.source}:{m.destination}" + (":ro" if m.read_only else "")]
    return flags


class ContainerDevices(Recipe):
    """Print the `docker run` command that gives a container the host's MLU cards (and cnmon, and
    /dev/shm)."""

    id = "container.devices"
    title = "Recreate the container with what it lacks (MLU device nodes, cnmon, /dev/shm)"
    fixes = ("container.devices", "container.cnmon", "container.shm")
    needs = ("device", "driver")

    def plan(self, facts: Facts, config: Config, ctx: PlanContext) -> Plan:
        c = facts.container
        if c is None:
            step = Step(ADVICE, _("give the container the device nodes (see `mlu-doctor check --container "
                                  "NAME`)"),
                        argv=("docker", "run", "--device", "/dev/cambricon_ctl", "--device",
                              "/dev/cambricon_dev0", "...", "IMAGE"))
            return Plan(self.id, self.title, (step,))
        flags, why = missing_flags(facts, c)
        if not flags:
            return Plan(self.id, self.title, notes=tuple(why))
        image = c.image or "IMAGE"
        steps = (
            Step(ADVICE, _("see how container {name} was started", name=c.name),
                 argv=("docker", "inspect", "--format", "{{json .HostConfig.Devices}} {{json .Mounts}}",
                       c.name)),
            Step(ADVICE, _("recreate it with the missing flags (a container cannot gain devices while it "
                           "exists)"),
                 argv=("docker", "run", "-d", "--name", f"{c.name}-mlu", *flags, *kept_flags(c), "...",
                       image)),
        )
        notes = (*why, _("Recreating a container loses changes made inside it: `docker commit {name} "
                         "{name}:snapshot` "
                         "first and start the new one from that image, or keep data in bind mounts.",
                         name=c.name))
        return Plan(self.id, self.title, steps, notes=notes)
