"""Container checks: what a `docker run` gave the container compared with what the host has. Pure."""

from __future__ import annotations

import posixpath
import re
from typing import TYPE_CHECKING

from mlu_doctor.checks import check
from mlu_doctor.config import Config
from mlu_doctor.facts.container_config import dev_bind_mounted, kubernetes_managed, mounted_tool
from mlu_doctor.facts.families import uses_ipcm
from mlu_doctor.facts.model import Facts
from mlu_doctor.findings import Evidence, Finding, fail, ok, skip, warn
from mlu_doctor.i18n import _

if TYPE_CHECKING:  # annotations only: the records load with a container (facts/container_model.py)
    from mlu_doctor.facts.container_model import ContainerFacts

# Compiled on use (re caches them), not at import: these checks run only with --container.
DEV_RE = r"^/dev/cambricon_dev(\d+)$"
C10_RE = r"^cambricon_c10Dev\d*\*?$"
CAMBRICON_NAME = r"^(cambricon_|cambr-|cnmon_dev|cmsg_ctrl|commu\d)"
SHM_MIN = 1024 * 1024 * 1024
DOCKER_DEFAULT_SHM = 64 * 1024 * 1024


def host_families(facts: Facts) -> list[str]:
    """One family per physical card the host shows (proc first, then PCI); VFs skipped."""
    dev = facts.device
    if dev is None:
        return []
    fams = [c.family or "unknown" for c in dev.proc]
    return fams or [p.family or "unknown" for p in dev.pci if not p.is_vf]


def device_flags(facts: Facts, c: ContainerFacts) -> list[str]:
    """The `--device` flags that give a container the host's cards (ipcm nodes on MLU370 and later)."""
    nodes = [n for n in c.host_nodes if n == "/dev/cambricon_ctl" or re.match(DEV_RE, n)
             or n.startswith("/dev/cambricon_ipcm")]
    if not nodes:
        fams = host_families(facts)
        nodes = ["/dev/cambricon_ctl"] + [f"/dev/cambricon_dev{i}" for i in range(len(fams))]
        if any(uses_ipcm(f) for f in fams):
            nodes += [f"/dev/cambricon_ipcm{i}" for i in range(len(fams))]
    return [f"--device {n}" for n in nodes]


def _evidence(c: ContainerFacts) -> tuple[Evidence, ...]:
    how = _("listed inside the container") if c.nodes_source == "exec" else _("from the container "
                                                                              "configuration")
    return (Evidence(f"docker inspect {c.name}", _("privileged: {p}; devices: {d}", p=c.privileged,
                     d=", ".join(f"{d.host_path}:{d.container_path}" for d in c.devices) or "none")),
            Evidence(f"/dev ({how})", "\n".join(c.nodes) or _("no Cambricon nodes")))


def stale_device_flags(facts: Facts, c: ContainerFacts) -> list[str]:
    """`--device` host paths that look Cambricon but match nothing on this host: MLU100's
    /dev/cambricon_c10DevN on a later card, or a node the host does not have."""
    fams = set(host_families(facts))
    host = set(c.host_nodes or (facts.device.nodes if facts.device else []))
    out = []
    for d in c.devices:
        path = d.host_path or d.container_path
        name = posixpath.basename(path)
        if not re.match(CAMBRICON_NAME, name):
            continue
        other_generation = re.match(C10_RE, name) is not None and "MLU100" not in fams
        if other_generation or (host and path not in host):
            out.append(path)
    return out


def _stale_finding(facts: Facts, c: ContainerFacts, stale: list[str]) -> Finding:
    fams = ", ".join(sorted(set(host_families(facts))))
    summary = _("container {name} passes {paths}, which match no device node of this host ({cards})",
                name=c.name, paths=", ".join(stale), cards=fams)
    flags = " ".join(device_flags(facts, c))
    if c.privileged:
        return warn(summary, details=_("It sees the cards only because it is --privileged; "
                                       "/dev/cambricon_c10DevN are MLU100 nodes."),
                    remedy=_("drop the stale --device flags, or replace them with: {flags}", flags=flags),
                    evidence=_evidence(c))
    return fail(summary, details=_("Without --privileged only the --device nodes exist in the container, and "
                                   "these name nothing the driver created."),
                remedy=_("recreate the container with: docker run {flags} ... {image} (or --privileged)",
                         flags=flags, image=c.image or "IMAGE"),
                evidence=_evidence(c))


def _missing_finding(facts: Facts, c: ContainerFacts, missing: list[str]) -> Finding:
    fams = host_families(facts)
    return fail(
        _("container {name} lacks {nodes}; the host has {n} card(s) ({cards})", name=c.name,
          nodes=" and ".join(missing), n=len(fams), cards=", ".join(sorted(set(fams)))),
        details=_("Without the device nodes the driver is invisible in the container: cnmon says "
                  "CNDEV_ERROR_NO_DRIVER and torch_mlu finds no device."),
        remedy=_("recreate the container with: docker run {flags} ... {image} (or --privileged)",
                 flags=" ".join(device_flags(facts, c)), image=c.image or "IMAGE"),
        evidence=_evidence(c),
    )


