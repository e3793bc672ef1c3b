"""Render an inject result: human lines, or the JSON envelope of `inject --format json`."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING

from mlu_doctor.errors import ExitCode
from mlu_doctor.i18n import _
from mlu_doctor.output.envelope import Envelope

if TYPE_CHECKING:
    from mlu_doctor.inject.run import InjectResult


def envelope(result: InjectResult, exit_code: int) -> Envelope:
    """The `inject` envelope: the exit code and every field of the result."""
    return Envelope("inject", {"exit_code": exit_code, "inject": asdict(result)})


def human_bytes(n: float) -> str:
    """As recipes.render.human_bytes, without importing the recipe machinery (start-up time)."""
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024:
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} TiB"


def shown(paths: list[str], limit: int = 10) -> str:
    """Up to `limit` paths on one line: a newline or other control character in a name is shown escaped."""
    text = ", ".join("".join(c if c.isprintable() else repr(c)[1:-1] for c in p) for p in paths[:limit])
    return text + (f" (+{len(paths) - limit})" if len(paths) > limit else "")


def render_human(r: InjectResult) -> str:
    """What was sent, the space, the verification, what changed meanwhile, and the bind-mount alternative."""
    rate = r.bytes_sent / r.seconds / 1e6 if r.seconds else 0.0
    lines = [_("{src} -> {name}:{dest} (owner {uid}:{gid})", src=r.src, name=r.container, dest=r.dest,
               uid=r.owner[0], gid=r.owner[1])]
    lines.append("  " + _("source: {n} files, {size}", n=r.files_total, size=human_bytes(r.bytes_total)))
    if r.dry_run:  # what would be sent; nothing moved, so no time or speed
        lines.append("  " + _("would send {n} files ({size}), {e} entries; dry run: nothing was sent",
                              n=r.files_sent, size=human_bytes(r.bytes_sent), e=r.entries_sent))
    elif not r.entries_sent:
        lines.append("  " + _("nothing to send: DEST already has every file ({s:.1f} s)", s=r.seconds))
    else:
        lines.append("  " + _("sent {n} files ({size}), {e} entries, in {b} batch(es), {s:.1f} s, {rate:.0f} "
                              "MB/s",
                              n=r.files_sent, size=human_bytes(r.bytes_sent), e=r.entries_sent, b=r.batches,
                              s=r.seconds, rate=rate))
    if r.free_bytes is not None:
        lines.append("  " + _("space: {need} needed, {free} free", need=human_bytes(r.needed_bytes),
                              free=human_bytes(r.free_bytes)))
    if not r.dry_run and r.verify_method != "none":
        state = _("ok") if r.verified else _("MISMATCH in {n} path(s): {paths}", n=len(r.mismatches),
                                              paths=shown(r.mismatches))
        lines.append("  " + _("verify ({method}): {state}, {n} entries checked", method=r.verify_method,
                              state=state, n=r.checked))
    if r.changed_during_copy:
        lines.append("  " + _("changed while copying (run again): {paths}",
                              paths=shown(r.changed_during_copy)))
    if r.links_leaving_src:
        lines.append("  " + _("symlinks pointing outside SRC, copied as links: {paths}",
                              paths=shown(r.links_leaving_src)))
    if r.skipped:
        lines.append("  " + _("not copied (not files, folders or links): {paths}", paths=shown(r.skipped)))
    if r.unreadable:
        lines.append("  " + _("NOT COPIED, could not be read in SRC: {paths}", paths=shown(r.unreadable)))
    lines.append("  " + _("if the container can be recreated, a bind mount avoids the copy: {cmd}",
                          cmd=r.bind_mount))
    return "\n".join(lines) + "\n"


def exit_code(r: InjectResult) -> int:
    """3 when the verification after the copy found a difference, or paths of SRC could not be read (the copy
    is incomplete); 0 otherwise (a dry run, --verify none)."""
    if r.unreadable and not r.dry_run:
        return int(ExitCode.FIX_FAILED)
    return 0 if r.verified or r.dry_run or r.verify_method == "none" else int(ExitCode.FIX_FAILED)


def closing(r: InjectResult) -> str:
    """Why the exit code is what it is and what to do next, when the copy did not end clean."""
    if exit_code(r) and r.unreadable:
        why = _("{n} path(s) of SRC could not be read and were not copied: {paths}", n=len(r.unreadable),
                paths=shown(r.unreadable, 3))
        step = _("Next: make them readable (or remove them from SRC) and run the same command again: only "
                 "what is missing is sent.")
    elif exit_code(r):
        why = _("the verification ({method}) found {n} path(s) that differ in the container",
                method=r.verify_method, n=len(r.mismatches))
        step = _("Next: run the same command again (only what differs is sent); if it stays, look at the "
                 "paths above with docker exec.")
    elif r.changed_during_copy and not r.dry_run:
        why = _("copied and verified, but {n} file(s) changed while copying", n=len(r.changed_during_copy))
        step = _("Next: run the same command again once they stop changing: only those are sent.")
    else:
        return ""
    return _("exit {code}: {why}", code=exit_code(r), why=why) + "\n" + step + "\n"
