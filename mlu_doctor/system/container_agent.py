"""One `docker exec` of a small stdlib-only Python (3.6+) inside a running container, kept open to answer file
queries.

The agent prints a hello line (interpreter, version, sys.path, /dev listing), then answers one JSON request
per line on stdin (stat, listdir, read) until stdin closes. One exec replaces dozens of archive requests.
Messages are Python literals (repr / ast.literal_eval both ways): minimal Pythons (Debian's python3-minimal)
have no json module.
"""

from __future__ import annotations

import ast
import base64
from typing import Any

from mlu_doctor.system.docker import DaemonError, Docker

# Runs under the container's Python: stdlib only, Python 3.6 syntax (a test parses it with feature_version=(3,
# 6)).
AGENT_SCRIPT = r'''
import ast, base64, os, stat, sys

def kind(mode):
    if stat.S_ISDIR(mode):
        return "d"
    if stat.S_ISLNK(mode):
        return "l"
    return "f" if stat.S_ISREG(mode) else "o"

def lstat(path):
    try:
        st = os.lstat(path)
    except OSError:
        return None
    out = {"t": kind(st.st_mode), "size": st.st_size}
    if out["t"] == "l":
        try:
            out["link"] = os.readlink(path)
        except OSError:
            pass
        out["dir"] = os.path.isdir(path)
        out["file"] = os.path.isfile(path)
    return out

def handle(req):
    op, path = req.get("op"), req.get("path", "/")
    if op == "stat":
        return lstat(path)
    if op == "listdir":
        return sorted(os.listdir(path))
    if op == "read":
        with open(path, "rb") as fh:
            return base64.b64encode(fh.read(int(req.get("limit", 1048576)))).decode("ascii")
    raise ValueError("unknown op %r" % (op,))

def main():
    out = sys.stdout.buffer
    try:
        dev = sorted(os.listdir("/dev"))
    except OSError:
        dev = []
    hello = {"python": sys.executable, "version": "%d.%d.%d" % tuple(sys.version_info[:3]),
             "sys_path": [p for p in sys.path if p], "dev": dev}
    out.write((repr(hello) + "\n").encode("utf-8", "surrogateescape"))
    out.flush()
    for line in iter(sys.stdin.buffer.readline, b""):
        try:
            res = {"ok": handle(ast.literal_eval(line.decode("utf-8", "surrogateescape")))}
        except Exception as exc:
            res = {"err": "%s: %s" % (type(exc).__name__, exc)}
        out.write((repr(res) + "\n").encode("utf-8", "surrogateescape"))
        out.flush()

main()
'''


class AgentError(Exception):
    """The agent could not start or stopped answering."""


class ExecAgent:
    """Client of AGENT_SCRIPT over an exec stream of the docker seam (stdin in, stdout frames out)."""

    def __init__(self, docker: Docker, cid: str, python: str, timeout: float) -> None:
        try:
            self._session = docker.exec_start(cid, [python, "-c", AGENT_SCRIPT], user=None, stdin=True,
                                              stderr=False, timeout=timeout)
        except DaemonError as exc:  # the daemon refused: the container stopped meanwhile
            raise AgentError(exc.explanation) from None
        self._buf = b""
        self.alive = True
        self.hello = self._read_answer()

    def request(self, op: str, path: str, **kw: Any) -> Any:
        """Send one request; returns the answer, raises FileNotFoundError for agent-side errors."""
        if not self.alive:
            raise AgentError("the agent is not running")
        try:
            self._session.send((repr(dict(op=op, path=path, **kw)) + "\n").encode("utf-8", "surrogateescape"))
        except OSError as exc:
            self.alive = False
            raise AgentError(f"the agent stopped: {exc}") from None
        answer = self._read_answer()
        if "err" in answer:
            raise FileNotFoundError(answer["err"])
        return answer.get("ok")

    def read(self, path: str, limit: int) -> bytes:
        return base64.b64decode(self.request("read", path, limit=limit))

    def close(self) -> None:
        self.alive = False
        self._session.close()

    def _read_answer(self) -> dict:
        while b"\n" not in self._buf:
            self._buf += self._more()
        line, _, self._buf = self._buf.partition(b"\n")
        try:
            data = ast.literal_eval(line.decode("utf-8", "surrogateescape"))
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            self.alive = False
            raise AgentError(line.decode("utf-8", "replace").strip()[:200] or "no answer") from None
        if not isinstance(data, dict):
            self.alive = False
            raise AgentError("unexpected answer")
        return data

    def _more(self) -> bytes:
        try:
            chunk = self._session.recv()
        except OSError as exc:  # includes socket.timeout
            self.alive = False
            raise AgentError(f"the agent did not answer: {exc or 'timed out'}") from None
        if not chunk:
            self.alive = False
            said = (self._buf or bytes(self._session.system)).decode("utf-8", "replace").strip()[:200]
            raise AgentError("the agent exited" + (f": {said}" if said else ""))
        return chunk
