"""Typed facts: what the probes found. Serialises to JSON (`mlu-doctor facts`) and loads back (`--facts`)."""

from __future__ import annotations

from dataclasses import field
from typing import TYPE_CHECKING, Any, Optional

from mlu_doctor.findings import Evidence
from mlu_doctor.records import record as dataclass  # a dataclass with shared eq/repr: faster import

if TYPE_CHECKING:  # the container's records load only with a container (facts/container_model.py)
    from mlu_doctor.facts.container_model import ContainerFacts

FACTS_SCHEMA = 1
__all__ = ["Evidence"]  # re-exported: facts and findings share one Evidence type


# --- device ------------------------------------------------------------------------------


@dataclass
class PciDevice:
    """One Cambricon PCI function from /sys/bus/pci/devices."""

    address: str
    device_id: str  # "0x0220"
    family: Optional[str] = None  # "MLU220"; None when the id is unknown
    subsystem_id: Optional[str] = None  # "0x0033"
    sku: Optional[str] = None  # "MLU370-X8" where known
    kernel_driver: Optional[str] = None
    is_vf: bool = False


@dataclass
class ProcCard:
    """One card from /proc/driver/cambricon/mlus/<bus>/information."""

    bus: str
    name: Optional[str] = None  # raw "Device name" ("mlu-220 M2", "MLU370-X8")
    family: Optional[str] = None  # normalised "MLU220"
    model: Optional[str] = None  # normalised "MLU220-M2"
    driver_version: Optional[str] = None  # "4.6.9" (no leading v)
    firmware_version: Optional[str] = None
    serial: Optional[str] = None
    inode_path: Optional[str] = None  # "/dev/cambricon_dev0"
    bus_type: Optional[str] = None  # "PCIE"; edge SoCs have directories named "vendor:device"


@dataclass
class DeviceFacts:
    """Cards seen through PCI and /proc, device nodes in /dev, and whether this is a container."""

    pci: list[PciDevice] = field(default_factory=list)
    proc: list[ProcCard] = field(default_factory=list)
    nodes: list[str] = field(default_factory=list)  # "/dev/cambricon_ctl", "/dev/cambricon_dev0", ...
    in_container: bool = False
    container_markers: list[str] = field(default_factory=list)
    looked_at: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    proc_dir: Optional[bool] = None  # /proc/driver/cambricon exists; None when /proc is not readable
    dev_listed: bool = True  # False when /dev could not be listed: the nodes are unknown, not missing
    problems: list[str] = field(default_factory=list)  # unreadable or unparsable files, in plain words


# --- driver ------------------------------------------------------------------------------


@dataclass
class CnmonCard:
    """One card row of a cnmon table or `cnmon info` block."""

    index: int
    name: Optional[str] = None  # "MLU220-M2"
    family: Optional[str] = None
    firmware: Optional[str] = None
    driver_version: Optional[str] = None
    bus_id: Optional[str] = None
    is_vf: bool = False


@dataclass
class CnmonFacts:
    """What cnmon said. status: ok | missing | no-driver | timeout | failed | unparsed."""

    status: str
    path: Optional[str] = None
    layout: Optional[str] = None  # "1.x" | "4.x" | "5.x" | "info"
    version: Optional[str] = None
    driver_version: Optional[str] = None
    cards: list[CnmonCard] = field(default_factory=list)
    excerpt: str = ""
    command: str = ""


@dataclass
class DriverFacts:
    """The kernel driver: module state, versions by source, cnmon."""

    module_loaded: Optional[bool] = None  # None = could not tell
    module_version: Optional[str] = None
    versions: dict[str, str] = field(default_factory=dict)  # source -> "4.6.9"
    cnmon: Optional[CnmonFacts] = None
    evidence: list[Evidence] = field(default_factory=list)
    module_source: Optional[str] = None  # "/proc/modules" | "/sys/module" when module_loaded is known

    @property
    def version(self) -> Optional[str]:
        """Best known driver version: /proc, then cnmon, then the module."""
        for key in ("proc", "cnmon", "module"):
            if self.versions.get(key):
                return self.versions[key]
        return next(iter(self.versions.values()), None)


