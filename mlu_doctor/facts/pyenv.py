"""Where the user's Python finds packages: ask their interpreter, or look in known places under a root."""

from __future__ import annotations

import posixpath
import re
from dataclasses import field
from typing import Optional

from mlu_doctor.errors import UsageError
from mlu_doctor.facts.context import ProbeContext
from mlu_doctor.findings import Evidence
from mlu_doctor.gateways.proc import RunResult
from mlu_doctor.i18n import _
from mlu_doctor.records import record as dataclass  # shared eq/repr: faster import
from mlu_doctor.system.files import FileSource

# Runs under the user's interpreter: stdlib only, Python 3.6 syntax (tests parse it with feature_version).
SCRIPT = """\
import sys
try:
    from json import dumps
except ImportError:  # Debian's python3-minimal has no json: a Python literal, read with ast.literal_eval
    dumps = repr
out = {"version": "%d.%d.%d" % tuple(sys.version_info[:3]), "executable": sys.executable,
       "prefix": sys.prefix, "path": [p for p in sys.path[1:] if p], "site": [], "user_site": None}
try:
    import site
    out["site"] = list(site.getsitepackages())
    out["user_site"] = site.getusersitepackages()
except Exception:
    pass
sys.stdout.write(dumps(out))
"""

# Known site-packages places, most specific first (the CNML-era venv, conda, /opt and /torch venvs, system).
KNOWN_SITE_PATTERNS = (
    "/torch/venv3/pytorch/lib/python3*/site-packages",
    "/torch/venv*/*/lib/python3*/site-packages",
    "/torch/*/lib/python3*/site-packages",
    "/opt/conda/lib/python3*/site-packages",
    "/opt/conda/envs/*/lib/python3*/site-packages",
    "/opt/*/lib/python3*/site-packages",
    "/opt/*/*/lib/python3*/site-packages",
    "/usr/local/lib/python3*/dist-packages",
    "/usr/local/lib/python3*/site-packages",
    "/usr/lib/python3/dist-packages",
    "/root/.local/lib/python3*/site-packages",
)
SYSTEM_PREFIXES = ("/usr/local", "/usr", "/root/.local")
_PYVER = re.compile(r"/lib/python(3\.\d+)/")


@dataclass
class PythonEnv:
    """The interpreter (if one ran), its version, where it looks for packages, and how we know."""

    python: Optional[str] = None
    version: Optional[str] = None
    site_dirs: list[str] = field(default_factory=list)
    sys_path: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    error: Optional[str] = None
    asked: Optional[str] = None  # the interpreter asked before the scan, when it failed (`error` says how)


def parse_interpreter_output(text: str) -> Optional[dict]:
    """The JSON (or, from a Python without json, the literal) printed by SCRIPT, or None when it is not
    that."""
    import json  # only when an interpreter was asked: keeps `check --root` start-up lean

    line = text.strip().splitlines()[-1] if text.strip() else ""
    try:
        data = json.loads(line) if line else None
    except RecursionError:  # `[[[[...` from an interpreter that is not ours: not the script's answer
        return None
    except ValueError:
        import ast

        try:
            data = ast.literal_eval(line)
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            return None
    return data if isinstance(data, dict) and isinstance(data.get("path"), list) else None


# An interpreter that is not Python may echo its arguments (`ls -c SCRIPT`, `echo`): never show the script.
# GNU ls quotes the script as 'line'$'\n''line'... (with '' in front when it holds a quote): cut it all.
# Compiled on use (re caches it), not at import.
_SCRIPT_ECHO = ("(?s)'*" + re.escape(SCRIPT.splitlines()[0]) + ".*"
                + re.escape(SCRIPT.splitlines()[-1]) + r"(?:'\$'\\n|\\n)*'?")


def answer_line(result: RunResult) -> str | None:
    """The first line of what a command printed (stderr first), the probe script cut out; None if nothing."""
    text = re.sub(_SCRIPT_ECHO, lambda m: "'…'" if m.group().startswith("'") else "…",
                  f"{result.stderr or ''}\n{result.stdout or ''}")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return None
    # no escape sequence reaches a terminal
    shown = "".join(c if c.isprintable() else "\ufffd" for c in lines[0][:200])
    return shown + ("…" if len(lines[0]) > 200 else "")


def not_python(python: str, result: RunResult) -> UsageError:
    """--python named a program that ran (or could not start) without answering like Python: bad input."""
    if result.error and result.returncode is None:
        answer = _("it could not be started: {error}", error=result.error)
    elif result.error:  # it ran, and the seam stopped it (its output passed the cap)
        answer = _("it {error}", error=result.error)
    elif answer_line(result):
        answer = _("it exited {code} and printed: {output}", code=result.returncode,
                   output=answer_line(result))
    else:
        answer = _("it exited {code} and printed nothing", code=result.returncode)
    return UsageError(_("--python {path} is not a Python interpreter: asked to run a short script, {answer}",
                        path=python, answer=answer))


