"""Fixtures of the integration tests, and their tier: every test under tests/integration/ is `slow` unless
it is marked `fast` (see tests/conftest.py)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def doctor_image(docker_client):
    """The doctor image (Dockerfile) built offline on a local base, once per content hash."""
    from tests.kit import docker as dockerkit

    return dockerkit.doctor_image(docker_client)
