"""The README cannot go stale: every `$ mlu-doctor ...` it shows is run, and its output compared.

Conventions (also stated in the README, under "Set-up"):

- A ```console block holds `$ COMMAND` lines, each followed by the output shown for it. Every `mlu-doctor`
  command there runs in a subprocess (`python -m mlu_doctor` of this checkout, NO_COLOR) and its stdout must
  match the lines under it; `$ echo $?` shows the exit code of the command before.
- Elisions: a line `...` (any indent) stands for any number of lines; a line ending in ` ...` stands for one
  line that starts with the text before it.
- Normalised on both sides: the version after `mlu-doctor` and in a JSON `"version"`, durations with a decimal
  point (`0.1 s`), rates (`12.3 MiB/s`), free space (`60.0 GiB free`), fix journal ids
  (`20261207-015029-14593`) and ISO 8601 times (`2026-12-07T01:50:29+00:00`).
- Where they run: a command naming a file of this repository (`examples/...`, `tests/data/...`) runs in the
  repository; every other one in a home folder shown as /tmp/uhome (this test's tmp_path is shown as
  /tmp), fresh for each block and holding a `.bashrc` without final newline, with PATH=/usr/bin:/bin and
  LANG=C.UTF-8. Those run on this machine itself, which the README presents as one without an MLU: they
  are skipped on a host with a Cambricon device or a Neuware install.
- The commands of one block run in order, as a reader types them: they share that home, so a block can
  show `fix --yes` and then the `undo` that reverts it.
- A ```sh block is a synopsis (placeholders, Docker, the network, changes to your files): its commands are
  not run, but each `mlu-doctor` command and every option it names must exist in the CLI.
- Every fenced block names its language; ```console is the only one with `$ ` lines.
"""

from __future__ import annotations

import difflib
import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import typer

from mlu_doctor.cli import register

pytestmark = pytest.mark.fast  # short processes (about 2 s in all)

REPO = Path(__file__).resolve().parents[3]  # also run as a script: no tests.kit import
README = REPO / "README.md"
FENCE = re.compile(r"^(\s*)```(\S*)\s*$")
VOLATILE = [  # (pattern, replacement), applied to the README's lines and to the real output alike
    (re.compile(r"\bmlu-doctor \d+\.\d+(?:\.\d+)?\S*"), "mlu-doctor <version>"),
    (re.compile(r"\b\d+(?:\.\d+)? [KMGT]?i?B/s\b"), "<rate>"),
    (re.compile(r"\b\d+\.\d+ s\b"), "<seconds> s"),
    (re.compile(r"\b\d+(?:\.\d+)? [KMGT]iB free\b"), "<size> free"),
    (re.compile(r'"version": "\d+\.\d+[^"]*"'), '"version": "<version>"'),
    (re.compile(r"\b\d{8}-\d{6}-\d+\b"), "<journal>"),
    (re.compile(r"\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:[+-]\d\d:\d\d|Z)?"), "<time>"),
]
SHOWN_HOME = "/tmp/uhome"
# `python -m mlu_doctor` with this checkout first on sys.path (an interpreter with another checkout installed, as
# in a shared venv, would run that one from the home folder), without a PYTHONPATH the probes would read
THIS_CHECKOUT = ("import runpy, sys; sys.path.insert(0, sys.argv.pop(1)); "
                 "runpy.run_module('mlu_doctor', run_name='__main__', alter_sys=True)")


@dataclass
class Block:
    lang: str
    line: int  # 1-based line of the opening fence
    lines: list[str] = field(default_factory=list)


@dataclass
class Shown:
    command: str
    line: int
    output: list[str]
    block: int = 0  # the line of its block's opening fence: the commands of one block share a home


def blocks(text: str) -> list[Block]:
    """The fenced code blocks of a Markdown text (indented fences too, as inside list items)."""
    out: list[Block] = []
    current: Block | None = None
    indent = ""
    for number, line in enumerate(text.splitlines(), 1):
        fence = FENCE.match(line)
        if current is None and fence:
            indent, current = fence.group(1), Block(fence.group(2), number)
        elif current is not None and fence and not fence.group(2):
            out.append(current)
            current = None
        elif current is not None:
            current.lines.append(line[len(indent):] if line.startswith(indent) else line.lstrip())
    assert current is None, f"README.md:{current.line if current else 0}: a code block is never closed"
    return out


def shown_commands(block: Block) -> list[Shown]:
    """The `$ ` commands of a console block with the output lines under each."""
    out: list[Shown] = []
    for offset, line in enumerate(block.lines, 1):
        if line.startswith("$ "):
            out.append(Shown(line[2:].strip(), block.line + offset, [], block.line))
        else:
            assert out, f"README.md:{block.line + offset}: output before any `$ ` command"
            out[-1].output.append(line)
    return out


