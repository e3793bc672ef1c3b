"""Early starts: independent probe commands overlap, each runs once, and each stays time-boxed."""

from __future__ import annotations

import time

from mlu_doctor.config import Config
from mlu_doctor.facts import gather
from mlu_doctor.facts.context import host_context
from mlu_doctor.gateways import proc
from mlu_doctor.gateways.prefetch import PrefetchRunner
from tests.kit.hosts import mlu220_m2_host


def counting_runner(calls: list):
    def run(argv, timeout=3.0, env=None, cwd=None):
        calls.append(tuple(argv))
        return proc.run(argv, timeout=timeout, env=env, cwd=cwd)

    return run


def test_an_early_command_is_taken_once_and_other_calls_run_as_usual():
    calls: list = []
    runner = PrefetchRunner(counting_runner(calls))
    runner.start(["echo", "early"], timeout=2)
    first = runner(["echo", "early"], timeout=2)
    again = runner(["echo", "early"], timeout=2)  # taken already: runs anew
    other = runner(["echo", "early"], timeout=5)  # another timeout is another command
    assert first.ok and first.stdout == "early\n" and again.ok and other.ok
    assert calls == [("echo", "early")] * 3
    runner.start(["echo", "unused"], timeout=2)
    runner.close()  # waits for it; nothing left behind
    assert calls[-1] == ("echo", "unused")


def test_early_commands_overlap_and_keep_their_timeout():
    runner = PrefetchRunner()
    start = time.monotonic()
    runner.start(["sleep", "0.4"], timeout=3)
    runner.start(["sleep", "5"], timeout=0.4)
    slow, hung = runner(["sleep", "0.4"], timeout=3), runner(["sleep", "5"], timeout=0.4)
    elapsed = time.monotonic() - start
    assert slow.ok and hung.timed_out
    assert elapsed < 0.75, f"the two commands ran one after the other ({elapsed:.2f} s)"


def test_gather_starts_cnmon_early_and_runs_it_once(tmp_path):
    host = mlu220_m2_host(tmp_path)
    ctx = host_context(str(host.root), config=Config(), environ=host.env, project_dir="/", cwd="/")
    system = ctx.system
    facts = gather(ctx, ["driver"])
    assert facts.driver.cnmon.status == "ok" and facts.driver.versions["cnmon"] == "4.6.9"
    assert host.cnmon_calls() == [""]  # one plain `cnmon`: the early run was the probe's run
    assert ctx.system is system  # the inspected system is restored after gathering
