"""RecordingSystem writes down what a System answered; ReplaySystem gives the same answers back and no others."""

from __future__ import annotations

import os

from mlu_doctor.capture.model import SystemCapture
from mlu_doctor.capture.record import RecordingSystem
from mlu_doctor.capture.replay import ReplaySystem
from mlu_doctor.gateways.proc import RunResult
from mlu_doctor.system.local import LocalSystem
from tests.kit.files import write


def fake_run(argv, timeout=3.0, env=None, cwd=None):
    return RunResult(tuple(argv), 0, f"ran {' '.join(argv)}", "", 0.01)


def recorded(tmp_path):
    root = tmp_path / "root"
    write(root / "etc/version.txt", "Neuware Version 3.7.2\n")
    write(root / "lib/libcnrt.so.6.7.0", b"\x7fELF" + bytes(range(60)))
    os.symlink("libcnrt.so.6.7.0", root / "lib/libcnrt.so")
    (root / "empty").mkdir()
    live = LocalSystem(str(root), environ={"PATH": "/usr/bin"}, runner=fake_run)
    rec = SystemCapture()
    system = RecordingSystem(live, rec)
    answers = {
        "text": system.read_text("/etc/version.txt"), "head": system.read_bytes("/etc/version.txt", 7),
        "list": system.listdir("/lib"), "link": system.readlink("/lib/libcnrt.so"),
        "is_file": system.is_file("/lib/libcnrt.so"), "is_dir": system.is_dir("/empty"),
        "missing": system.read_bytes("/etc/none"), "glob": system.glob("/lib/libcnrt*"),
        "range": system.read_range("/lib/libcnrt.so", 4, 8), "run": system.run(["cnmon"]).stdout,
    }
    return live, rec, answers


def test_replay_answers_what_was_recorded(tmp_path):
    _live, rec, answers = recorded(tmp_path)
    replay = ReplaySystem(rec)
    assert replay.read_text("/etc/version.txt") == answers["text"] == "Neuware Version 3.7.2\n"
    assert replay.read_bytes("/etc/version.txt", 7) == answers["head"] == b"Neuware"
    assert replay.listdir("/lib") == answers["list"] == ["libcnrt.so", "libcnrt.so.6.7.0"]
    assert replay.readlink("/lib/libcnrt.so") == answers["link"] == "libcnrt.so.6.7.0"
    assert replay.is_file("/lib/libcnrt.so") and replay.is_dir("/empty")
    assert replay.read_bytes("/etc/none") is None and answers["missing"] is None
    assert replay.glob("/lib/libcnrt*") == answers["glob"]
    assert replay.read_range("/lib/libcnrt.so", 4, 8) == answers["range"] == bytes(range(8))
    assert replay.read_range("/lib/libcnrt.so", 8, 100) == bytes(range(4, 8)), "short where the recording ends"
    assert replay.run(["cnmon"]).stdout == answers["run"] == "ran cnmon"


def test_a_longer_read_keeps_the_longest_answer(tmp_path):
    _live, rec, _answers = recorded(tmp_path)
    assert rec.data["/etc/version.txt"] == b"Neuware Version 3.7.2\n"
    assert rec.paths["/etc/version.txt"]["complete"] is True


def test_what_was_not_asked_is_derived_or_missing(tmp_path):
    _live, rec, _answers = recorded(tmp_path)
    replay = ReplaySystem(rec)
    assert replay.exists("/lib/libcnrt.so.6.7.0"), "named in its folder's recorded listing"
    assert not replay.exists("/lib/libcnml.so"), "absent from its folder's recorded listing"
    assert not replay.exists("/usr/local/neuware") and replay.listdir("/usr") is None, "never asked: unknown reads as missing"
    assert replay.read_bytes("/lib/libcnrt.so.6.7.0") is None, "never read: nothing invented"


def test_commands_replay_once_each_and_are_never_run(tmp_path):
    _live, rec, _answers = recorded(tmp_path)
    replay = ReplaySystem(rec)
    assert replay.run(["cnmon"]).ok
    second = replay.run(["cnmon"])
    assert not second.ok and "not in the capture" in (second.error or "")
    other = replay.run(["cnmon", "info"])
    assert other.returncode is None and "not in the capture" in (other.error or "")


def test_a_system_that_could_not_run_commands_replays_as_such():
    rec = SystemCapture(can_run=False)
    rec.which["cnmon"] = "/usr/bin/cnmon"
    replay = ReplaySystem(rec)
    assert not replay.can_run and replay.which("cnmon") is None
    assert "not run" in (replay.run(["cnmon"]).error or "")


def test_read_range_passes_through_only_when_the_wrapped_system_has_it():
    class NoRanges:
        label, environ, can_run = "x", {}, False

    assert not hasattr(RecordingSystem(NoRanges(), SystemCapture()), "read_range")  # type: ignore[arg-type]


def test_writability_is_recorded_and_replayed(tmp_path):
    from mlu_doctor.facts.context import ProbeContext
    from mlu_doctor.facts.env import writability

    root = tmp_path / "root"
    (root / "cache").mkdir(parents=True)
    rec = SystemCapture()
    live = writability(ProbeContext(system=RecordingSystem(LocalSystem(str(root)), rec)), "/cache/torch")
    assert live[0] is True and isinstance(live[2], int)
    replay = ProbeContext(system=ReplaySystem(rec))
    assert writability(replay, "/cache/torch") == live
    assert writability(replay, "/elsewhere") == (None, None, None), "not asked when captured: unknown"