# --- toolkit -----------------------------------------------------------------------------


@dataclass
class InstalledVersion:
    """One reading of an installed component's version, and where it was read."""

    version: str  # "1.21.1"
    source: str  # "file:/usr/local/neuware/lib64/libcnnl.so.1.21.1", "dpkg:cnnl", "header:.../cnnl.h", ...


@dataclass
class ToolkitFacts:
    """Neuware / CNToolkit: where it is, its version and library versions."""

    neuware_home: Optional[str] = None
    source: Optional[str] = None  # "NEUWARE_HOME" | "/usr/local/neuware" | "/torch/neuware_home" | "dpkg"
    neuware_home_env: Optional[str] = None  # $NEUWARE_HOME as set (even when it names no directory)
    looked_at: list[str] = field(default_factory=list)
    version: Optional[str] = None  # "3.9.0"
    libs: dict[str, str] = field(default_factory=dict)  # "cnrt" -> "4.7.5"
    era: Optional[str] = None  # "cnml" | "cnnl" | None (unknown)
    lib64_on_ld_path: Optional[bool] = None
    lib64_in_ld_conf: Optional[bool] = None  # listed in /etc/ld.so.conf(.d)
    bin_on_path: Optional[bool] = None
    version_source: Optional[str] = None  # "version.txt" | "dpkg"
    evidence: list[Evidence] = field(default_factory=list)
    # "cnnl" -> versions by source
    components: dict[str, list[InstalledVersion]] = field(default_factory=dict)


# --- framework ---------------------------------------------------------------------------


@dataclass
class MissingLibrary:
    """A NEEDED entry the dynamic loader would not find, and where it looked."""

    name: str  # "libcnnl.so.1"
    needed_by: str  # the object whose NEEDED entry it is
    searched: list[str] = field(default_factory=list)  # "dir (why)", in the loader's order
    other_versions: list[str] = field(default_factory=list)  # the same library, another major version
    elsewhere: list[str] = field(default_factory=list)  # the exact name, in a directory not searched
    rejected: list[str] = field(default_factory=list)  # "path: why" (a directory, another ELF class, garbage)
    component: Optional[str] = None  # "CNNL", "CNToolkit", "torch_mlu", ... when known


@dataclass
class LinkageFacts:
    """Static resolution of torch_mlu's extension modules the way ld.so would do it (nothing executed)."""

    roots: list[str] = field(default_factory=list)  # the extension modules resolved from
    resolved: dict[str, str] = field(default_factory=dict)  # soname -> path it resolves to
    missing: list[MissingLibrary] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # malformed ELF, a loop, a limit reached
    objects: int = 0  # ELF objects read
    ld_library_path: Optional[str] = None  # as the user's code gets it
    cache: Optional[str] = None  # "/etc/ld.so.cache (new format, 544 entries)"; None = absent
    conf_dirs: list[str] = field(default_factory=list)  # from /etc/ld.so.conf(.d), include followed
    toolkit_dirs: list[str] = field(default_factory=list)
    truncated: bool = False  # a bound (files, depth) stopped the walk


@dataclass
class Requirement:
    """One version torch_mlu / catch declares it needs (build.property), and where it was read."""

    component: str  # build.property key: "driver", "cnnl", "cntoolkit", "cncl", "mluops", "torch", "triton"
    version: str  # as written: "1.21.1-1", "2.0.0" (a daily build's path prefix dropped)
    source: str  # "file:/.../build.property"
    channel: Optional[str] = None  # "release" | "daily"


@dataclass
class DistInfo:
    """An installed Python distribution that matters to the torch pairing (torch, torchvision, triton,
    nvidia-*)."""

    name: str  # normalised: "torch", "torchvision", "triton", "nvidia_cudnn_cu12"
    version: str
    source: str  # the metadata path
    # its METADATA `Requires-Dist: torch==2.1.0` (torchvision, torchaudio)
    requires_torch: Optional[str] = None




