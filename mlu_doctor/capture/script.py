"""The probe script: standalone.py with PLAN filled in from the doctor's own probes (paths, patterns, limits).

What the script walks is taken from the probe modules' constants, so a probe that changes where it looks
changes the script with it (a few read limits that are literals in the probes are repeated here: 256 KiB for
ld.so.conf files and toolkit headers, 64 KiB for version.info).
tests/integration/capture/test_capture_replay.py replays the script's capture of each fixture host against a
live check, and tests/unit/capture/test_script.py compares the framework facts on trees built for the loader's
and the version readers' cases, to catch the rest.
"""

from __future__ import annotations

import pprint
import re
from importlib import resources
from typing import Any

from mlu_doctor import __version__
from mlu_doctor.capture.archive import FILE_LIMIT
from mlu_doctor.capture.model import CAPTURE_VERSION, FORMAT

PLAN_LINE = re.compile(r"^PLAN = \{\}.*$", re.MULTILINE)
MAX_ENTRIES = 2_000_000  # names listed in all (a COCO train2017 folder alone holds 118,287)
# file bytes read in all: inline as base64 (4/3) they stay under the loader's FILE_LIMIT (64 MiB), the listing
# beside them; what still would not fit is refused by the script itself (max_output), never written
MAX_BYTES = 40 * 1024 * 1024


def plan() -> dict[str, Any]:
    """Where the probes look and how much they read, as plain data for the script."""
    from mlu_doctor.defaults import COMMAND_OUTPUT_LIMIT, PROBE_TIMEOUT
    from mlu_doctor.facts import (
        components,
        datasets,
        device,
        driver,
        elf,
        framework,
        ldso,
        linkage,
        project,
        pyenv,
        requirements,
        sonames,
        toolkit,
        workload,
    )

    limits = workload.ScanLimits()
    return {
        "format": FORMAT, "capture_version": CAPTURE_VERSION, "tool_version": __version__,
        "timeout": PROBE_TIMEOUT, "output_limit": COMMAND_OUTPUT_LIMIT,
        "max_entries": MAX_ENTRIES, "max_bytes": MAX_BYTES, "max_output": FILE_LIMIT,
        "pci_dir": device.PCI_DIR, "proc_dir": device.PROC_DIR,
        "pci_files": ["vendor", "class", "device", "subsystem_device"],
        "stat": ["/.dockerenv", "/run/.containerenv", "/proc/driver", "/proc/driver/cambricon",
                 f"/sys/module/{driver.MODULE}"],
        "list": ["/sys/module"],
        "read": [["/proc/modules", 4 * 1024 * 1024], ["/proc/1/cgroup", 64 * 1024],
                 [f"/sys/module/{driver.MODULE}/version", 256], ["/etc/ld.so.conf", 64 * 1024],
                 [components.DPKG_STATUS, components.DPKG_LIMIT]],
        "read_glob": [["/etc/ld.so.conf.d/*.conf", 64 * 1024]],
        "neuware_homes": list(toolkit.DEFAULT_HOMES),
        "sys_path_script": pyenv.SCRIPT, "site_patterns": list(pyenv.KNOWN_SITE_PATTERNS),
        "packages": list(framework.DISTS), "dist_re": framework._DIST.pattern,
        "dists": [*framework.DISTS, *framework.PAIRED], "dist_prefixes": ["nvidia_"],  # framework._wanted
        "build_property": [*([rel, requirements.PROPERTY_LIMIT] for rel in requirements.PROPERTY_PLACES),
                           *([rel, 64 * 1024] for rel in requirements.VERSION_INFO_PLACES)],
        "modules": ["utils", "models"],
        "no_scan": list(project.NO_SCAN), "skip_dirs": sorted(workload.SKIP_DIRS),
        "text_suffixes": [*workload.TEXT_SUFFIXES, ".cambricon_twins"],
        "walk": {"max_depth": limits.max_depth, "max_entries": limits.max_entries,
                 "max_files": limits.max_files,
                 "max_file_bytes": limits.max_file_bytes, "max_total_bytes": limits.max_total_bytes},
        "yaml_key": datasets._YAML_KEY.pattern, "data_key": datasets._DATA_KEY.pattern,
        "list_limit": datasets.LIST_LIMIT, "state_dir": datasets.STATE_DIR,
        "record_limit": datasets.RECORD_LIMIT,
        # facts/components.py: what framework.read_installed may read for torch_mlu's requirements
        "installed": {
            "headers": [header for header, _prefix in components.HEADERS.values()],
            "header_limit": 256 * 1024,
            "rpm_dbs": list(components.RPM_DBS), "rpm_limit": components.RPM_LIMIT,
            "rpm_header": components._RPM_HEADER.decode("latin-1")},
        "linkage": {  # facts/linkage.py and facts/ldso.py: what the static ld.so resolution may read
            "extension": linkage.EXTENSION.pattern, "c_runtime": sonames.C_RUNTIME.pattern,
            "max_roots": linkage.MAX_ROOTS, "max_objects": linkage.MAX_OBJECTS,
            "max_search_dirs": linkage.MAX_SEARCH_DIRS, "max_symlinks": linkage.MAX_SYMLINKS,
            "cache": ldso.LD_SO_CACHE, "cache_limit": ldso.CACHE_LIMIT, "conf": ldso.LD_SO_CONF,
            "conf_glob": "/etc/ld.so.conf.d/*.conf", "conf_limit": 256 * 1024,
            "max_include_depth": ldso.MAX_INCLUDE_DEPTH, "max_conf_files": ldso.MAX_CONF_FILES,
            "default_dirs": default_dirs(ldso), "max_name": elf.MAX_NAME, "max_dyn": elf.MAX_DYN,
            "max_phdrs": elf.MAX_PHDRS,
            "platforms": {machine: triplet.split("-")[0] for machine, triplet in ldso.MULTIARCH.items()}},
    }


def default_dirs(ldso: Any) -> list[str]:
    """The loader's built-in directories for every architecture the doctor knows, in order, once each."""
    out: list[str] = []
    for machine in (*ldso.MULTIARCH, None):
        for is64 in (True, False):
            out += [d for d in ldso.default_dirs(machine, is64) if d not in out]
    return out


def template() -> str:
    return resources.files("mlu_doctor.capture").joinpath("standalone.py").read_text(encoding="utf-8")


def probe_script() -> str:
    """The text of probe.py: the template with its PLAN line replaced by the plan as a Python literal."""
    literal = pprint.pformat(plan(), width=110, sort_dicts=False)
    text, count = PLAN_LINE.subn(lambda _m: "PLAN = " + literal, template(), count=1)
    if count != 1:
        raise RuntimeError("standalone.py has no `PLAN = {}` line")
    return text