def _dev_mount_finding(c: ContainerFacts) -> Finding | None:
    """-v /dev:/dev without --privileged: the nodes are visible, but the device cgroup must allow them."""
    if c.privileged or not dev_bind_mounted(c):
        return None
    if any(rule.strip().startswith(("c ", "a ")) for rule in c.device_cgroup_rules):
        return ok(_("container {name} sees the host's /dev (-v /dev:/dev) and a device cgroup rule allows "
                    "character devices", name=c.name), evidence=_evidence(c))
    explicit = {d.container_path for d in c.devices}
    if {"/dev/cambricon_ctl"} <= explicit and any(re.match(DEV_RE, p) for p in explicit):
        return None  # the --device flags grant access; judge them as usual
    return warn(_("container {name} sees the host's /dev (-v /dev:/dev) but is not --privileged: the device "
                  "cgroup lets it open only --device nodes", name=c.name),
                remedy=_("add --privileged (as the published -v /dev:/dev recipes do), or --device flags for "
                         "the cards, or --device-cgroup-rule 'c *:* rmw'"),
                evidence=_evidence(c))


def _needs_ipcm_warning(facts: Facts, c: ContainerFacts) -> bool:
    """Several MLU370/MLU5xx cards on the host and none of their ipcm nodes in the container."""
    fams = host_families(facts)
    return (len(fams) > 1 and any(uses_ipcm(f) for f in fams)
            and not any(n.startswith("/dev/cambricon_ipcm") for n in c.nodes))


@check("container.devices", "The container was given the host's MLU device nodes",
       needs=("container", "device"), recipe="container.devices")
def container_devices(facts: Facts, config: Config) -> Finding:
    """What the container can actually open: --privileged or -v /dev:/dev expose the nodes; stale --device
    names (MLU100's c10Dev on later cards) and missing ipcm nodes on multi-card MLU370/MLU5xx hosts are
    flagged."""
    c, fams = facts.container, host_families(facts)
    assert c is not None  # needs=("container", ...): the runner skips the check without it
    if not fams:
        return skip(_("the host shows no Cambricon card; nothing to pass to the container"))
    stale = stale_device_flags(facts, c)
    if stale:
        return _stale_finding(facts, c, stale)
    if c.privileged:
        return ok(_("container {name} is privileged: it sees all host devices", name=c.name),
                  evidence=_evidence(c))
    mounted = _dev_mount_finding(c)
    if mounted is not None:
        return mounted
    devs = [n for n in c.nodes if re.match(DEV_RE, n)]
    missing = [n for n, have in (("/dev/cambricon_ctl", "/dev/cambricon_ctl" in c.nodes),
                                 ("/dev/cambricon_devN", devs)) if not have]
    if missing:
        return _missing_finding(facts, c, missing)
    if _needs_ipcm_warning(facts, c):
        return warn(_("container {name} has no /dev/cambricon_ipcmN nodes (used by MLU370 and later for "
                      "multi-card communication)", name=c.name),
                    remedy=_("add {flags} to docker run",
                             flags=" ".join(f for f in device_flags(facts, c) if "ipcm" in f)),
                    evidence=_evidence(c))
    return ok(_("container {name} has {nodes}", name=c.name, nodes=", ".join(c.nodes)), evidence=_evidence(c))


@check("container.cnmon", "cnmon is available inside the container", needs=("container", "device"),
       recipe="container.devices")
def container_cnmon(facts: Facts, config: Config) -> Finding:
    """cnmon is not part of Cambricon images: it has to be bind-mounted from the host (with --pid=host it
    also lists the container's processes)."""
    c = facts.container
    assert c is not None
    if not host_families(facts):
        return skip(_("the host shows no Cambricon card"))
    where = c.cnmon or mounted_tool(c, "cnmon")
    if where:
        note = "" if c.pid_mode == "host" else _("Without --pid=host cnmon cannot name the processes using "
                                                 "the cards.")
        return ok(_("cnmon is available in container {name} at {path}", name=c.name, path=where),
                  details=note)
    cnmon = facts.driver.cnmon if facts.driver else None
    host_path = (cnmon.path if cnmon and cnmon.path else None) or "/usr/bin/cnmon"
    return warn(_("cnmon is not in container {name}", name=c.name),
                details=_("Cambricon images do not ship cnmon; without it nobody can see the cards' state "
                          "from inside."),
                remedy=_("recreate the container with -v {path}:/usr/bin/cnmon", path=host_path))