@dataclass
class FrameworkFacts:
    """Cambricon PyTorch in the user's Python environment, read without importing torch."""

    python: Optional[str] = None  # interpreter path, when one was run
    python_version: Optional[str] = None
    site_dirs: list[str] = field(default_factory=list)
    sys_path: list[str] = field(default_factory=list)
    torch_version: Optional[str] = None  # "1.3.0a0+b8a5f1d"
    torch_path: Optional[str] = None
    torch_mlu_version: Optional[str] = None  # "1.17.0-torch1.13"
    catch_version: Optional[str] = None
    era: Optional[str] = None  # "cnml" | "cnnl" | None
    generation: Optional[str] = None  # human label: "CNML era (torch 1.3)", "torch_mlu 1.17", ...
    has_core_mlu_model: Optional[bool] = None  # torch_mlu/core/mlu_model.py present
    mluc_needed: list[str] = field(default_factory=list)  # NEEDED of torch_mlu/_MLUC*.so
    driver_requires: Optional[str] = None  # from build.property, "5.10.22"
    build_requires: dict[str, str] = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # e.g. the interpreter timed out (fell back to a scan)
    # why the interpreter (--python, or python3 on PATH) could not be asked
    python_error: Optional[str] = None
    torch_mlu_path: Optional[str] = None  # the torch_mlu package directory found
    requirements: list[Requirement] = field(default_factory=list)  # from build.property, every key
    # torch, torchvision, torchaudio, triton, nvidia-*, ...
    dists: list[DistInfo] = field(default_factory=list)
    torch_cuda: Optional[str] = None  # torch/version.py `cuda = '12.1'`: a CUDA build
    linkage: Optional[LinkageFacts] = None  # None when there was no torch_mlu extension to resolve
    # required components not in lib64
    installed: dict[str, list[InstalledVersion]] = field(default_factory=dict)


# --- runtime ------------------------------------------------------------------------------


@dataclass
class RuntimeStage:
    """One step of the runtime probe as the child reported it (import torch, import torch_mlu, ...)."""

    name: str  # "python" | "import torch" | "import torch_mlu" | "torch_mlu.core" | "devices" | "device op"
    ok: bool
    detail: str = ""  # a version, "2 x MLU370-X8", or the exception line
    seconds: Optional[float] = None
    error: Optional[str] = None  # the exception's last line ("ImportError: libcnnl.so.1: cannot open ...")
    traceback: str = ""  # its tail, bounded


@dataclass
class RuntimeFacts:
    """The opt-in runtime probe: the user's interpreter imported torch / torch_mlu and used mlu:0, in a child.

    status: not-requested | no-interpreter | not-run | ran | timeout | failed-to-start
    """

    status: str = "not-requested"
    reason: str = ""  # why it did not run, in plain words
    python: Optional[str] = None
    command: str = ""
    timeout: Optional[float] = None
    seconds: Optional[float] = None
    returncode: Optional[int] = None
    stages: list[RuntimeStage] = field(default_factory=list)
    torch_version: Optional[str] = None
    torch_mlu_version: Optional[str] = None
    api: Optional[str] = None  # "torch.mlu" | "torch_mlu.core"
    is_available: Optional[bool] = None
    device_count: Optional[int] = None
    device_names: list[str] = field(default_factory=list)
    op_result: list[float] = field(default_factory=list)
    # stage -> what the process wrote to stderr during it
    stderr: dict[str, str] = field(default_factory=dict)
    stdout: str = ""  # what it printed besides the probe's own lines (bounded)

    def stage(self, name: str) -> Optional[RuntimeStage]:
        """The record of stage `name`, when the child got that far."""
        return next((s for s in self.stages if s.name == name), None)


# --- env ---------------------------------------------------------------------------------


@dataclass
class EnvFacts:
    """Environment variables that matter; None = unset."""

    vars: dict[str, Optional[str]] = field(default_factory=dict)
    home: Optional[str] = None
    torch_home_writable: Optional[bool] = None  # the dir, or its nearest existing parent when missing
    torch_home_exists: Optional[bool] = None
    torch_home_path: Optional[str] = None  # resolved (~ and relative to the cwd)
    torch_home_is_file: Optional[bool] = None
    torch_home_write_error: Optional[str] = None  # why the test write failed
    torch_home_free: Optional[int] = None  # bytes free for this user where TORCH_HOME is (or would be)


