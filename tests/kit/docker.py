"""Real Docker for integration tests: a client, and test images built locally (no registry here).

Images:
- busybox_image(files): FROM scratch + Debian's static busybox (/bin/busybox, applets installed) + files.
- python_rootfs_image(): a Debian minbase rootfs with python3-minimal made by debootstrap, imported
  with `docker import` (cached by tag: built once per machine).
Containers always run with network_mode="none".
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time

import pytest

from tests.kit.files import REPO

BUSYBOX = "/bin/busybox"
PY_IMAGE = "mlu-doctor-test/python:bookworm"


def client_or_skip():
    """A docker client; in CI a missing daemon is a failure, elsewhere a skip."""
    import docker

    try:
        c = docker.from_env(timeout=120)
        c.ping()
        return c
    except Exception as exc:
        if os.environ.get("CI"):
            raise RuntimeError(f"Docker daemon unreachable in CI (scripts/start-dockerd.sh should start it): {exc}") from exc
        pytest.skip(f"no Docker daemon: {exc}")


def _add(tar: tarfile.TarFile, name: str, data: bytes, mode: int = 0o644) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = len(data), mode, int(time.time())
    tar.addfile(info, io.BytesIO(data))


def busybox_image(client, tag: str, files: dict[str, bytes | str] | None = None,
                  env: dict[str, str] | None = None, shell: bool = True) -> str:
    """Build `tag` FROM scratch with static busybox (unless shell=False) plus `files` {abs path: content}."""
    buf = io.BytesIO()
    lines = ["FROM scratch"]
    with tarfile.open(fileobj=buf, mode="w") as tar:
        if shell:
            with open(BUSYBOX, "rb") as fh:
                _add(tar, "ctx/bin/busybox", fh.read(), 0o755)
            lines += ["COPY ctx/bin /bin", 'RUN ["/bin/busybox", "--install", "-s", "/bin"]']
        for i, (path, content) in enumerate(sorted((files or {}).items())):
            data = content.encode() if isinstance(content, str) else content
            mode = 0o755 if path.startswith(("/bin/", "/usr/bin/")) or "/bin/" in path else 0o644
            _add(tar, f"ctx/f{i}", data, mode)
            lines.append(f"COPY ctx/f{i} {path}")
        for k, v in (env or {}).items():
            lines.append(f'ENV {k}="{v}"')
        if shell:
            lines.append('CMD ["/bin/sh", "-c", "sleep 3600"]')
        else:
            lines.append('CMD ["/nothing"]')
        _add(tar, "Dockerfile", ("\n".join(lines) + "\n").encode())
    buf.seek(0)
    client.images.build(fileobj=buf, custom_context=True, tag=tag, rm=True, forcerm=True)
    return tag


def python_rootfs_image(client, tag: str = PY_IMAGE) -> str:
    """A Debian minbase + python3-minimal image via debootstrap + docker import (built once, cached by tag)."""
    return debootstrap_image(client, tag, "python3-minimal")


def debootstrap_image(client, tag: str, include: str, clean_apt: bool = False) -> str:
    """A Debian bookworm minbase rootfs with `include` packages, imported as `tag`; reused when it exists."""
    import docker

    try:
        client.images.get(tag)
        return tag
    except docker.errors.ImageNotFound:
        pass
    if not shutil.which("debootstrap"):
        pytest.fail("debootstrap is missing: scripts/test.sh installs it")
    with tempfile.TemporaryDirectory(prefix="mlu-doctor-rootfs-") as d:
        root = os.path.join(d, "rootfs")
        subprocess.run(["debootstrap", "--variant=minbase", f"--include={include}", "bookworm", root, _apt_mirror()],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        for junk in ("var/cache/apt/archives", "var/lib/apt/lists") if clean_apt else ():
            subprocess.run(["find", os.path.join(root, junk), "-type", "f", "-delete"], check=False)
        tar = subprocess.Popen(["tar", "-C", root, "-c", "."], stdout=subprocess.PIPE)
        subprocess.run(["docker", "import", "-c", 'CMD ["sleep", "3600"]', "-", tag], stdin=tar.stdout,
                       check=True, stdout=subprocess.DEVNULL)
        tar.wait()
    return tag


def _apt_mirror() -> str:
    """The Debian archive apt already uses on this machine."""
    for path in ("/etc/apt/sources.list.d/debian.sources", "/etc/apt/sources.list"):
        try:
            with open(path) as fh:
                text = fh.read()
        except OSError:
            continue
        for line in text.splitlines():
            parts = line.split()
            if line.startswith("URIs:") and len(parts) > 1:
                return parts[1]
            if line.startswith("deb ") and len(parts) > 1 and "security" not in line:
                return parts[1] if not parts[1].startswith("[") else parts[2]
    return "http://deb.debian.org/debian"


def run_container(client, image: str, name: str | None = None, **kw):
    """Start a detached container with no network; the caller removes it."""
    kw.setdefault("network_mode", "none")
    kw.setdefault("detach", True)
    return client.containers.run(image, name=name, **kw)


CI_BASE_IMAGE = "mlu-doctor-test/ci-base:bookworm"


def ci_base_image(client, tag: str = CI_BASE_IMAGE) -> str:
    """A Debian minbase + python3-venv image (python with venv/ensurepip) for building the doctor image offline.

    Built once per machine by debootstrap + docker import and cached by tag, like python_rootfs_image.
    """
    return debootstrap_image(client, tag, "python3-venv", clean_apt=True)


DOCTOR_IMAGE_REPO = "mlu-doctor-test/ci-doctor"


def inputs_hash(base_id: str) -> str:
    """A content hash of everything that goes into the image, so it is rebuilt only when one changes."""
    h = hashlib.sha256(base_id.encode())
    files = [REPO / "Dockerfile", REPO / "pyproject.toml", REPO / "scripts/build-image.sh"]
    files += sorted(p for p in (REPO / "mlu_doctor").rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    for path in files:
        h.update(str(path.relative_to(REPO)).encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def doctor_image(docker_client) -> str:
    """The doctor image (Dockerfile), built once per content hash with scripts/build-image.sh on the debootstrap
    base; stale tags are dropped. The `doctor_image` fixture of tests/integration/conftest.py calls this."""
    import docker

    base = ci_base_image(docker_client)
    tag = f"{DOCTOR_IMAGE_REPO}:{inputs_hash(docker_client.images.get(base).id)}"
    try:
        docker_client.images.get(tag)
        return tag
    except docker.errors.ImageNotFound:
        pass
    env = {**os.environ, "PYTHON": sys.executable}
    subprocess.run(["bash", str(REPO / "scripts/build-image.sh"), "--base", base, "--tag", tag], env=env,
                   check=True, capture_output=True, timeout=900)
    for image in docker_client.images.list(name=DOCTOR_IMAGE_REPO):
        for old in image.tags:
            if old != tag:
                docker_client.images.remove(old, noprune=False)
    return tag
