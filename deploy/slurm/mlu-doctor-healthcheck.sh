#!/bin/sh
# Slurm HealthCheckProgram: run mlu-doctor's node checks; drain this node with the finding as the reason
# when they fail. A doctor that cannot judge the node (exit 2: unknown) changes nothing: it logs and exits 0;
# unknown never drains a node and never resumes one.
#
# slurm.conf:  HealthCheckProgram=/etc/slurm/mlu-doctor-healthcheck.sh
#              HealthCheckInterval=300
#              HealthCheckNodeState=ANY
#
# slurmd runs this with no environment but SLURMD_NODENAME, so settings go in a shell file beside it,
# /etc/slurm/mlu-doctor-healthcheck.conf (or the file named by MLU_DOCTOR_HEALTHCHECK_CONF), e.g.:
#   MLU_DOCTOR=/opt/mlu-doctor/bin/mlu-doctor                  # the mlu-doctor executable (this default)
#   MLU_DOCTOR_ARGS="--only device --only driver --only toolkit" # checks to run (this default)
#   AUTO_RESUME=1     # resume the node when the checks pass again and mlu-doctor drained it (default 0)
#   NODE=...          # the Slurm node name (default: $SLURMD_NODENAME, else hostname -s)
#   SCONTROL=scontrol # the scontrol executable; SLURM_CONF=... if slurm.conf is not where scontrol looks
#   PATH=...          # where cnmon is found (default: the usual system folders)
CONF="${MLU_DOCTOR_HEALTHCHECK_CONF:-$(dirname "$0")/mlu-doctor-healthcheck.conf}"
PATH="${PATH:-/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin}"
export PATH
if [ -r "$CONF" ]; then
  set -a  # what the file sets is exported to mlu-doctor and scontrol (PATH, SLURM_CONF, NEUWARE_HOME ...)
  # shellcheck source=/dev/null
  . "$CONF"
  set +a
fi
MLU_DOCTOR="${MLU_DOCTOR:-/opt/mlu-doctor/bin/mlu-doctor}"
MLU_DOCTOR_ARGS="${MLU_DOCTOR_ARGS:---only device --only driver --only toolkit}"
NODE="${NODE:-${SLURMD_NODENAME:-$(hostname -s)}}"
SCONTROL="${SCONTROL:-scontrol}"
PREFIX="mlu-doctor:"

# shellcheck disable=SC2086  # MLU_DOCTOR_ARGS is a list of words
message="$("$MLU_DOCTOR" npd $MLU_DOCTOR_ARGS --max-length 200 2>/dev/null)"
status=$?

case "$status" in
  0)
    if [ "${AUTO_RESUME:-0}" = 1 ] && "$SCONTROL" show node "$NODE" | grep -q "Reason=$PREFIX"; then
      echo "$PREFIX resuming $NODE: $message" >&2
      "$SCONTROL" update NodeName="$NODE" State=RESUME
    fi
    exit 0
    ;;
  1)
    echo "$PREFIX draining $NODE: $message" >&2
    "$SCONTROL" update NodeName="$NODE" State=DRAIN Reason="$PREFIX $message"
    exit 1
    ;;
  *)
    echo "$PREFIX cannot judge $NODE (exit $status), leaving its state alone: $message" >&2
    exit 0
    ;;
esac
