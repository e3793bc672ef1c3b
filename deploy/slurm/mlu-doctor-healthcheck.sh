#!/bin/sh
# Slurm HealthCheckProgram: run mlu-doctor's node checks; drain this node with the finding as the
# reason when they fail. A doctor that cannot run (exit 2) drains nothing: it logs and exits 0.
#
# slurm.conf:  HealthCheckProgram=/etc/slurm/mlu-doctor-healthcheck.sh
#              HealthCheckInterval=300
#              HealthCheckNodeState=ANY
#
# Environment (all optional):
#   MLU_DOCTOR       the mlu-doctor executable      (default /opt/mlu-doctor/bin/mlu-doctor)
#   MLU_DOCTOR_ARGS  checks to run                  (default: --only device --only driver --only toolkit)
#   NODE             the Slurm node name            (default: $SLURMD_NODENAME, else hostname -s)
#   AUTO_RESUME=1    resume the node when the checks pass again and mlu-doctor drained it
#   SCONTROL         the scontrol executable        (default scontrol)
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
    echo "$PREFIX health check could not run (exit $status): $message" >&2
    exit 0
    ;;
esac
