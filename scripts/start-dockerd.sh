#!/usr/bin/env bash
# Start a Docker daemon for the tests when none is reachable: loopback-only (no bridge, no iptables).
set -euo pipefail
if docker info >/dev/null 2>&1; then exit 0; fi
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
log="${TMPDIR:-/tmp}/mlu-doctor-dockerd.log"
echo "start-dockerd.sh: starting dockerd (log: $log)" >&2
$SUDO sh -c "nohup dockerd --bridge=none --iptables=false --ip6tables=false >'$log' 2>&1 &"
for _ in $(seq 1 60); do
  if docker info >/dev/null 2>&1; then exit 0; fi
  sleep 0.5
done
echo "start-dockerd.sh: dockerd did not come up in 30 s; last lines of $log:" >&2
tail -n 20 "$log" >&2 || true
exit 1
