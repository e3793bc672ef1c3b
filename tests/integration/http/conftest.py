"""Shared servers for the fetch-coco integration tests: a synthetic COCO mirror tree, a real nginx, a fault server."""

from __future__ import annotations

import json
import os

import pytest

from tests.kit.coco import FaultServer, Nginx, build_dataset


@pytest.fixture(scope="session")
def dataset(tmp_path_factory):
    root = tmp_path_factory.mktemp("coco-mirror-it")
    data = build_dataset(root, base_url="")  # the manifest names no official host: only our mirrors are used
    return root, data


@pytest.fixture(scope="session")
def nginx(dataset, tmp_path_factory):
    if not os.path.exists("/usr/sbin/nginx"):
        pytest.skip("nginx not installed")
    server = Nginx(tmp_path_factory.mktemp("nginx-it"), dataset[0] / "www")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def faults(dataset):
    server = FaultServer(dataset[0] / "www")
    yield server
    server.stop()


@pytest.fixture
def manifest(dataset):
    return str(dataset[0] / "manifest.yaml")


@pytest.fixture
def fetch(cli, manifest):
    """fetch(dest, *args) -> (result, JSON document or None) for `fetch-coco --year 2017 --format json`."""

    def run(dest, *args, year="2017"):
        result = cli(["fetch-coco", "--year", year, "--dest", dest, "--manifest", manifest, *args, "--format", "json"],
                     env={"MLU_DOCTOR_COCO_MIRROR": ""})
        return result, (json.loads(result.stdout) if result.stdout.startswith("{") else None)

    return run
