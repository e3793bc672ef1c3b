"""Fixtures shared by every test: the in-process CLI, fixture roots, the Docker daemon, cc-built ELF files;
and the test tiers.

Helpers that are not fixtures live in tests/kit/ (import them from there, never from a conftest).

Tiers: `pytest -m "not slow"` is the fast tier. A test is `slow` when it is marked so, when it needs Docker
(`docker` mark), or when it lives under tests/integration/ or tests/hostile/ and is not marked `fast`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from mlu_doctor.cli import register
from mlu_doctor.i18n import language, set_language
from tests.kit.files import write
from tests.kit.hosts import add_pci_card

app = register()

HERE = Path(__file__).resolve().parent
SLOW_UNLESS_FAST = (HERE / "integration", HERE / "hostile")  # real processes, servers, property-based search


@pytest.hookimpl(tryfirst=True)  # before -m deselects: the mark must be there when it looks
def pytest_collection_modifyitems(config, items):
    """Mark `slow` what needs Docker and, unless marked `fast`, everything under tests/integration/ and
    tests/hostile/."""
    for item in items:
        if item.get_closest_marker("slow"):
            continue
        folders = Path(str(item.fspath)).resolve().parents
        by_folder = any(d in folders for d in SLOW_UNLESS_FAST) and not item.get_closest_marker("fast")
        if item.get_closest_marker("docker") or by_folder:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def _language_kept():
    """A test that switches the message language (`--lang zh` in process, set_language) leaves it as it
    found it: a Chinese message must never leak into the next test's assertions."""
    before = language()
    yield
    set_language(before)


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


@pytest.fixture(scope="session")
def docker_client():
    """A client of the real Docker daemon (scripts/test.sh starts one); missing in CI is a failure."""
    from tests.kit import docker as dockerkit

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

    from tests.kit import docker as dockerkit

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
    """tests/kit/elf.py: real shared objects built with cc in this run (cached per run, removed at exit)."""
    from tests.kit import elf as elfkit

    elfkit.compiler()  # no C compiler is a setup error, reported once
    return elfkit
