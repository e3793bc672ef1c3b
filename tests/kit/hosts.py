"""Fixture roots for whole hosts: sysfs PCI entries, /proc driver files, /dev placeholders, Neuware, fake cnmon.

Use a ready host:

    host = mlu220_m2_host(tmp_path)           # HostFixture(root, bindir, env, cnmon_log)
    cli(["check", "--root", host.root, "--only", "device.,driver."], env=host.env)

`host.env` holds PATH (the fake cnmon first), NEUWARE_HOME and LD_LIBRARY_PATH as on that host; merge your
own variables into it. Or compose one from the building blocks (`add_pci`, `add_proc_card`, `add_dev_nodes`,
`add_modules`, `add_neuware`, `add_dpkg_cntoolkit`, `fake_cnmon`, `mark_container`). Every builder takes
the root (a Path) and returns what it wrote; nothing here needs a real device, root or network.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from tests.kit.files import DATA, path_with, write

CNMON_220 = DATA / "cnmon_mlu220-m2_cnmon1.16_driver4.6.9.txt"
CNMON_370 = DATA / "cnmon_mlu370-x4_cnmon5.10.10_2cards.txt"
CNMON_NO_DRIVER = DATA / "cnmon_no_driver.txt"
NEUWARE = "/usr/local/neuware"
CNML_LIBS = {"cnrt": "4.7.5", "cnml": "7.10.2", "cndev": "1.6.0", "cndrv": "0.2.0"}  # MLU220-M2: CNRT 4.7.5
CNNL_LIBS = {"cnrt": "6.7.0", "cnnl": "1.21.1", "cndrv": "2.7.1", "cndev": "3.7.0", "cncl": "1.13.0",
             "mluops": "0.9.0"}  # CNToolkit 3.7.2 components, at the versions torch_mlu 1.17.0's build.property names


@dataclass
class HostFixture:
    """A built host: files under `root`, tools in `bindir`, the environment a shell on it would have."""

    root: Path
    bindir: Path
    env: dict[str, str] = field(default_factory=dict)
    cnmon_log: Optional[Path] = None  # one line per cnmon invocation (its arguments)

    def cnmon_calls(self) -> list[str]:
        """The argument lists cnmon was run with, in order."""
        if not self.cnmon_log or not self.cnmon_log.exists():
            return []
        return self.cnmon_log.read_text().splitlines()


def add_pci_card(root: Path, address: str, device: int, subsystem: int = 0, vf: bool = False) -> Path:
    """A sysfs PCI function of vendor 0xcabc, class 0x1200xx (no driver link: see `add_pci`)."""
    base = root / "sys/bus/pci/devices" / address
    write(base / "vendor", "0xcabc\n")
    write(base / "device", f"0x{device:04x}\n")
    write(base / "class", "0x120000\n")
    write(base / "subsystem_device", f"0x{subsystem:04x}\n")
    if vf:
        write(base / "physfn", "")
    return base


def add_pci(root: Path, address: str, device: int, subsystem: int = 0, driver: Optional[str] = "cambricon-pci-drv",
            vf: bool = False) -> Path:
    """A Cambricon PCI function; `driver` makes the `driver` symlink a bound kernel driver has."""
    base = add_pci_card(root, address, device, subsystem, vf=vf)
    if driver:
        target = root / "sys/bus/pci/drivers" / driver
        target.mkdir(parents=True, exist_ok=True)
        os.symlink(target, base / "driver")
    return base


def information_text(name: str, driver: str, index: int, bus: str, firmware: str = "v1.1.1",
                     serial: str = "SN/00000000") -> str:
    """The text of /proc/driver/cambricon/mlus/<bus>/information as current drivers write it."""
    return (
        f"Device name: {name}\nDevice inode path: /dev/cambricon_dev{index}\nDevice Major: 236\n"
        f"Device Minor: {index}\nDriver Version: v{driver}\nMCU Version: v1.1.4\n"
        f"Board Serial Number: {serial}\nMLU Firmware Version: {firmware}\nBoard CV: 0\n"
        f"Interrupt Mode: MSI\nBus Type: PCIE\nBus Location: {bus}\nBus Size: 16x\nBus Speed: 8 GT/s\n"
    )


def add_proc_card(root: Path, bus: str, name: str, driver: str, index: int = 0,
                  text: Optional[str | bytes] = None) -> Path:
    """A /proc/driver/cambricon/mlus/<bus>/information file (`text` overrides the generated content)."""
    content = information_text(name, driver, index, bus) if text is None else text
    return write(root / "proc/driver/cambricon/mlus" / bus / "information", content)


def add_dev_nodes(root: Path, *names: str) -> list[Path]:
    """Placeholder files for device nodes: add_dev_nodes(root, "cambricon_ctl", "cambricon_dev0")."""
    return [write(root / "dev" / n, "") for n in names]


def add_modules(root: Path, loaded: bool = True, version: Optional[str] = None) -> Path:
    """/proc/modules (with or without cambricon_drv) and /sys/module/cambricon_drv[/version]."""
    lines = ["nvme 49152 3 - Live 0x0000000000000000", "ext4 765952 2 - Live 0x0000000000000000"]
    if loaded:
        lines.insert(1, "cambricon_drv 2424832 0 - Live 0x0000000000000000 (OE)")
        (root / "sys/module/cambricon_drv").mkdir(parents=True, exist_ok=True)
        if version:
            write(root / "sys/module/cambricon_drv/version", version + "\n")
    (root / "sys/module/ext4").mkdir(parents=True, exist_ok=True)
    return write(root / "proc/modules", "\n".join(lines) + "\n")


# which toolkit library links which (by SONAME), as in a CNToolkit install
TOOLKIT_DEPS = {"cnnl": ("cnrt", "cndrv"), "mluops": ("cnnl", "cnrt"), "cncl": ("cnrt",), "cnml": ("cnrt",),
                "cnrt": ("cndrv",), "cnnl_extra": ("cnnl",)}


def add_neuware(root: Path, home: str = NEUWARE, version: Optional[str] = "3.7.2",
                libs: Optional[dict[str, str]] = None) -> Path:
    """A Neuware tree: version.txt (unless version is None) and lib64/libX.so.<version> (real shared objects built
    with cc, SONAME libX.so.<major>, NEEDED between them as in CNToolkit) plus the soname and .so links."""
    from tests.kit import elf as elfkit

    base = root / home.lstrip("/")
    (base / "bin").mkdir(parents=True, exist_ok=True)
    if version:
        write(base / "version.txt", f"Neuware Version {version}\n")
    chosen = CNNL_LIBS if libs is None else libs
    for lib, ver in chosen.items():
        deps = [f"lib{d}.so.{chosen[d].split('.')[0]}" for d in TOOLKIT_DEPS.get(lib, ()) if d in chosen]
        elfkit.install_versioned(base / "lib64", lib, ver, deps)
    return base


def add_dpkg_cntoolkit(root: Path, version: str = "1.7.5-1.ubuntu18.04") -> Path:
    """/var/lib/dpkg/status with an installed cntoolkit package among others."""
    stanzas = [
        "Package: bash\nStatus: install ok installed\nVersion: 4.4.18-2ubuntu1\n",
        f"Package: cntoolkit\nStatus: install ok installed\nArchitecture: amd64\nVersion: {version}\n"
        "Description: Cambricon toolkit\n",
        "Package: zlib1g\nStatus: install ok installed\nVersion: 1:1.2.11.dfsg-0ubuntu2\n",
    ]
    return write(root / "var/lib/dpkg/status", "\n".join(stanzas))


def fake_cnmon(bindir: Path, table: str | bytes = "", info: Optional[str] = None, code: int = 0,
               sleep: float = 0) -> tuple[Path, Path]:
    """A `cnmon` printing `table` (plain run) or `info` (`cnmon info`), logging its arguments. -> (script, log)."""
    bindir.mkdir(parents=True, exist_ok=True)
    table_file = write(bindir / "cnmon.table", table)
    info_file = write(bindir / "cnmon.info", table if info is None else info)
    log = bindir / "cnmon.log"
    pause = f"sleep {sleep}\n" if sleep else ""
    script = write(bindir / "cnmon", (
        f"#!/bin/sh\necho \"$*\" >> '{log}'\n{pause}"
        f"case \"$1\" in\n  info) cat '{info_file}' ;;\n  *) cat '{table_file}' ;;\nesac\nexit {code}\n"
    ))
    script.chmod(0o755)
    return script, log


def mark_container(root: Path, cgroup: bool = False) -> Path:
    """/.dockerenv (and, with cgroup=True, a docker /proc/1/cgroup line)."""
    if cgroup:
        write(root / "proc/1/cgroup", "0::/system.slice/docker-0123456789ab.scope\n")
    return write(root / ".dockerenv", "")


def healthy_root(root: Path) -> Path:
    """A healthy MLU220-M2 host tree without cnmon: PCI card, /proc entry, nodes, module, Neuware in ld.so.conf.d."""
    for d in ("sys/bus/pci/devices", "proc/driver", "dev", "usr/local"):
        (root / d).mkdir(parents=True, exist_ok=True)
    add_pci(root, "0002:21:00.0", 0x0220, 0x0033)
    add_proc_card(root, "0002:21:00.0", "MLU220-M2", "4.6.9")
    add_dev_nodes(root, "cambricon_ctl", "cambricon_dev0")
    add_modules(root, loaded=True, version="4.6.9")
    add_neuware(root, version="1.7.5", libs=CNML_LIBS)
    write(root / "etc/ld.so.conf.d/neuware.conf", f"{NEUWARE}/lib64\n")
    return root


def _host(tmp_path: Path, table: str | bytes, neuware: bool = True, sleep: float = 0) -> HostFixture:
    root, bindir = tmp_path / "root", tmp_path / "bin"
    for d in ("sys/bus/pci/devices", "proc/driver", "dev", "etc", "usr/local"):
        (root / d).mkdir(parents=True, exist_ok=True)
    _, log = fake_cnmon(bindir, table, sleep=sleep)
    env = {"PATH": path_with(bindir), "NEUWARE_HOME": NEUWARE if neuware else "",
           "LD_LIBRARY_PATH": f"{NEUWARE}/lib64" if neuware else ""}
    return HostFixture(root=root, bindir=bindir, env=env, cnmon_log=log)


def mlu220_m2_host(tmp_path: Path, cnmon_sleep: float = 0) -> HostFixture:
    """Healthy MLU220-M2 host: driver v4.6.9, CNMON 1.16 (real capture), CNML-era toolkit with CNRT 4.7.5 (dpkg)."""
    host = _host(tmp_path, CNMON_220.read_text(), sleep=cnmon_sleep)
    add_pci(host.root, "0002:21:00.0", 0x0220, 0x0033)
    add_proc_card(host.root, "0002:21:00.0", "MLU220-M2", "4.6.9")
    add_dev_nodes(host.root, "cambricon_ctl", "cambricon_dev0")
    add_modules(host.root, loaded=True, version="4.6.9")
    add_neuware(host.root, version=None, libs=CNML_LIBS)
    add_dpkg_cntoolkit(host.root, "1.7.5-1.ubuntu18.04")
    return host


def mlu370_table(driver: str = "5.10.22") -> str:
    """The real 2-card CNMON v5 capture, with cnmon and driver versions set to `driver`."""
    return CNMON_370.read_text().replace("v5.10.10", f"v{driver}")


def mlu370_host(tmp_path: Path, driver: str = "5.10.22") -> HostFixture:
    """Healthy host with 2 x MLU370-X4: driver 5.10.22, CNMON v5 layout, CNNL-era Neuware 3.7.2."""
    host = _host(tmp_path, mlu370_table(driver))
    for i, bus in enumerate(("0000:1b:00.0", "0000:36:00.0")):
        add_pci(host.root, bus, 0x0370, 0x0057)
        add_proc_card(host.root, bus, "MLU370-X4", driver, index=i)
    add_dev_nodes(host.root, "cambricon_ctl", "cambricon_dev0", "cambricon_dev1", "cambricon_ipcm0", "cambricon_ipcm1")
    add_modules(host.root, loaded=True, version=driver)
    add_neuware(host.root, version="3.7.2", libs=CNNL_LIBS)
    return host


def no_driver_host(tmp_path: Path) -> HostFixture:
    """An MLU370 in PCI, no driver: cambricon_drv not loaded, no /proc/driver/cambricon, no /dev nodes;
    cnmon prints CNDEV_ERROR_NO_DRIVER and exits 0."""
    host = _host(tmp_path, CNMON_NO_DRIVER.read_text())
    add_pci(host.root, "0000:1b:00.0", 0x0370, 0x0057, driver=None)
    add_modules(host.root, loaded=False)
    add_neuware(host.root)
    return host


def cnmon_hangs_host(tmp_path: Path, sleep: float = 30) -> HostFixture:
    """The healthy MLU220-M2 host whose cnmon sleeps `sleep` seconds before answering (use --timeout 0.5)."""
    return mlu220_m2_host(tmp_path, cnmon_sleep=sleep)


def no_dev_nodes_host(tmp_path: Path, container: bool = False) -> HostFixture:
    """2 x MLU370 in PCI and /proc (driver 5.10.22 loaded) but no /dev/cambricon_* nodes; cnmon says no driver.
    container=True adds /.dockerenv: a container started without --device flags."""
    host = _host(tmp_path, CNMON_NO_DRIVER.read_text())
    for i, bus in enumerate(("0000:1b:00.0", "0000:36:00.0")):
        add_pci(host.root, bus, 0x0370, 0x0057)
        add_proc_card(host.root, bus, "MLU370-X4", "5.10.22", index=i)
    add_modules(host.root, loaded=True, version="5.10.22")
    add_neuware(host.root, home="/torch/neuware_home" if container else NEUWARE)
    if container:
        mark_container(host.root)
        host.env.update(NEUWARE_HOME="/torch/neuware_home", LD_LIBRARY_PATH="/torch/neuware_home/lib64")
    return host


def blind_host(tmp_path: Path, cnmon_sleep: float = 30) -> HostFixture:
    """The MLU220-M2 card in sysfs with its /dev nodes and toolkit, but cnmon hangs and /proc shows nothing
    (no /proc/modules, no /proc/driver/cambricon, no /sys/module): whether the driver is up cannot be told."""
    host = _host(tmp_path, CNMON_220.read_text(), sleep=cnmon_sleep)
    (host.root / "proc/driver").rmdir()
    (host.root / "proc").rmdir()
    add_pci(host.root, "0002:21:00.0", 0x0220, 0x0033)
    add_dev_nodes(host.root, "cambricon_ctl", "cambricon_dev0")
    add_neuware(host.root, version=None, libs=CNML_LIBS)
    add_dpkg_cntoolkit(host.root, "1.7.5-1.ubuntu18.04")
    return host


def facts_of(host: HostFixture, sections: tuple[str, ...] = ("device", "driver", "toolkit"), timeout: float = 3.0):
    """The probes of `sections` run on `host` as a check would (its environment, cnmon on its PATH)."""
    from mlu_doctor.facts import gather
    from mlu_doctor.facts.context import host_context

    ctx = host_context(str(host.root), environ=dict(host.env), timeout=timeout)
    return gather(ctx, sections)
