"""Run commands inside a running container (docker exec) with a timeout, as the subprocess seam does."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

from mlu_doctor.gateways.docker_wire import ExecTimeout
from mlu_doctor.gateways.proc import RunResult, decode
from mlu_doctor.i18n import _


def exec_run(engine: Any, cid: str, argv: Sequence[str], timeout: float = 3.0,
             env: Mapping[str, str] | None = None, cwd: str | None = None) -> RunResult:
    """`docker exec` argv as the container's user; never raises. A command still running at the timeout is
    abandoned (reported timed out)."""
    argv = tuple(argv)
    start = time.monotonic()
    try:
        code, out, err = engine.exec(cid, list(argv), user=None, env=dict(env) if env else None, cwd=cwd,
                                     timeout=timeout)
    except ExecTimeout:
        return RunResult(argv, None, "", "", time.monotonic() - start, timed_out=True)
    except Exception as exc:  # the daemon's refusal, a stopped container, a broken connection
        text = getattr(exc, "explanation", None) or str(exc) or type(exc).__name__
        return RunResult(argv, None, "", "", time.monotonic() - start, error=_short(text))
    seconds = time.monotonic() - start
    text_err = decode(err)
    if code in (126, 127) and "exec failed" in (decode(out) + text_err):
        return RunResult(argv, code, "", text_err, seconds, error=_("not found or not executable in the container"))
    return RunResult(argv, code, decode(out), text_err, seconds)


def _short(text: str) -> str:
    return str(text).strip().splitlines()[0][:300] if str(text).strip() else "docker exec failed"