def normalise(line: str) -> str:
    for pattern, replacement in VOLATILE:
        line = pattern.sub(replacement, line)
    return line.rstrip()


def line_matches(shown: str, real: str) -> bool:
    if shown == real:
        return True
    return shown.endswith(" ...") and real.startswith(shown[:-4])


def matches(shown: list[str], real: list[str]) -> bool:
    """Whether the real lines fit the shown ones, where a `...` line stands for any number of lines."""
    shown = [normalise(s) for s in shown]
    real = [normalise(r) for r in real]
    while shown and not shown[-1]:
        shown.pop()
    while real and not real[-1]:
        real.pop()
    fits = [[False] * (len(real) + 1) for _ in range(len(shown) + 1)]  # fits[i][j]: shown[i:] fits real[j:]
    fits[len(shown)][len(real)] = True
    for i in range(len(shown) - 1, -1, -1):
        for j in range(len(real), -1, -1):
            if shown[i].strip() == "...":
                fits[i][j] = fits[i + 1][j] or (j < len(real) and fits[i][j + 1])
            else:
                fits[i][j] = j < len(real) and line_matches(shown[i], real[j]) and fits[i + 1][j + 1]
    return fits[0][0]


def readme_blocks() -> list[Block]:
    return blocks(README.read_text(encoding="utf-8"))


def console_commands() -> list[Shown]:
    return [cmd for b in readme_blocks() if b.lang == "console" for cmd in shown_commands(b)]


def names_repo_files(argv: list[str]) -> bool:
    return any(a.startswith(("examples/", "tests/")) and (REPO / a).exists() for a in argv)


def has_mlu() -> bool:
    return any(os.path.exists(p) for p in ("/dev/cambricon_ctl", "/proc/driver/cambricon", "/usr/local/neuware"))


def home(tmp_path: Path) -> Path:
    """The home folder the README shows as /tmp/uhome: made with a .bashrc without final newline and nothing
    else, then kept as the block's commands leave it."""
    folder = tmp_path / "uhome"
    if not folder.exists():
        folder.mkdir()
        (folder / ".bashrc").write_text("alias ll='ls -l'")
    return folder


def run(argv: list[str], tmp_path: Path) -> tuple[int, list[str]]:
    """Run `mlu-doctor ARGV` where the README says it runs; stdout with this test's paths shown as the README's."""
    folder = home(tmp_path)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(folder), "LANG": "C.UTF-8", "NO_COLOR": "1", "SHELL": "/bin/bash"}
    in_repo = names_repo_files(argv)
    if not in_repo and has_mlu():
        pytest.skip("the README shows this command on a machine without an MLU")  # (a no-op as a script)
    done = subprocess.run([sys.executable, "-c", THIS_CHECKOUT, str(REPO), *argv], cwd=REPO if in_repo else folder,
                          env=env, capture_output=True, text=True, timeout=120)
    out = done.stdout.replace(str(tmp_path), "/tmp")
    return done.returncode, out.splitlines()


COMMANDS = console_commands()


def run_block(block: int, tmp_path: Path) -> dict[int, tuple[int, list[str]]]:
    """Every `mlu-doctor` command of one block, in order, in one home: its line -> (exit code, stdout lines)."""
    return {c.line: run(shlex.split(c.command)[1:], tmp_path) for c in COMMANDS
            if c.block == block and c.command.startswith("mlu-doctor ")}


@pytest.fixture(scope="module")
def ran(tmp_path_factory):
    """Each block run once, its commands in order (an `echo $?` reads the run before it):
    shown command -> (exit code, stdout lines)."""
    cache: dict[int, dict[int, tuple[int, list[str]]]] = {}

    def get(shown: Shown) -> tuple[int, list[str]]:
        if shown.block not in cache:
            cache[shown.block] = run_block(shown.block, tmp_path_factory.mktemp("readme"))
        return cache[shown.block][shown.line]

    return get


def test_the_readme_shows_commands_with_their_output():
    assert len([c for c in COMMANDS if c.command.startswith("mlu-doctor ")]) >= 5


@pytest.mark.parametrize("index", range(len(COMMANDS)), ids=[f"L{c.line}" for c in COMMANDS])
def test_readme_command_prints_what_the_readme_shows(index, ran):
    shown = COMMANDS[index]
    if shown.command == "echo $?":
        before = COMMANDS[index - 1]
        assert before.command.startswith("mlu-doctor "), f"README.md:{shown.line}: `echo $?` after no command"
        code, _out = ran(before)
        assert [str(code)] == [line for line in shown.output if line], f"README.md:{shown.line}: exit code"
        return
    assert shown.command.startswith("mlu-doctor "), f"README.md:{shown.line}: only mlu-doctor commands run"
    _code, real = ran(shown)
    if not matches(shown.output, real):
        diff = difflib.unified_diff([normalise(s) for s in shown.output], [normalise(r) for r in real],
                                    "README.md", "real output", lineterm="", n=1)
        pytest.fail(f"README.md:{shown.line}: `{shown.command}` prints something else now "
                    f"(`.venv/bin/python {Path(__file__).relative_to(REPO)}` prints every command's real output):\n"
                    + "\n".join(diff))


