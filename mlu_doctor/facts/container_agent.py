"""One `docker exec` of a small stdlib-only Python (3.6+) inside a running container, kept open to answer file queries.

The agent prints a hello line (interpreter, version, sys.path, /dev listing), then answers one JSON request
per line on stdin (stat, listdir, read) until stdin closes. One exec replaces dozens of archive requests.
Messages are Python literals (repr / ast.literal_eval both ways): minimal Pythons (Debian's python3-minimal)
have no json module.
"""

from __future__ import annotations

import ast
import base64
import contextlib
import struct
from typing import Any

# Runs under the container's Python: stdlib only, Python 3.6 syntax (a test parses it with feature_version=(3, 6)).
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
    """Client of AGENT_SCRIPT over the hijacked exec socket (stdout frames are multiplexed: 8-byte headers)."""

    def __init__(self, api: Any, cid: str, python: str, timeout: float) -> None:
        try:
            eid = api.exec_create(cid, [python, "-c", AGENT_SCRIPT], stdin=True, stdout=True, stderr=False)["Id"]
            wrapper = api.exec_start(eid, socket=True)
        except Exception as exc:
            raise AgentError(getattr(exc, "explanation", None) or str(exc)) from None
        self._wrapper = wrapper
        self._sock = getattr(wrapper, "_sock", wrapper)
        self._sock.settimeout(timeout)
        self._buf = b""
        self.alive = True
        self.hello = self._read_answer()

    def request(self, op: str, path: str, **kw: Any) -> Any:
        """Send one request; returns the answer, raises FileNotFoundError for agent-side errors."""
        if not self.alive:
            raise AgentError("the agent is not running")
        try:
            self._sock.sendall((repr(dict(op=op, path=path, **kw)) + "\n").encode("utf-8", "surrogateescape"))
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
        for closer in (self._wrapper, self._sock):
            with contextlib.suppress(Exception):
                closer.close()

    def _read_answer(self) -> dict:
        while b"\n" not in self._buf:
            self._buf += self._frame()
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

    def _frame(self) -> bytes:
        header = self._exactly(8)
        size = struct.unpack(">I", header[4:8])[0]
        return self._exactly(size)

    def _exactly(self, n: int) -> bytes:
        out = b""
        while len(out) < n:
            try:
                chunk = self._sock.recv(n - len(out))
            except OSError as exc:  # includes socket.timeout
                self.alive = False
                raise AgentError(f"the agent did not answer: {exc or 'timed out'}") from None
            if not chunk:
                self.alive = False
                raise AgentError("the agent exited" + (f": {out.decode('utf-8', 'replace')[:200]}" if out else ""))
            out += chunk
        return out