def ask_interpreter(ctx: ProbeContext, python: str) -> PythonEnv:
    """Run SCRIPT under `python` through the subprocess seam; raises UsageError when the user's --python
    answered, but not like Python (a hung one is recorded, as any probe failure)."""
    argv = [python, "-c", SCRIPT]
    # as early_commands() starts it
    result = ctx.system.run(argv, timeout=ctx.timeout, env=dict(ctx.system.environ))
    data = parse_interpreter_output(result.stdout) if result.ok else None
    if data is None:
        if ctx.python_given and python == ctx.python and not result.timed_out:
            raise not_python(python, result)
        why = _("{python} printed no usable sys.path", python=python)
        if result.timed_out:
            why = _("{python} timed out after {seconds:.1f} s and was killed", python=python,
                    seconds=result.seconds)
        elif not result.ok:
            why = f"{python}: {result.error}" if result.error else f"{python} exited {result.returncode}"
        tail = answer_line(result)
        return PythonEnv(python=python, error=why + (f": {tail}" if tail else ""))
    sites = [str(p) for p in data.get("site") or [] if isinstance(p, str)]
    if isinstance(data.get("user_site"), str):
        sites.append(data["user_site"])
    path = [str(p) for p in data["path"] if isinstance(p, str)]
    site_dirs = [p for p in path if p.rstrip("/").endswith(("site-packages", "dist-packages"))]
    site_dirs += [s for s in sites if s not in site_dirs and s in path]
    excerpt = f"python {data.get('version')} ({data.get('executable')})\nsys.path: " + ", ".join(path[:8])
    return PythonEnv(
        python=str(data.get("executable") or python),
        version=str(data.get("version") or "") or None,
        site_dirs=site_dirs,
        sys_path=path,
        evidence=[Evidence(f"run:{python} -c <sys.path script>", excerpt)],
    )


def _prefix(site_dir: str) -> str:
    return site_dir.split("/lib/python", 1)[0]


def known_site_dirs(fs: FileSource) -> list[str]:
    """Site dirs at the known places that exist, in priority order, without duplicates."""
    out: list[str] = []
    for pattern in KNOWN_SITE_PATTERNS:
        for path in fs.glob(pattern):
            if path not in out and fs.is_dir(path):
                out.append(path)
    return out


def _has_torch(fs: FileSource, site_dir: str) -> bool:
    return any(fs.is_dir(posixpath.join(site_dir, n)) for n in ("torch", "torch_mlu")) or any(
        n.lower().startswith(("torch-", "torch_mlu-", "catch-")) for n in fs.listdir(site_dir) or []
    )


def scan_root(fs: FileSource) -> PythonEnv:
    """No interpreter to ask: the environment whose site dir holds torch, else the first one found."""
    found = known_site_dirs(fs)
    if not found:
        return PythonEnv(error=_("no site-packages found at the known places under the root"))
    primary = next((d for d in found if _has_torch(fs, d)), found[0])
    prefix = _prefix(primary)
    group = SYSTEM_PREFIXES if prefix in SYSTEM_PREFIXES else (prefix,)
    sys_path = [d for d in found if _prefix(d) in group]
    m = _PYVER.search(primary + "/")
    excerpt = "site dirs found: " + ", ".join(found)
    return PythonEnv(
        version=m.group(1) if m else None,
        site_dirs=found,
        sys_path=sys_path,
        evidence=[Evidence(f"scan:{primary}", excerpt)],
    )


def interpreter_to_ask(ctx: ProbeContext) -> Optional[str]:
    """--python, else python3 on PATH at root "/"; None when no interpreter may be run."""
    python = ctx.python
    if not python and getattr(ctx.system, "is_host", False):  # this machine: its python3 is the user's
        python = ctx.system.which("python3")
    return python if python and ctx.system.can_run else None


def early_commands(ctx: ProbeContext) -> list[tuple[list[str], dict]]:
    """The command the framework probe runs first (gather() may start it early)."""
    python = interpreter_to_ask(ctx)
    return [([python, "-c", SCRIPT], dict(ctx.system.environ))] if python else []


def locate(ctx: ProbeContext) -> PythonEnv:
    """--python, else python3 on PATH at root "/", else the known places under the root."""
    python = interpreter_to_ask(ctx)
    if python:
        env = ask_interpreter(ctx, python)
        if not env.error:
            return env
        fallback = scan_root(ctx.system)
        fallback.error, fallback.asked = env.error, python
        return fallback
    return scan_root(ctx.system)
