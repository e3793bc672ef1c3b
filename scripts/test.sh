#!/usr/bin/env bash
# Install everything the test suite needs (idempotent) and run the whole suite.
# Debian packages, a Python venv with the project and its test extras, a Docker daemon; then ruff, mypy and pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"

missing=()
for pkg in docker.io nginx-light busybox-static debootstrap curl gcc prometheus prometheus-node-exporter slurm-wlm munge; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "test.sh: installing Debian packages: ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PY="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'

bash scripts/start-dockerd.sh

.venv/bin/ruff check mlu_doctor tests bench
.venv/bin/mypy  # files and strictness from pyproject.toml [tool.mypy]
exec .venv/bin/python -m pytest -q -p no:cacheprovider "$@"
