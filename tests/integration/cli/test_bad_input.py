"""Bad input gives one clear line and a non-zero exit, never a traceback (design: one FatalError path).

Each test here pins a case that used to crash, hang on, or silently fall back to something the user did not ask for.
"""

from __future__ import annotations

import io
import json
import os
import signal
import stat
import subprocess
import sys
import time

import pytest

from mlu_doctor.config import Config, parse_config
from mlu_doctor.diagnose import Target, diagnose
from mlu_doctor.errors import ConfigError
from mlu_doctor.report.human import render, render_plain
from tests.kit import hosts, pyenvs
from tests.kit.files import REPO, fake_tool, write
from tests.kit.hosts import healthy_root

pytestmark = pytest.mark.fast  # in-process CLI and short processes (about 2 s in all)


def one_line_error(result, code: int, *fragments: str) -> str:
    """Assert a clean failure: exit `code`, no traceback, one stderr line holding every fragment."""
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    return lines[0]


def run_cli(args: list, env: dict | None = None, **kw) -> subprocess.CompletedProcess:
    """mlu-doctor in a real process (signals, /dev/full and closed pipes need one)."""
    full = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(REPO), **(env or {})}
    return subprocess.run([sys.executable, "-m", "mlu_doctor", *map(str, args)], env=full, timeout=60, **kw)


# --- .mlu-doctor.yaml ------------------------------------------------------------------------------


@pytest.mark.parametrize("text, message", [
    ("datasets:\n  cocoo: [/data]\n", ":2: unknown key 'cocoo' in datasets (known: coco)"),
    ("timeouts:\n  prob: 3\n", ":2: unknown key 'prob' in timeouts"),
    ("coco:\n  mirror: [http://x/]\n", ":2: unknown key 'mirror' in coco"),
    ("acknowledge:\n  - id: env.torch-home\n    reason: ok\n    why: x\n", ":4: unknown key 'why' in an acknowledge"),
    ("fix: 3\n", ":1: fix must be a mapping"),
    ("fix:\n  torch_home: [a]\n", ":2: fix.torch_home must be a string"),
    ("inject:\n  container: {a: 1}\n", ":2: inject.container must be a string"),
    ("? [a, b]\n: c\n", ":1: a key must be a plain name"),
    ("datasets:\n  coco: [/x]\n  ? {a: 1}\n  : 3\n", ":3: a key must be a plain name"),
])
def test_config_mistakes_name_file_and_line(text, message):
    with pytest.raises(ConfigError) as info:
        parse_config(text, "cfg.yaml")
    assert str(info.value).startswith("cfg.yaml:") and message in str(info.value)


def test_config_keys_of_other_features_still_load():
    cfg = parse_config("coco:\n  mirrors: [http://m/]\n  manifest: m.yaml\nfix:\n  torch_home: /t\n"
                       "inject: {container: c, src: /s, dest: /d}\ndatasets: {coco: /c}\ntimeouts: {probe: 2}\n")
    assert cfg.coco_mirrors == ("http://m/",) and cfg.raw["inject"]["dest"] == "/d" and cfg.timeout == 2


def test_config_with_a_list_as_key_exits_2_through_the_cli(cli, tmp_path, empty_root):
    cfg = write(tmp_path / "c.yaml", "? [a, b]\n: c\n")
    one_line_error(cli(["check", "--root", empty_root, "--config", cfg]), 2, "c.yaml:1:")


# --- explain --signatures ----------------------------------------------------------------------------

SIG = "- id: log.my-error\n  keywords: [boom]\n  patterns: [boom]\n  title: t\n  cause: c\n  remedy: r\n"


@pytest.mark.parametrize("text, fragment", [
    ("x: [\n", "malformed YAML"),
    (SIG + "  severity: bogus\n", "severity must be one of warn, fail"),
    (SIG.replace("patterns: [boom]", "patterns: 3"), "patterns must be a list of strings"),
    (SIG + "  next: 3\n", "each 'next' entry is a one-key mapping"),
    (b"\xff\xfe- id: x\n", "not UTF-8"),
])
def test_bad_signature_file_is_a_usage_error(cli, tmp_path, text, fragment):
    sigs = write(tmp_path / "s.yaml", text)
    log = write(tmp_path / "a.log", "boom\n")
    one_line_error(cli(["explain", "--signatures", sigs, log]), 2, "s.yaml", fragment)


def test_missing_signature_file_names_it_once(cli, tmp_path):
    line = one_line_error(cli(["explain", "--signatures", tmp_path / "none.yaml", "-"], input=""), 2)
    assert line.count("none.yaml") == 1 and "No such file" in line


# --- --python, --only, --skip, --container -----------------------------------------------------------


def test_python_that_cannot_be_an_interpreter_is_a_usage_error(cli, tmp_path, empty_root):
    text = write(tmp_path / "notes.txt", "hi")
    for value, fragment in [(tmp_path / "none", "no such file"), (tmp_path, "is a directory"),
                            (text, "is not executable"), ("no-such-python3", "not found on PATH"), ("", "needs")]:
        result = cli(["check", "--root", empty_root, "--only", "framework.", "--python", value])
        one_line_error(result, 2, "--python", fragment)


