# mlu-doctor as a container image: checks its host through a read-only mount of the host's root,
# and containers through the Docker socket.
#
#   bash scripts/build-image.sh                      # wheels on the host, then docker build (no network in the build)
#   docker run --rm -v /:/host:ro -v /var/run/docker.sock:/var/run/docker.sock mlu-doctor check --root /host
#
# The build never reaches the network or a registry when BASE is already local: everything it installs
# comes from the wheels/ folder of the build context (made by `pip wheel`). BASE needs python3 with venv.
ARG BASE=python:3.11-slim

FROM ${BASE} AS build
# names the build stage's images: the legacy builder keeps them, build-image.sh removes them after the build
LABEL mlu-doctor.stage=build
COPY wheels /wheels
RUN python3 -m venv /opt/mlu-doctor \
 && /opt/mlu-doctor/bin/python -m pip install --no-index --find-links /wheels --no-cache-dir \
        --disable-pip-version-check --quiet mlu-doctor \
 && /opt/mlu-doctor/bin/python -m pip uninstall --yes --quiet pip setuptools \
 && /opt/mlu-doctor/bin/mlu-doctor --version

FROM ${BASE}
COPY --from=build /opt/mlu-doctor /opt/mlu-doctor
ENV PATH=/opt/mlu-doctor/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
LABEL org.opencontainers.image.title="mlu-doctor" \
      org.opencontainers.image.description="Environment doctor for PyTorch on Cambricon MLU hosts and containers"
WORKDIR /tmp
ENTRYPOINT ["mlu-doctor"]
CMD ["check", "--root", "/host"]
