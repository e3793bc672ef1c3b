"""Builders of hostile inputs inside a box: files that are not files, files too large or too deep, YAML and
JSON that attack their parsers, fake tools that hang or leave children holding their pipes."""

from __future__ import annotations

import os
import random
import socket
from collections.abc import Callable
from pathlib import Path

Build = Callable[[Path, str], None]  # (box, box-relative path) -> writes the input there


def _path(box: Path, rel: str) -> Path:
    path = box / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def text(content: str | bytes) -> Build:
    def build(box: Path, rel: str) -> None:
        data = content.encode() if isinstance(content, str) else content
        _path(box, rel).write_bytes(data)
    return build


def fifo(box: Path, rel: str) -> None:
    os.mkfifo(_path(box, rel))


def dev_zero(box: Path, rel: str) -> None:
    os.symlink("/dev/zero", _path(box, rel))


def folder(box: Path, rel: str) -> None:
    _path(box, rel).mkdir()


def unix_socket(box: Path, rel: str) -> None:
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(_path(box, rel)))
    sock.close()  # the socket file stays; nobody listens


def loop(box: Path, rel: str) -> None:
    path = _path(box, rel)
    os.symlink(path.name + ".b", path)
    os.symlink(path.name, path.with_name(path.name + ".b"))


def link_to(target: str) -> Build:
    """A symlink to box/TARGET (a file the run must never write through)."""
    def build(box: Path, rel: str) -> None:
        os.symlink(box / target, _path(box, rel))
    return build


def missing(box: Path, rel: str) -> None:
    _path(box, rel)  # the folder only


def big_yaml(box: Path, rel: str) -> None:
    """20 MB of valid YAML: a list of 1.3 M dataset roots."""
    with open(_path(box, rel), "w") as fh:
        fh.write("datasets:\n  coco:\n")
        fh.write("    - /data/coco\n" * 1_300_000)


def big_json(box: Path, rel: str) -> None:
    """70 MB of valid JSON (sparse: a long string of spaces is not written byte by byte)."""
    with open(_path(box, rel), "wb") as fh:
        fh.write(b'{"schema_version": 1, "pad": "')
        fh.seek(70 * 1024 * 1024)
        fh.write(b'"}')


def garbage(box: Path, rel: str) -> None:
    _path(box, rel).write_bytes(random.Random(rel).randbytes(4096))


ALIAS_BOMB = "".join(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]\n" for i in range(1, 11)).replace("*l0", "x")
DEEP_YAML = "a: " + "[" * 900 + "]" * 900 + "\n"
DEEP_BLOCK = "a:\n" + "".join("  " * i + "- \n" for i in range(1, 200))
DEEP_JSON = "[" * 100_000 + "]" * 100_000

# name -> (builder, hostility class, words the error line must hold)
FILE_KINDS: dict[str, tuple[Build, str, tuple[str, ...]]] = {
    "fifo": (fifo, "hang", ("FIFO",)),
    "dev-zero": (dev_zero, "hang", ("device",)),
    "folder": (folder, "message", ("directory",)),
    "socket": (unix_socket, "message", ("socket",)),
    "link-loop": (loop, "message", ()),
    "missing": (missing, "exit-code", ()),
    "garbage": (garbage, "crash", ()),
    "not-utf8": (text(b"datasets:\n  coco: [\xff\xfe\xfa]\n"), "crash", ("UTF-8",)),
}

YAML_ATTACKS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    # name -> (text, class, words)
    "alias-bomb": (ALIAS_BOMB, "hang", ("aliases are expanded",)),
    "recursive-alias": ("a: &a [*a]\n", "hang", ("contains it",)),
    "python-object": ("fix:\n  torch_home: !!python/object/apply:os.system ['touch {box}/PWNED']\n", "crash",
                      ("!!python/object/apply:os.system", "not allowed")),
    "python-name": ("a: !!python/name:os.system ''\n", "crash", ("not allowed",)),
    "custom-tag": ("a: !vault 1234\n", "crash", ("!vault", "not allowed")),
    "duplicate-key": ("timeouts:\n  probe: 3\n  probe: 4\n", "message", (":3:", "duplicate key 'probe'")),
    "bad-timestamp": ("checks:\n  x: 2021-99-99\n", "crash", ("malformed YAML",)),
    "deep-flow": (DEEP_YAML, "hang", ()),
    "deep-block": (DEEP_BLOCK, "hang", ("nested",)),
    "tab-indent": ("a:\n\tb: 1\n", "crash", ("malformed YAML",)),
    "binary-tag": ("checks:\n  x: !!binary xyz\n", "crash", ("malformed YAML",)),
    "multi-document": ("a: 1\n---\nb: 2\n", "crash", ("malformed YAML",)),
    "list-key": ("? [a, b]\n: c\n", "crash", ()),
    "nul-byte": ("a: \x00\n", "crash", ()),
}


def fake_tool(box: Path, name: str, body: str) -> Path:
    """An executable `box/bin/NAME` running the shell `body` ({box} and {name} filled in)."""
    path = box / "bin" / name
    path.write_text("#!/bin/sh\n" + body.format(box=box, name=name))
    path.chmod(0o755)
    return path


TABLE = (Path(__file__).resolve().parents[1] / "data" / "cnmon_mlu220-m2_cnmon1.16_driver4.6.9.txt").read_text()

# name -> (shell body of a fake cnmon/python, class)
TOOL_ATTACKS: dict[str, tuple[str, str]] = {
    # the child left in another session holds stdout: the run must not wait for its EOF
    "setsid-child-then-exit": ("setsid sleep 300 &\necho $! > {box}/pids/{name}-$$\ncat <<'EOF'\n" + TABLE + "EOF\n",
                               "hang"),
    "setsid-child-and-hang": ("setsid sleep 300 &\necho $! > {box}/pids/{name}-$$\necho CNMON\nsleep 300\n", "hang"),
    "sleeps": ("echo $$ > {box}/pids/{name}-$$\nexec sleep 300\n", "hang"),
    "closes-pipes-and-sleeps": ("echo $$ > {box}/pids/{name}-$$\nexec >&- 2>&-\nexec sleep 300\n", "hang"),
    "ignores-sigterm": ("trap '' TERM\necho $$ > {box}/pids/{name}-$$\nwhile :; do sleep 1; done\n", "hang"),
    "endless-output": ("exec yes '| 0     /   MLU220-M2   v1.1.1 | On            v4.6.9 |'\n", "hang"),
    "binary-noise": ("head -c 200000 /dev/urandom\n", "crash"),
    "deep-json": ("printf '%s' '" + "[" * 5000 + "'\nprintf '%s\\n' '" + "]" * 5000 + "'\n", "crash"),
    "exits-255": ("echo 'cndev init failed' >&2\nexit 255\n", "crash"),
}