def _visible(c: ContainerFacts) -> tuple[str, str] | None:
    for var in ("MLU_VISIBLE_DEVICES", "CAMBRICON_VISIBLE_DEVICES"):
        if var in c.env:
            return var, c.env[var]
    return None


@check("container.visible-devices", "MLU_VISIBLE_DEVICES in the container names cards it has",
       needs=("container", "device"))
def container_visible_devices(facts: Facts, config: Config) -> Finding:
    """Indices in MLU_VISIBLE_DEVICES / CAMBRICON_VISIBLE_DEVICES must exist among the container's cards."""
    c = facts.container
    assert c is not None
    setting = _visible(c)
    count = len(host_families(facts)) if c.privileged else len([n for n in c.nodes if re.match(DEV_RE, n)])
    if not host_families(facts):
        return skip(_("the host shows no Cambricon card"))
    if count == 0:
        return skip(_("container {name} has no card to select (see container.devices)", name=c.name))
    if setting is None:
        return ok(_("MLU_VISIBLE_DEVICES is not set: all {n} card(s) of the container are used", n=count))
    var, value = setting
    if kubernetes_managed(c):
        return ok(_("{var}={value} was set by the Kubernetes device plugin (or HAMi) that chose the cards of "
                    "container {name}", var=var, value=value, name=c.name))
    if value.strip().lower() == "all":
        return ok(_("{var}=all: all {n} card(s) of the container are used", var=var, n=count))
    if not value.strip():
        return fail(_("{var} is empty in container {name}: every card is hidden", var=var, name=c.name),
                    remedy=_("unset {var} or set it to card indices, e.g. {var}=0", var=var))
    parts = [p.strip() for p in value.split(",") if p.strip()]
    if not all(p.isdigit() for p in parts):
        return warn(_("{var}={value} in container {name} is not a list of card indices", var=var, value=value,
                      name=c.name))
    wrong = [p for p in parts if int(p) >= count]
    if wrong:
        return fail(_("{var}={value} in container {name}, but it has {n} card(s): {wrong} do not exist",
                      var=var, value=value, name=c.name, n=count, wrong=", ".join(wrong)),
                    remedy=_("set {var} to indices below {n}, or pass the missing cards with --device",
                             var=var, n=count))
    return ok(_("{var}={value}: all within the container's {n} card(s)", var=var, value=value, n=count))


@check("container.shm", "The container's /dev/shm is large enough for data loaders", needs=("container",),
       recipe="container.devices")
def container_shm(facts: Facts, config: Config) -> Finding:
    """Docker's 64 MB /dev/shm makes PyTorch DataLoader workers die with bus errors."""
    c = facts.container
    assert c is not None
    if c.ipc_mode == "host":
        return ok(_("container {name} uses the host's IPC namespace (--ipc=host)", name=c.name))
    size = c.shm_size or DOCKER_DEFAULT_SHM
    mib = size // (1024 * 1024)
    if size < SHM_MIN:
        return warn(_("/dev/shm of container {name} is {mib} MiB{default}", name=c.name, mib=mib,
                      default=_(" (Docker's default)") if size == DOCKER_DEFAULT_SHM else ""),
                    details=_("DataLoader workers pass batches through /dev/shm; 64 MiB ends in 'bus error' "
                              "or 'DataLoader worker ... killed'."),
                    remedy=_("recreate the container with --shm-size=8g (or --ipc=host); "
                             "or use num_workers=0"))
    return ok(_("/dev/shm of container {name} is {mib} MiB", name=c.name, mib=mib))


@check("container.dataset", "The host's datasets are mounted or copied into the container",
       needs=("container",), recipe="dataset.inject")
def container_dataset(facts: Facts, config: Config) -> Finding:
    """A dataset that exists on the host but is neither bind-mounted nor copied into the container."""
    c = facts.container
    assert c is not None
    present = [a for a in c.datasets_access if a.host_exists]
    if not present:
        return skip(_("no configured dataset exists on the host"))
    missing = [a for a in present if a.via is None]
    evidence = tuple(Evidence(f"dataset {a.host_path} ({a.source})",
                              f"{a.via or 'absent'}: {a.container_path or '-'}") for a in present)
    if missing:
        path = missing[0].host_path
        return fail(
            _("{paths} exists on the host but is neither mounted nor copied into container {name}",
              paths=", ".join(a.host_path for a in missing), name=c.name),
            remedy=_("copy it in with: mlu-doctor fix dataset.inject --container {name}; if the container "
                     "can be recreated, bind-mount it instead: docker run -v {path}:{path}:ro ...",
                     name=c.name, path=path),
            evidence=evidence)
    return ok(_("datasets reach container {name}: {how}", name=c.name,
                how=", ".join(f"{a.host_path} -> {a.container_path} ({a.via})" for a in present)),
              evidence=evidence)


CHECKS = (container_devices, container_cnmon, container_visible_devices, container_shm, container_dataset)
