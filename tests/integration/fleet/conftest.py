"""A small fleet on 127.0.0.1: per node a textfile folder written by the DaemonSet's own loop, a real
node_exporter reading it, and one real Prometheus scraping them every second with deploy/'s alert rules."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any, Callable

import pytest
import requests
import yaml

from tests.kit import hosts
from tests.kit.fleet import DEPLOY, daemon, free_port, need, wait_for

VENV_BIN = str(Path(sys.executable).parent)
RULES = DEPLOY / "prometheus/mlu-doctor.rules.yml"
# node name -> the fixture host it runs on
NODES: dict[str, Callable[[Path], hosts.HostFixture]] = {
    "healthy": hosts.mlu220_m2_host,
    "failing": hosts.no_driver_host,
    "unknown": lambda path: hosts.blind_host(path, cnmon_sleep=10),
    "vanishing": hosts.mlu370_host,  # its file is removed by a test: its metrics disappear
}


def daemonset_container() -> dict[str, Any]:
    ds = yaml.safe_load((DEPLOY / "k8s/daemonset.yaml").read_text())
    return ds["spec"]["template"]["spec"]["containers"][0]


def run_daemonset_loop(host: hosts.HostFixture, textfile: Path, log: Path) -> subprocess.Popen[bytes]:
    """The DaemonSet's own command and environment, with /host and /textfile pointed at this node's folders."""
    spec = daemonset_container()
    env = {e["name"]: e["value"] for e in spec["env"]}
    env.update(HOST_ROOT=str(host.root), TEXTFILE_DIR=str(textfile), INTERVAL_SECONDS="3600",
               PATH=f"{host.bindir}:{VENV_BIN}:/usr/bin:/bin", HOME=str(textfile.parent), LANG="C.UTF-8")
    env.update({k: v for k, v in host.env.items() if k != "PATH"})
    with open(log, "wb") as out:
        return subprocess.Popen([*spec["command"], *spec["args"]], env=env, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)


class Prometheus:
    """The HTTP API of the test Prometheus."""

    def __init__(self, url: str, textfiles: dict[str, Path]) -> None:
        self.url = url
        self.textfiles = textfiles

    def api(self, path: str, **params: str) -> Any:
        reply = requests.get(f"{self.url}/api/v1/{path}", params=params, timeout=10)
        body = reply.json()
        assert body["status"] == "success", body
        return body["data"]

    def query(self, expr: str) -> list[dict[str, Any]]:
        """An instant vector: [{"metric": {...labels}, "value": [ts, "v"]}, ...]."""
        return list(self.api("query", query=expr)["result"])

    def by_node(self, expr: str, label: str | None = None) -> dict[str, Any]:
        """node -> the value (or `label`'s value) of each series `expr` returns."""
        return {r["metric"]["node"]: (r["metric"][label] if label else float(r["value"][1])) for r in self.query(expr)}


@pytest.fixture(scope="session")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Prometheus]:
    """Four nodes (healthy, failing, unknown, vanishing) scraped by one Prometheus; yields its API."""
    node_exporter, prometheus = need("prometheus-node-exporter"), need("prometheus")
    base = tmp_path_factory.mktemp("fleet")
    with ExitStack() as stack:
        textfiles, targets, loops = {}, [], []
        for name, make in NODES.items():
            textfiles[name] = base / name / "textfile"
            textfiles[name].mkdir(parents=True)
            host = make(base / name / "host")
            loops.append(run_daemonset_loop(host, textfiles[name], base / name / "loop.log"))
            port = free_port()
            stack.enter_context(daemon([node_exporter, f"--web.listen-address=127.0.0.1:{port}",
                                        "--collector.disable-defaults", "--collector.textfile",
                                        f"--collector.textfile.directory={textfiles[name]}"], base / name / "ne.log"))
            targets.append({"targets": [f"127.0.0.1:{port}"], "labels": {"node": name}})
        stack.callback(_stop_loops, loops)
        for name in NODES:
            wait_for(f"the DaemonSet loop to write {name}'s textfile", (textfiles[name] / "mlu_doctor.prom").exists,
                     timeout=60, log=base / name / "loop.log")
        _stop_loops(loops)
        config = {"global": {"scrape_interval": "1s", "evaluation_interval": "1s"}, "rule_files": [str(RULES)],
                  "scrape_configs": [{"job_name": "node", "static_configs": targets}]}
        (base / "prometheus.yml").write_text(yaml.safe_dump(config))
        port = free_port()
        log = base / "prometheus.log"
        stack.enter_context(daemon([prometheus, f"--config.file={base / 'prometheus.yml'}",
                                    f"--storage.tsdb.path={base / 'tsdb'}", f"--web.listen-address=127.0.0.1:{port}"],
                                   log))
        api = Prometheus(f"http://127.0.0.1:{port}", textfiles)
        wait_for("Prometheus to scrape every node's mlu_doctor_healthy",
                 lambda: len(api.query("mlu_doctor_healthy")) == len(NODES), timeout=60, log=log)
        yield api


def _stop_loops(loops: list[subprocess.Popen[bytes]]) -> None:
    for loop in loops:
        if loop.poll() is None:
            os.killpg(loop.pid, signal.SIGTERM)
            loop.wait(timeout=10)
