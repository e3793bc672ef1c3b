"""Shared test helpers: the CLI runner and fixture-root builders."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mlu_doctor.cli import register

app = register()

DATA = Path(__file__).parent / "data"


@pytest.fixture
def cli(monkeypatch):
    """Invoke the CLI in-process: cli(args, env=None) -> Result with exit_code, stdout, stderr."""
    runner = CliRunner()

    def invoke(args, env=None, input=None):
        merged = {"NO_COLOR": "1", "LANG": "C.UTF-8", "LC_ALL": ""}
        merged.update(env or {})
        return runner.invoke(app, [str(a) for a in args], env=merged, input=input, catch_exceptions=False)

    return invoke


@pytest.fixture
def empty_root(tmp_path):
    """A root with no Cambricon anything."""
    root = tmp_path / "root"
    for d in ("sys/bus/pci/devices", "proc", "dev", "usr/local"):
        (root / d).mkdir(parents=True)
    return root


def write(path: Path, text: str | bytes = "") -> Path:
    """Write a file, creating parents."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)
    return path


def add_pci_card(root: Path, address: str, device: int, subsystem: int = 0, vf: bool = False) -> Path:
    """A sysfs PCI function of vendor 0xcabc, class 0x1200xx."""
    base = root / "sys/bus/pci/devices" / address
    write(base / "vendor", "0xcabc\n")
    write(base / "device", f"0x{device:04x}\n")
    write(base / "class", "0x120000\n")
    write(base / "subsystem_device", f"0x{subsystem:04x}\n")
    if vf:
        write(base / "physfn", "")
    return base


def fake_tool(bindir: Path, name: str, stdout: str = "", code: int = 0, sleep: float = 0) -> Path:
    """An executable that prints `stdout` (from a file beside it) and exits `code`."""
    bindir.mkdir(parents=True, exist_ok=True)
    out = bindir / f"{name}.out"
    out.write_text(stdout)
    script = bindir / name
    pause = f"sleep {sleep}\n" if sleep else ""
    script.write_text(f"#!/bin/sh\n{pause}cat '{out}'\nexit {code}\n")
    script.chmod(0o755)
    return script


def path_with(bindir: Path) -> str:
    return f"{bindir}{os.pathsep}/usr/bin:/bin"


def healthy_root(root: Path) -> Path:
    """A healthy MLU220-M2 host tree without cnmon: PCI card, /proc entry, nodes, module, Neuware in ld.so.conf.d."""
    from tests.hosts import (
        CNML_LIBS,
        NEUWARE,
        add_dev_nodes,
        add_modules,
        add_neuware,
        add_pci,
        add_proc_card,
    )

    for d in ("sys/bus/pci/devices", "proc/driver", "dev", "usr/local"):
        (root / d).mkdir(parents=True, exist_ok=True)
    add_pci(root, "0002:21:00.0", 0x0220, 0x0033)
    add_proc_card(root, "0002:21:00.0", "MLU220-M2", "4.6.9")
    add_dev_nodes(root, "cambricon_ctl", "cambricon_dev0")
    add_modules(root, loaded=True, version="4.6.9")
    add_neuware(root, version="1.7.5", libs=CNML_LIBS)
    write(root / "etc/ld.so.conf.d/neuware.conf", f"{NEUWARE}/lib64\n")
    return root


@pytest.fixture(scope="session")
def docker_client():
    """A client of the real Docker daemon (scripts/test.sh starts one); missing in CI is a failure."""
    from tests import dockerkit

    client = dockerkit.client_or_skip()
    yield client
    client.close()


@pytest.fixture(scope="session")
def seam(docker_client):
    """The docker seam (`system.docker.Docker` on the docker SDK) connected to the test daemon."""
    from mlu_doctor.system.docker import connect

    made = connect(timeout=60.0)
    yield made
    made.close()


@pytest.fixture
def start(docker_client):
    """start(image, run=True, **kw) -> container with no network; every one is removed after the test."""
    import contextlib
    import uuid

    from tests import dockerkit

    made = []

    def make(image, run=True, **kw):
        name = f"mlu-doctor-test-{uuid.uuid4().hex[:8]}"
        kw.setdefault("network_mode", "none")
        ctr = (dockerkit.run_container(docker_client, image, name=name, **kw) if run
               else docker_client.containers.create(image, name=name, **kw))
        made.append(ctr)
        return ctr

    yield make
    for ctr in made:
        with contextlib.suppress(Exception):
            ctr.remove(force=True)


@pytest.fixture
def mlu220_root(tmp_path):
    """A host root with one MLU220-M2 card (sysfs, /proc information, /dev nodes)."""
    root = tmp_path / "host"
    add_pci_card(root, "0000:01:00.0", 0x0220, 0x0033)
    write(root / "proc/driver/cambricon/mlus/0000:01:00.0/information",
          "Device name: MLU220-M2\nDevice inode path: /dev/cambricon_dev0\nDriver Version: v4.6.9\n")
    write(root / "dev/cambricon_ctl")
    write(root / "dev/cambricon_dev0")
    return root


@pytest.fixture(scope="session")
def elf():
    """tests/elfkit: real shared objects built with cc in this run (cached per run, removed at exit)."""
    from tests import elfkit

    elfkit.compiler()  # no C compiler is a setup error, reported once
    return elfkit
