#!/usr/bin/env bash
# Build the mlu-doctor image: wheels are made on this machine (pip, PyPI or its cache), then
# `docker build` installs only from them with the network off, so it needs no registry when BASE is local.
#
#   scripts/build-image.sh [--base IMAGE] [--tag TAG] [--python-version X.Y]
#
#   --base            base image with python3 + venv (default python:3.11-slim; pulled only if missing)
#   --tag             image tag (default mlu-doctor:<version>, also tagged mlu-doctor:latest)
#   --python-version  Python of the base image, for binary wheels (default: asked from the base when it is
#                     local, else 3.11)
# Environment: PYTHON (the pip to build wheels with; default python3), ARCH (default: uname -m).
set -euo pipefail
cd "$(dirname "$0")/.."

BASE="python:3.11-slim"; TAG=""; PYVER=""
while [ $# -gt 0 ]; do
  case "$1" in
    --base) BASE="$2"; shift 2 ;;
    --tag) TAG="$2"; shift 2 ;;
    --python-version) PYVER="$2"; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "build-image.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
PY="${PYTHON:-python3}"
ARCH="${ARCH:-$(uname -m)}"
VERSION="$(sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml | head -1)"
[ -n "$TAG" ] || TAG="mlu-doctor:${VERSION}"

if [ -z "$PYVER" ]; then
  if docker image inspect "$BASE" >/dev/null 2>&1; then
    PYVER="$(docker run --rm --network none --entrypoint python3 "$BASE" \
      -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
  else
    PYVER="3.11"
  fi
fi

CTX="$(mktemp -d "${TMPDIR:-/tmp}/mlu-doctor-image.XXXXXX")"
trap 'rm -rf "$CTX"' EXIT
mkdir -p "$CTX/wheels"
cp Dockerfile "$CTX/Dockerfile"

echo "build-image.sh: wheels for Python $PYVER ($ARCH) in $CTX/wheels" >&2
"$PY" -m pip wheel --quiet --no-deps --wheel-dir "$CTX/wheels" .
"$PY" -m pip download --quiet --dest "$CTX/wheels" --only-binary=:all: \
  --python-version "$PYVER" --implementation cp \
  --platform "manylinux_2_17_${ARCH}" --platform "manylinux2014_${ARCH}" --platform "manylinux_2_28_${ARCH}" \
  "$CTX"/wheels/mlu_doctor-*.whl

# Prefer BuildKit (buildx) when installed; the legacy builder otherwise (it is what this needs: no cache mounts).
if docker buildx version >/dev/null 2>&1; then BUILDKIT=1; else BUILDKIT=0; fi
echo "build-image.sh: docker build (BuildKit=$BUILDKIT) --build-arg BASE=$BASE -t $TAG" >&2
DOCKER_BUILDKIT="$BUILDKIT" docker build --quiet --network none --build-arg "BASE=$BASE" -t "$TAG" "$CTX" >/dev/null
# the legacy builder leaves the build stage behind as an untagged image (~200 MB a build): remove it
docker image prune --force --filter label=mlu-doctor.stage=build >/dev/null
case "$TAG" in mlu-doctor:*) docker tag "$TAG" mlu-doctor:latest ;; esac
echo "$TAG"
