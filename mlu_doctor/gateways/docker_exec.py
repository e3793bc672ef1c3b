"""Run commands inside a running container (docker exec) with a timeout, as the subprocess seam does."""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping, Sequence
from typing import Any

from mlu_doctor.gateways.proc import RunResult, decode
from mlu_doctor.i18n import _


def exec_run(api: Any, cid: str, argv: Sequence[str], timeout: float = 3.0,
             env: Mapping[str, str] | None = None, cwd: str | None = None) -> RunResult:
    """`docker exec` argv; never raises. A command still running at the timeout is abandoned (reported timed out)."""
    argv = tuple(argv)
    start = time.monotonic()
    box: dict[str, Any] = {}

    def work() -> None:
        try:
            eid = api.exec_create(cid, list(argv), stdout=True, stderr=True, environment=dict(env) if env else None,
                                  workdir=cwd)["Id"]
            out, err = api.exec_start(eid, demux=True)
            box["result"] = (api.exec_inspect(eid).get("ExitCode"), out or b"", err or b"")
        except Exception as exc:  # docker errors, a stopped container, a broken connection
            box["error"] = getattr(exc, "explanation", None) or str(exc) or type(exc).__name__

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    thread.join(timeout)
    seconds = time.monotonic() - start
    if thread.is_alive():
        return RunResult(argv, None, "", "", seconds, timed_out=True)
    if "error" in box:
        return RunResult(argv, None, "", "", seconds, error=_short(box["error"]))
    code, out, err = box["result"]
    text_err = decode(err)
    if code in (126, 127) and "exec failed" in (decode(out) + text_err):
        return RunResult(argv, code, "", text_err, seconds, error=_("not found or not executable in the container"))
    return RunResult(argv, code, decode(out), text_err, seconds)


def _short(text: str) -> str:
    return str(text).strip().splitlines()[0][:300] if str(text).strip() else "docker exec failed"
