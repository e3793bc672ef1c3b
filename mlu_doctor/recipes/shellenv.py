"""The managed env file (~/.config/mlu-doctor/env.sh) and the marked block that sources it. Pure text
functions."""

from __future__ import annotations

import os
import shlex
from collections.abc import Mapping

from mlu_doctor.i18n import _
from mlu_doctor.recipes.base import WRITE, PlanContext, Step
from mlu_doctor.recipes.targets import file_target

HEADER = ("# Managed by mlu-doctor (`mlu-doctor fix`); `mlu-doctor undo` reverts its changes.\n"
          "# Sourced from your shell start-up file. Lines end with a marker naming the variable.\n")
BEGIN, END = "# >>> mlu-doctor >>>", "# <<< mlu-doctor <<<"


def env_file(environ: Mapping[str, str]) -> str:
    """$XDG_CONFIG_HOME/mlu-doctor/env.sh (default ~/.config/mlu-doctor/env.sh)."""
    base = environ.get("XDG_CONFIG_HOME") or os.path.join(environ.get("HOME") or "/root", ".config")
    return os.path.join(base, "mlu-doctor", "env.sh")


def rc_file(environ: Mapping[str, str]) -> str:
    """The start-up file of the user's login shell ($SHELL): ~/.bashrc, ~/.zshrc, else ~/.profile."""
    shell = os.path.basename(environ.get("SHELL") or "")
    name = {"bash": ".bashrc", "zsh": ".zshrc"}.get(shell, ".profile")
    return os.path.join(environ.get("HOME") or "/root", name)


def export_line(name: str, value: str) -> str:
    return f"export {name}={value}  # mlu-doctor:{name}\n"


def set_export(text: str, name: str, value: str) -> str:
    """`text` with the managed line for `name` set to `value` (replaced in place, else appended)."""
    line = export_line(name, value)
    lines = text.splitlines(keepends=True) if text else [HEADER]
    marker = f"# mlu-doctor:{name}"
    for i, old in enumerate(lines):
        if old.rstrip("\n").endswith(marker):
            lines[i] = line
            return "".join(lines)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    return "".join(lines) + line


def source_block(path: str) -> str:
    q = shlex.quote(path)
    return f"{BEGIN}\n[ -f {q} ] && . {q}\n{END}\n"


def ensure_block(text: str, block: str) -> str:
    """`text` with exactly one marked mlu-doctor block equal to `block`."""
    start, end = text.find(BEGIN), text.find(END)
    if start != -1 and end > start:
        stop = end + len(END)
        if text[stop:stop + 1] == "\n":
            stop += 1
        return text[:start] + block + text[stop:]
    sep = "" if not text or text.endswith("\n") else "\n"
    return text + sep + ("\n" if text else "") + block


def persist_exports(ctx: PlanContext, exports: list[tuple[str, str]], why: str) -> tuple[list[Step],
                                                                                         list[str]]:
    """(steps writing `exports` (name, shell value) to the env file and the source block to the rc file,
    reasons they cannot be written). Both files are read through the System; a symlinked file is edited at
    its target (the step names both), or refused, and then neither file is written."""
    env_path, rc_path = env_file(ctx.environ), rc_file(ctx.environ)
    env_t, rc_t = file_target(ctx.system, env_path, ctx.home), file_target(ctx.system, rc_path, ctx.home)
    refused = [t.refused for t in (env_t, rc_t) if t.refused]
    if refused:
        return [], refused
    steps: list[Step] = []
    text = decode(env_t.before)
    new = text
    for name, value in exports:
        new = set_export(new, name, value)
    if new != text:
        steps.append(Step(WRITE, why, path=env_t.real, link=env_t.link, before=env_t.before,
                          after=encode(new), mode=0o644))
    rc_text = decode(rc_t.before)
    rc_new = ensure_block(rc_text, source_block(env_path))
    if rc_new != rc_text:
        steps.append(Step(WRITE, _("source {path} from {rc}", path=env_path, rc=rc_path), path=rc_t.real,
                          link=rc_t.link, before=rc_t.before, after=encode(rc_new), mode=0o644))
    return steps, []


def decode(data: bytes | None) -> str:
    return (data or b"").decode("utf-8", errors="surrogateescape")


def encode(text: str) -> bytes:
    return text.encode("utf-8", errors="surrogateescape")


def prepend_value(name: str, entry: str) -> str:
    """Shell value putting `entry` first on a colon list, keeping what the variable held."""
    return f'"{dq(entry)}${{{name}:+:${name}}}"'


def append_value(name: str, entry: str) -> str:
    return f'"${{{name}:+${name}:}}{dq(entry)}"'


def dq(text: str) -> str:
    """`text` escaped for use inside shell double quotes."""
    for ch in ("\\", '"', "$", "`"):
        text = text.replace(ch, "\\" + ch)
    return text


def quoted(text: str) -> str:
    return f'"{dq(text)}"'