# --- project -----------------------------------------------------------------------------


@dataclass
class ModuleResolution:
    """What an import statement would find. status: project | missing | shadowed | unknown."""

    statement: str  # "from utils.google_utils import *"
    module: str  # "utils"
    status: str
    resolved_to: Optional[str] = None
    expected: Optional[str] = None  # the project's own package
    search_path: list[str] = field(default_factory=list)


@dataclass
class WorkloadEvidence:
    """A sign of which platform a workload targets. kind: set_core_version | mcore | core_number |
    offline-model | twins."""

    kind: str
    target: Optional[str] = None  # "MLU270" | "MLU220" | None (unknown)
    source: str = ""  # "path:line"
    excerpt: str = ""
    value: Optional[int] = None  # core_number


@dataclass
class ProjectFacts:
    """The user's project: yolov3/yolov5 shape, import resolution, workload evidence."""

    dir: str = "."
    cwd: str = "."
    kind: Optional[str] = None  # "yolov5" | "yolov3" | None
    # from the cwd (python -m/-c, scripts there)
    imports: list[ModuleResolution] = field(default_factory=list)
    # the project's own scripts, run by path
    script_imports: list[ModuleResolution] = field(default_factory=list)
    # scripts in the cwd (outside the project) importing it
    cwd_scripts: list[str] = field(default_factory=list)
    workload: list[WorkloadEvidence] = field(default_factory=list)
    scanned_files: int = 0


# --- datasets ----------------------------------------------------------------------------


@dataclass
class SplitFacts:
    """One split of a COCO root (train2014, val2017, ...)."""

    name: str
    images_dir: Optional[str] = None
    images: Optional[int] = None
    labels_dir: Optional[str] = None
    labels: Optional[int] = None
    list_file: Optional[str] = None
    list_entries: Optional[int] = None


@dataclass
class DatasetRoot:
    """A COCO root named by the config, $COCO_DIR or a project data file."""

    path: str
    source: str  # "config" | "COCO_DIR" | "data/coco.yaml" | "data/coco2014.data"
    exists: bool = False
    year: Optional[str] = None
    layout: Optional[str] = None  # "yolov3" | "yolov5" | None
    splits: list[SplitFacts] = field(default_factory=list)
    expected_splits: list[str] = field(default_factory=list)
    annotations: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    smaller: list[str] = field(default_factory=list)  # splits smaller than COCO's, with no fetch-coco record


@dataclass
class DatasetFacts:
    """The COCO roots found."""

    roots: list[DatasetRoot] = field(default_factory=list)


# --- the whole -----------------------------------------------------------------------------


@dataclass
class Facts:
    """Everything gathered about one system. A section is None when not gathered; errors say why."""

    schema_version: int = FACTS_SCHEMA
    tool_version: str = ""
    target: str = "host"
    root: str = "/"
    device: Optional[DeviceFacts] = None
    driver: Optional[DriverFacts] = None
    toolkit: Optional[ToolkitFacts] = None
    framework: Optional[FrameworkFacts] = None
    env: Optional[EnvFacts] = None
    project: Optional[ProjectFacts] = None
    datasets: Optional[DatasetFacts] = None
    container: Optional[ContainerFacts] = None
    runtime: Optional[RuntimeFacts] = None
    errors: dict[str, str] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


SECTIONS = ("device", "driver", "toolkit", "framework", "env", "project", "datasets", "runtime")


def deferred_names() -> dict[str, Any]:
    """What the annotations above name but this module imports only for the type checker, for serde's
    `get_type_hints`: the container's records, kept off the plain `check` path (~0.8 ms of its start-up)."""
    from mlu_doctor.facts.container_model import ContainerFacts

    return {"ContainerFacts": ContainerFacts}
