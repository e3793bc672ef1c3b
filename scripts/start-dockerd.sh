#!/usr/bin/env bash
# Start a Docker daemon for the tests when none is reachable: loopback-only (no bridge, no iptables), on the
# default unix socket and on tcp://127.0.0.1:$MLU_DOCTOR_DOCKER_TCP_PORT (default 23750, plain HTTP: loopback only)
# for the tests that reach it over tcp. A daemon already running is left alone, even without the tcp listener
# (other runs may be using it); the tcp tests then skip and say so.
set -euo pipefail
PORT="${MLU_DOCTOR_DOCKER_TCP_PORT:-23750}"
if docker info >/dev/null 2>&1; then exit 0; fi
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
log="${TMPDIR:-/tmp}/mlu-doctor-dockerd.log"
echo "start-dockerd.sh: starting dockerd (unix socket + tcp://127.0.0.1:$PORT; log: $log)" >&2
$SUDO sh -c "nohup dockerd --bridge=none --iptables=false --ip6tables=false \
  -H unix:///var/run/docker.sock -H tcp://127.0.0.1:$PORT >'$log' 2>&1 &"
for _ in $(seq 1 60); do
  if docker info >/dev/null 2>&1; then exit 0; fi
  sleep 0.5
done
echo "start-dockerd.sh: dockerd did not come up in 30 s; last lines of $log:" >&2
tail -n 20 "$log" >&2 || true
exit 1
