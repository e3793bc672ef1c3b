"""Slurm end to end: a one-node cluster (Debian's munge, slurmctld and slurmd on 127.0.0.1) whose
HealthCheckProgram is deploy/slurm's script. A failing node is drained with the finding as the reason, a node
that cannot be judged is left as it is, and a fixed node is resumed when AUTO_RESUME=1."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from tests.kit import hosts
from tests.kit.fleet import DEPLOY, daemon, free_port, need, wait_for

pytestmark = pytest.mark.slow
SCRIPT = DEPLOY / "slurm/mlu-doctor-healthcheck.sh"
NODE = "mlunode"
DOCTOR = str(Path(sys.executable).parent / "mlu-doctor")
INTERVAL = 2  # HealthCheckInterval, seconds


class Cluster:
    """scontrol on the test cluster, and the health check's settings file."""

    def __init__(self, base: Path, conf: Path) -> None:
        self.base, self.conf = base, conf
        self.settings = base / "etc/mlu-doctor-healthcheck.conf"

    def scontrol(self, *args: str) -> str:
        done = subprocess.run([need("scontrol"), *args], env={**os.environ, "SLURM_CONF": str(self.conf)},
                              capture_output=True, text=True, timeout=30)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def node(self) -> dict[str, str]:
        """`scontrol show node`'s fields (Reason keeps its spaces)."""
        text = self.scontrol("show", "node", NODE)
        fields = dict(re.findall(r"(\w+)=(\S+)", text))
        reason = re.search(r"Reason=(.*?)(?: \[\S+@\S+\])?$", text, re.M)
        fields["Reason"] = reason.group(1) if reason else ""
        return fields

    def run_on(self, host: hosts.HostFixture, auto_resume: bool = False) -> None:
        """Point the health check at a fixture host, as an operator edits mlu-doctor-healthcheck.conf."""
        lines = [f"MLU_DOCTOR={DOCTOR}",
                 f'MLU_DOCTOR_ARGS="--only device --only driver --only toolkit --timeout 1 --root {host.root}"',
                 f"PATH={host.env['PATH']}", f"SLURM_CONF={self.conf}", f"AUTO_RESUME={int(auto_resume)}"]
        self.settings.write_text("\n".join(lines) + "\n")


def slurm_conf(base: Path, hostname: str, script: Path, munge_socket: Path) -> str:
    ctld, slurmd = free_port(), free_port()
    return f"""ClusterName=mlutest
SlurmctldHost={hostname}(127.0.0.1)
SlurmctldPort={ctld}
SlurmdPort={slurmd}
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket={munge_socket}
StateSaveLocation={base}/state
SlurmdSpoolDir={base}/spool
SlurmctldPidFile={base}/run/slurmctld.pid
SlurmdPidFile={base}/run/slurmd.pid
SlurmctldLogFile={base}/log/slurmctld.log
SlurmdLogFile={base}/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
SwitchType=switch/none
ReturnToService=2
HealthCheckProgram={script}
HealthCheckInterval={INTERVAL}
HealthCheckNodeState=ANY
NodeName={NODE} NodeHostname={hostname} NodeAddr=127.0.0.1 CPUs=1 State=UNKNOWN
PartitionName=debug Nodes={NODE} Default=YES State=UP
"""


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    munged, slurmctld, slurmd = need("munged"), need("slurmctld"), need("slurmd")
    base = tmp_path_factory.mktemp("slurm")
    for sub in ("state", "spool", "run", "log", "etc"):
        (base / sub).mkdir()
    (base / "munge").mkdir(mode=0o700)
    key = base / "munge/munge.key"
    key.write_bytes(os.urandom(1024))
    key.chmod(0o400)
    script = base / "etc" / SCRIPT.name  # installed as an operator would: a copy, with its settings file beside it
    shutil.copy2(SCRIPT, script)
    conf = base / "etc/slurm.conf"
    conf.write_text(slurm_conf(base, socket.gethostname().split(".")[0], script, base / "run/munge.sock"))
    made = Cluster(base, conf)
    made.run_on(hosts.mlu220_m2_host(base / "hosts/first"))
    with ExitStack() as stack:
        stack.enter_context(daemon([munged, "-F", "-f", f"--key-file={key}", f"--socket={base / 'run/munge.sock'}",
                                    f"--pid-file={base / 'run/munged.pid'}", f"--seed-file={base / 'munge/seed'}",
                                    f"--log-file={base / 'log/munged.log'}"], base / "log/munged.out"))
        wait_for("munged's socket", (base / "run/munge.sock").exists, timeout=20, log=base / "log/munged.out")
        stack.enter_context(daemon([slurmctld, "-D", "-f", str(conf)], base / "log/slurmctld.out"))
        stack.enter_context(daemon([slurmd, "-D", "-N", NODE, "-f", str(conf)], base / "log/slurmd.out"))
        wait_for("the node to register idle", lambda: made.node().get("State", "").startswith("IDLE"), timeout=60,
                 log=base / "log/slurmd.log")
        yield made


def test_the_installed_script_is_the_one_in_deploy(cluster):
    assert (cluster.base / "etc" / SCRIPT.name).read_bytes() == SCRIPT.read_bytes()
    assert cluster.scontrol("show", "config").count(f"HealthCheckProgram      = {cluster.base}/etc/{SCRIPT.name}") == 1


def test_failing_then_unknown_then_fixed(cluster, tmp_path):
    cluster.run_on(hosts.no_driver_host(tmp_path / "sick"))
    node = wait_for("the failing node to drain", lambda: (n := cluster.node())["State"].startswith("IDLE+DRAIN") and n,
                    timeout=30)
    assert node["Reason"].startswith("mlu-doctor: device.nodes (+1 more): 1 card(s) seen in PCI (1) but "
                                     "/dev/cambricon_ctl and /dev/cambricon_devN missing from /dev")

    blind = hosts.blind_host(tmp_path / "blind", cnmon_sleep=5)
    cluster.run_on(blind, auto_resume=True)  # unknown: neither drains nor resumes
    wait_for("two health checks on the blind host", lambda: len(blind.cnmon_calls()) >= 2, timeout=30)
    assert cluster.node()["State"].startswith("IDLE+DRAIN") and cluster.node()["Reason"].startswith("mlu-doctor: ")

    fixed = hosts.mlu220_m2_host(tmp_path / "fixed")
    cluster.run_on(fixed, auto_resume=False)  # fixed, but not configured to resume: stays drained
    wait_for("two health checks on the fixed host", lambda: len(fixed.cnmon_calls()) >= 2, timeout=30)
    assert cluster.node()["State"].startswith("IDLE+DRAIN")

    cluster.run_on(fixed, auto_resume=True)
    node = wait_for("the fixed node to resume", lambda: (n := cluster.node())["State"] == "IDLE" and n, timeout=30)
    assert node["Reason"] == ""


def test_a_drain_by_someone_else_is_not_resumed(cluster, tmp_path):
    cluster.scontrol("update", f"NodeName={NODE}", "State=DRAIN", "Reason=disk replacement")
    healthy = hosts.mlu220_m2_host(tmp_path / "ok")
    cluster.run_on(healthy, auto_resume=True)
    wait_for("two health checks", lambda: len(healthy.cnmon_calls()) >= 2, timeout=30)
    node = cluster.node()
    assert node["State"].startswith("IDLE+DRAIN") and node["Reason"] == "disk replacement"
    cluster.scontrol("update", f"NodeName={NODE}", "State=RESUME")