def test_python_that_hangs_is_killed_and_the_finding_says_so(cli, tmp_path, empty_root):
    slow = fake_tool(tmp_path / "bin", "python3", stdout=json.dumps({"path": []}), sleep=20)
    pyenvs.cnml_env(empty_root)
    started = time.monotonic()
    result = cli(["check", "--root", empty_root, "--only", "framework.installed", "--python", slow,
                  "--timeout", "0.5", "--format", "json"])
    assert time.monotonic() - started < 10
    finding = json.loads(result.stdout)["findings"][0]
    assert finding["status"] == "warn" and "timed out" in finding["summary"]
    assert "torch 1.3.0a0" in finding["summary"]  # what the fallback scan found is still said
    assert "--python" in finding["remedy"]


def test_python_printing_garbage_is_a_usage_error_instead_of_silently_scanning(cli, tmp_path, empty_root):
    bad = fake_tool(tmp_path / "bin", "python3", stdout="garbage\n")
    result = cli(["check", "--root", empty_root, "--only", "framework.installed", "--python", bad, "--format", "json"])
    one_line_error(result, 2, f"--python {bad} is not a Python interpreter", "exited 0 and printed: garbage")
    assert result.stdout == ""


def test_unknown_only_is_a_usage_error_not_an_empty_green_run(cli, empty_root):
    one_line_error(cli(["check", "--root", empty_root, "--only", "env.,nonsense"]), 2, "--only nonsense", "mlu-doctor list")
    one_line_error(cli(["npd", "--root", empty_root, "--only", "nonsense"]), 2, "nonsense")


def test_unknown_skip_warns_and_runs(cli, empty_root):
    result = cli(["check", "--root", empty_root, "--only", "env.visible-devices", "--skip", "bogus"])
    assert result.exit_code == 0 and "env.visible-devices" in result.stdout
    assert "--skip bogus: no such check id" in result.stderr


def test_empty_container_name_is_a_usage_error(cli, empty_root):
    one_line_error(cli(["check", "--root", empty_root, "--container", ""]), 2, "--container")


def test_container_checks_without_container_say_how_to_give_one(cli, empty_root):
    result = cli(["check", "--root", empty_root, "--only", "container.shm", "--format", "json"])
    assert "use --container NAME" in json.loads(result.stdout)["findings"][0]["summary"]


# --- fetch-coco --------------------------------------------------------------------------------------


def test_fetch_coco_dest_that_is_a_file(cli, tmp_path):
    dest = write(tmp_path / "coco", "not a folder")
    one_line_error(cli(["fetch-coco", "--year", "2017", "--dest", dest, "--dry-run"]), 2, "--dest", "not a directory")


def test_fetch_coco_missing_from_local(cli, tmp_path):
    result = cli(["fetch-coco", "--year", "2017", "--dest", tmp_path / "c", "--from-local", tmp_path / "none", "--dry-run"])
    one_line_error(result, 2, "--from-local", "no such directory")


@pytest.mark.parametrize("mirror", ["nonsense", "ftp://host/coco/", "http://[::1", "http://host:99999/", "http:///x"])
def test_fetch_coco_mirror_that_is_not_a_url(cli, tmp_path, mirror):
    result = cli(["fetch-coco", "--year", "2017", "--dest", tmp_path / "c", "--mirror", mirror, "--dry-run"])
    one_line_error(result, 2, repr(mirror), "from --mirror")


def test_fetch_coco_env_mirror_that_is_not_a_url(cli, tmp_path):
    result = cli(["fetch-coco", "--year", "2017", "--dest", tmp_path / "c", "--dry-run"],
                 env={"MLU_DOCTOR_COCO_MIRROR": "http://good/, bad"})
    one_line_error(result, 2, "'bad'", "$MLU_DOCTOR_COCO_MIRROR")




# --- writing output ----------------------------------------------------------------------------------


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("args", [["facts", "--root", "{root}"], ["check", "--root", "{root}"],
                                  ["check", "--root", "{root}", "--format", "json"], ["list"], ["--help"]])
def test_full_disk_on_stdout_is_one_line_and_exit_4(tmp_path, args):
    root = healthy_root(tmp_path / "root")
    with open("/dev/full", "w") as full:
        proc = run_cli([a.format(root=root) for a in args], stdout=full, stderr=subprocess.PIPE, text=True)
    assert proc.returncode == 4, proc.stderr
    assert proc.stderr.strip() == "mlu-doctor: cannot write the output: No space left on device"


