"""Device probe: PCI functions, /proc/driver/cambricon cards, /dev nodes, container markers."""

from __future__ import annotations

import posixpath
import re

from mlu_doctor.facts.cnmon import excerpt
from mlu_doctor.facts.context import ProbeContext
from mlu_doctor.facts.families import PCI_CLASS_ACCEL, SKUS, VENDOR, family_of_device_id, normalise_name
from mlu_doctor.facts.model import DeviceFacts, Evidence, PciDevice, ProcCard
from mlu_doctor.i18n import _
from mlu_doctor.system.files import FileSource

PCI_DIR = "/sys/bus/pci/devices"
PROC_DIR = "/proc/driver/cambricon/mlus"
NODE_RE = re.compile(r"^(cambricon_ctl|cambricon_dev\d+|cambricon_ipcm\d+|cambr-msgq:\d+|cambr-rpc:\d+"
                     r"|cmsg_ctrl\d+|commu\d+|cnmon_dev|cambricon_c10Dev\d+)$")


def _hex(text: str | None) -> int | None:
    try:
        return int(text.strip(), 16) if text else None
    except ValueError:
        return None


def scan_pci(fs: FileSource) -> list[PciDevice]:
    """Cambricon accelerators (vendor 0xcabc, class 0x12xxxx) in sysfs; VFs are marked."""
    out = []
    for addr in fs.listdir(PCI_DIR) or []:
        base = posixpath.join(PCI_DIR, addr)
        vendor = _hex(fs.read_text(base + "/vendor", 64))
        if vendor != int(VENDOR, 16):
            continue
        klass = _hex(fs.read_text(base + "/class", 64))
        if klass is not None and klass >> 16 != PCI_CLASS_ACCEL:
            continue
        dev = _hex(fs.read_text(base + "/device", 64))
        sub = _hex(fs.read_text(base + "/subsystem_device", 64))
        family, is_vf = family_of_device_id(dev) if dev is not None else (None, False)
        driver = fs.readlink(base + "/driver")
        out.append(PciDevice(
            address=addr,
            device_id=f"0x{dev:04x}" if dev is not None else "unknown",
            family=family,
            subsystem_id=f"0x{sub:04x}" if sub is not None else None,
            sku=SKUS.get((dev, sub)) if dev is not None and sub is not None else None,
            kernel_driver=posixpath.basename(driver) if driver else None,
            is_vf=is_vf or fs.exists(base + "/physfn"),
        ))
    return out


def information_values(text: str) -> dict[str, str]:
    """`Key: value` lines of a proc information file, keys lower-cased, first occurrence wins."""
    values: dict[str, str] = {}
    for line in text.splitlines():
        key, sep, value = line.partition(":")
        key = key.strip().lower()
        if sep and key and key not in values:
            values[key] = value.strip()
    return values


def parse_information(text: str, bus: str) -> ProcCard:
    """Parse one /proc/driver/cambricon/mlus/<bus>/information file (`Key: value` lines)."""
    values = information_values(text)
    name = values.get("device name") or None
    family, model = normalise_name(name)
    drv = _version_text(values.get("driver version"))
    return ProcCard(
        bus=bus,
        name=name,
        family=family,
        model=model,
        driver_version=drv,
        firmware_version=values.get("mlu firmware version") or None,
        serial=values.get("board serial number") or None,
        inode_path=values.get("device inode path") or None,
        bus_type=values.get("bus type") or None,
    )


def _version_text(text: str | None) -> str | None:
    """`v4.6.9` -> `4.6.9`; anything that is not a dotted version -> None."""
    m = re.match(r"^v?(\d+(?:\.\d+)+)", (text or "").strip(), re.IGNORECASE)
    return m.group(1) if m else None


def scan_proc(fs: FileSource, evidence: list[Evidence], problems: list[str]) -> list[ProcCard]:
    """One ProcCard per card directory (PCI address, or `vendor:device` on edge SoCs)."""
    out = []
    for bus in fs.listdir(PROC_DIR) or []:
        path = f"{PROC_DIR}/{bus}/information"
        text = fs.read_text(path, 64 * 1024)
        if text is None:
            problems.append(_("{path} could not be read", path=path))
            out.append(ProcCard(bus=bus))
            continue
        card = parse_information(text, bus)
        if "\ufffd" in text or "\x00" in text:
            problems.append(_("{path} holds binary content, not an information file", path=path))
        elif card.name is None or card.driver_version is None:
            problems.append(_("{path} has no 'Device name:' or 'Driver Version:' line (truncated?)",
                              path=path))
        out.append(card)
        evidence.append(Evidence(f"file:{path}", excerpt(text, lines=12)))
    return out


def scan_nodes(fs: FileSource) -> list[str] | None:
    """The Cambricon nodes in /dev; None when /dev cannot be listed."""
    names = fs.listdir("/dev")
    return None if names is None else [f"/dev/{n}" for n in names if NODE_RE.match(n)]


def container_markers(fs: FileSource) -> list[str]:
    marks = [p for p in ("/.dockerenv", "/run/.containerenv") if fs.exists(p)]
    cgroup = fs.read_text("/proc/1/cgroup", 64 * 1024) or ""
    if re.search(r"docker|kubepods|containerd|libpod", cgroup):
        marks.append("/proc/1/cgroup")
    return marks


def proc_dir_state(fs: FileSource) -> bool | None:
    """Whether /proc/driver/cambricon exists; None when this root has no readable /proc at all."""
    if fs.is_dir("/proc/driver/cambricon"):
        return True
    return False if fs.is_dir("/proc/driver") or fs.exists("/proc/modules") else None


def probe(ctx: ProbeContext) -> DeviceFacts:
    """Gather device facts from the files under the context's root."""
    fs = ctx.system
    facts = DeviceFacts()
    facts.pci = scan_pci(fs)
    facts.proc = scan_proc(fs, facts.evidence, facts.problems)
    facts.proc_dir = proc_dir_state(fs)
    nodes = scan_nodes(fs)
    facts.nodes, facts.dev_listed = nodes or [], nodes is not None
    if nodes is None:
        facts.problems.append(_("/dev could not be listed; the device nodes are unknown"))
    pci_listed = fs.listdir(PCI_DIR) is not None
    if not pci_listed:
        facts.problems.append(_("{path} could not be listed; the PCI cards are unknown", path=PCI_DIR))
    seen = (("PCI", pci_listed), ("/proc/driver/cambricon", facts.proc_dir is not None),
            ("/dev", facts.dev_listed))
    facts.looked_at = [place for place, looked in seen if looked]  # only where something could be seen
    facts.container_markers = container_markers(fs)
    facts.in_container = bool(facts.container_markers)
    for p in facts.pci:
        ids = f"cabc:{p.device_id[2:]}" if p.device_id.startswith("0x") else p.device_id
        facts.evidence.append(Evidence(f"sysfs:{PCI_DIR}/{p.address}", f"{ids} subsystem {p.subsystem_id}"))
    if facts.nodes:
        facts.evidence.append(Evidence("dir:/dev", "  ".join(facts.nodes)))
    return facts
