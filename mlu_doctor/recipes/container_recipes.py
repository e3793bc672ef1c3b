"""Container recipes: device flags for `docker run` (advice only: containers are never recreated)."""

from __future__ import annotations

import re

from mlu_doctor.config import Config
from mlu_doctor.facts.model import Facts
from mlu_doctor.i18n import N_, _
from mlu_doctor.recipes.base import ADVICE, Plan, PlanContext, Recipe, Step

NODE = re.compile(r"^/dev/cambricon_(ctl|dev\d+|ipcm\d+)$")


def device_nodes(facts: Facts) -> list[str]:
    """Cambricon device nodes of the host (facts.extra['host_device_nodes'] when diagnosing a container)."""
    nodes = list(facts.extra.get("host_device_nodes") or [])
    if not nodes and facts.device is not None:
        nodes = list(facts.device.nodes)
    nodes = sorted({n for n in nodes if NODE.match(n)}, key=lambda n: (len(n), n))
    return nodes or ["/dev/cambricon_ctl", "/dev/cambricon_dev0"]


class ContainerDevices(Recipe):
    """Print the `docker run` flags that give a container the host's MLU cards."""

    id = "container.devices"
    title = N_("Start the container with the MLU device nodes")
    fixes = ("container.devices",)
    needs = ("device",)

    def plan(self, facts: Facts, config: Config, ctx: PlanContext) -> Plan:
        flags: list[str] = []
        for node in device_nodes(facts):
            flags += ["--device", node]
        flags += ["-v", "/usr/bin/cnmon:/usr/bin/cnmon"]
        container = facts.extra.get("container") or {}
        image = container.get("image") or "IMAGE"
        name = container.get("name") or (ctx.scope.split(":", 1)[1] if ctx.scope.startswith("container:") else None)
        run = Step(ADVICE, _("recreate the container with the device nodes (a running container cannot gain devices)"),
                   argv=("docker", "run", *flags, "...", image))
        steps = [run]
        if name:
            steps.insert(0, Step(ADVICE, _("see how it was started"),
                                 argv=("docker", "inspect", "--format", "{{.HostConfig.Devices}}", name)))
        note = _("Recreating a container loses changes made inside it; copy data out first or use bind mounts.")
        return Plan(self.id, self.title, tuple(steps), notes=(note,))