def test_closed_stdout_is_quiet(tmp_path):
    root = healthy_root(tmp_path / "root")
    proc = subprocess.Popen([sys.executable, "-m", "mlu_doctor", "facts", "--root", str(root)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    proc.stdout.close()  # the reader is gone before anything is written, like `| head -0`
    _, err = proc.communicate(timeout=60)
    assert b"Traceback" not in err and b"Exception ignored" not in err and proc.returncode in (0, 1)


@pytest.mark.parametrize("found, code", [("problems", 1), ("healthy", 0)])
def test_check_into_a_closed_pipe_keeps_the_exit_code_of_the_findings(tmp_path, found, code):
    root = healthy_root(tmp_path / "root") if found == "healthy" else tmp_path / "root"
    (root / "sys/bus/pci/devices").mkdir(parents=True, exist_ok=True)  # a PCI bus without a card: a fail
    proc = subprocess.Popen([sys.executable, "-m", "mlu_doctor", "check", "--root", str(root), "--only", "device"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1"})
    proc.stdout.close()  # `mlu-doctor check | head -0`: the reader is gone before anything is written
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == code and b"Traceback" not in err and b"Exception ignored" not in err


def test_output_to_a_link_to_a_device_is_refused_and_both_are_left_alone(cli, tmp_path, empty_root):
    link = tmp_path / "out.xml"
    os.symlink("/dev/null", link)
    result = cli(["check", "--root", empty_root, "--only", "env.", "--format", "junit", "-o", link])
    one_line_error(result, 2, f"cannot write {link}: it is not a regular file but a device")
    assert link.is_symlink() and stat.S_ISCHR(os.stat(link).st_mode)


def test_report_refuses_to_replace_something_that_is_not_a_file(cli, tmp_path, empty_root):
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    one_line_error(cli(["report", "--root", empty_root, "-o", fifo]), 2, "not a regular file")
    assert stat.S_ISFIFO(os.stat(fifo).st_mode) and not (tmp_path / "pipe.json").exists()


def test_report_into_a_missing_folder_cannot_run(cli, tmp_path, empty_root):
    one_line_error(cli(["report", "--root", empty_root, "-o", tmp_path / "no/such/r.md"]), 4, "cannot write")


def test_undo_list_with_no_fixes_says_so(cli, tmp_path):
    result = cli(["undo", "--list"], env={"XDG_STATE_HOME": str(tmp_path / "state")})
    assert result.exit_code == 0 and result.stdout == "" and "no fix recorded yet" in result.stderr


# --- Ctrl-C ------------------------------------------------------------------------------------------


def test_ctrl_c_during_a_hanging_cnmon_exits_130_and_kills_cnmon(tmp_path):
    host = hosts.mlu220_m2_host(tmp_path)
    pidfile = tmp_path / "cnmon.pid"
    script = host.bindir / "cnmon"
    script.write_text(f"#!/bin/sh\necho $$ > '{pidfile}'\nexec sleep 30\n")
    proc = subprocess.Popen([sys.executable, "-m", "mlu_doctor", "check", "--root", str(host.root), "--timeout", "30"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **host.env, "PYTHONPATH": str(REPO), "NO_COLOR": "1"})
    deadline = time.monotonic() + 20
    while not pidfile.exists() or not pidfile.read_text().strip():
        assert time.monotonic() < deadline, "cnmon never started"
        time.sleep(0.05)
    cnmon = int(pidfile.read_text())
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=20)
    assert proc.returncode == 130 and err.strip() == "mlu-doctor: interrupted" and out == ""
    time.sleep(0.2)
    with pytest.raises(ProcessLookupError):
        os.kill(cnmon, 0)


# --- human output --------------------------------------------------------------------------------------


def seed_report(tmp_path, monkeypatch):
    host = hosts.mlu220_m2_host(tmp_path)
    pyenvs.cnml_env(host.root)
    pyenvs.yolov5_tree(host.root / "work/yolov5")
    for key, value in host.env.items():
        monkeypatch.setenv(key, value)
    return diagnose(Target(root=str(host.root), project="/work/yolov5"), Config())


def test_verbose_output_shows_a_shared_excerpt_once_and_cuts_long_ones(tmp_path, monkeypatch):
    text = render_plain(seed_report(tmp_path, monkeypatch), verbose=True)
    assert text.count("| CNMON 1.16.0") == 1 and "(shown above)" in text
    assert "more line(s); --format json has them all" in text
    arch = text[text.index("FAIL   framework.arch-match"):]
    assert "__version__ = '1.3.0a0+b8a5f1d'" in arch.split("\nskip")[0]  # a problem's evidence is never elided


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("width", [80, 60, 40])
def test_output_without_colour_on_a_terminal_fits_its_width(tmp_path, monkeypatch, width):
    report = seed_report(tmp_path, monkeypatch)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", str(width))  # rich's Console takes the width from here when it is set
    screen = Terminal()
    assert render(report, verbose=True, stream=screen) == ""
    text = screen.getvalue()
    assert "\x1b[" not in text and all(len(line) <= width for line in text.splitlines()), max(text.splitlines(), key=len)
    assert "genoff.py" in text.replace("\n", "").replace(" ", "")


def test_check_markdown_says_what_was_looked_at(cli, tmp_path):
    root = healthy_root(tmp_path / "root")
    result = cli(["check", "--root", root, "--format", "markdown"])
    assert "| item | value |\n|---|---|\n| mlu-doctor |" in result.stdout and f"| {root} |" in result.stdout
