"""Fixtures of the docker integration tests."""

from __future__ import annotations

import uuid

import pytest

from tests.kit.docker import run_container


@pytest.fixture
def container(docker_client):
    """container(image) -> a running container with no network, removed after the test."""
    made = []

    def start(image: str):
        made.append(run_container(docker_client, image, name=f"mlu-doctor-test-int-{uuid.uuid4().hex[:8]}"))
        return made[-1]

    yield start
    for ctr in made:
        ctr.remove(force=True)