# --- synopses: commands not run, their options checked ---------------------------------------------------

OPTION = re.compile(r"^\[?(--?[A-Za-z][\w-]*)")
STOP = {"&&", "||", "|", ";", ">", ">>", "<", "#"}


def click_commands() -> dict[str, set[str]]:
    """Command name -> every option it takes (plus --help)."""
    group = typer.main.get_command(register())
    out = {}
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        opts = {"--help", "-h"}
        for param in command.params:
            opts.update(param.opts)
            opts.update(param.secondary_opts)
        out[name] = opts
    return out


def synopsis_commands(block: Block) -> list[tuple[int, str, list[str]]]:
    """(line, command, option names) of every `mlu-doctor` command in a synopsis block; an indented line of
    options continues the command above it."""
    out: list[tuple[int, str, list[str]]] = []
    for offset, raw in enumerate(block.lines, 1):
        line = re.split(r"\s#\s", " " + raw, maxsplit=1)[0]
        words = line.split()
        if "mlu-doctor" in words:
            words = words[words.index("mlu-doctor") + 1:]
            words = words[: next((i for i, w in enumerate(words) if w in STOP), len(words))]
            if words:
                out.append((block.line + offset, words[0], [m.group(1) for w in words[1:] if (m := OPTION.match(w))]))
        elif out and raw[:1].isspace() and raw.strip().startswith(("-", "[-")):
            out[-1][2].extend(m.group(1) for w in words if (m := OPTION.match(w)))
    return out


def test_every_block_names_its_language_and_only_console_blocks_have_prompts():
    for block in readme_blocks():
        assert block.lang, f"README.md:{block.line}: name the block's language (console, sh, text, yaml, ...)"
        prompts = [line for line in block.lines if line.startswith("$ ")]
        assert not prompts or block.lang == "console", f"README.md:{block.line}: `$ ` lines belong in ```console"
        if block.lang == "console":
            assert block.lines and block.lines[0].startswith("$ "), f"README.md:{block.line}: start with `$ `"


def test_synopsis_commands_and_options_exist():
    commands = click_commands()
    seen = 0
    for block in readme_blocks():
        if block.lang != "sh":
            continue
        for line, name, options in synopsis_commands(block):
            seen += 1
            assert name in commands, f"README.md:{line}: no command `mlu-doctor {name}`"
            unknown = [o for o in options if o not in commands[name]]
            assert not unknown, f"README.md:{line}: `mlu-doctor {name}` has no option {', '.join(unknown)}"
    assert seen >= 10


# --- the conventions themselves ----------------------------------------------------------------------------

def test_elisions_and_normalisation():
    assert matches(["a", "...", "d"], ["a", "b", "c", "d"]) and matches(["a", "...", "b"], ["a", "b"])
    assert matches(["fix: run this ..."], ["fix: run this and that"])
    assert not matches(["a", "b"], ["a", "c"]) and not matches(["a"], ["a", "b"])
    assert matches(["mlu-doctor 0.1.0 · host, 0.1 s, 9.5 MiB/s, 2.0 GiB free"],
                   ["mlu-doctor 0.2.0 · host, 12.7 s, 100 KiB/s, 60.0 GiB free"])
    assert matches(['"version": "0.1.0", "id": "20261207-015029-14593", "at": "2026-12-07T01:50:29+00:00"'],
                   ['"version": "0.2.0.dev1", "id": "20270101-000000-7", "at": "2027-01-01T08:00:00+08:00"'])
    assert not matches(['"id": "20261207-015029-14593"'], ['"id": "other"'])


def test_synopsis_parsing():
    block = Block("sh", 1, ["mlu-doctor capture -o host.tar.gz [--redact] [--container NAME]   # a tarball",
                            "pip install . && mlu-doctor check --only env. > out.txt",
                            "mlu-doctor inject --container train /data/coco /data/coco",
                            "    [--owner UID:GID] [--verify listing|sha256|none]"])
    assert synopsis_commands(block) == [(2, "capture", ["-o", "--redact", "--container"]),
                                        (3, "check", ["--only"]),
                                        (4, "inject", ["--container", "--owner", "--verify"])]


if __name__ == "__main__":  # print what each README command prints here, to paste into README.md
    import tempfile

    for block in dict.fromkeys(c.block for c in COMMANDS):
        with tempfile.TemporaryDirectory() as tmp:
            results = run_block(block, Path(tmp))
        for shown in COMMANDS:
            if shown.line in results:
                code, real = results[shown.line]
                print(f"README.md:{shown.line}: $ {shown.command}   (exit {code})", *real, "", sep="\n")
