"""Environment recipes: TORCH_HOME, PYTHONPATH for yolov3/yolov5 trees, LD_LIBRARY_PATH for Neuware."""

from __future__ import annotations

import os

from mlu_doctor.config import Config
from mlu_doctor.facts.model import Facts
from mlu_doctor.i18n import N_, _
from mlu_doctor.recipes.base import ADVICE, MKDIR, Plan, PlanContext, Recipe, Step
from mlu_doctor.recipes.shellenv import append_value, env_file, persist_exports, prepend_value, quoted


def container_name(ctx: PlanContext) -> str | None:
    return ctx.scope.split(":", 1)[1] if ctx.scope.startswith("container:") else None


def reload_note(ctx: PlanContext) -> str:
    return _("New shells pick this up; in this shell run: . {path}", path=env_file(ctx.environ))


class TorchHome(Recipe):
    """Create TORCH_HOME and persist it for new shells (or print docker -e advice for a container)."""

    id = "env.torch-home"
    title = N_("Set TORCH_HOME to an existing, writable directory")
    fixes = ("env.torch-home",)
    needs = ("env", "framework", "project")

    def choose(self, facts: Facts, config: Config, ctx: PlanContext) -> tuple[str, str]:
        """The directory to use, and why it was chosen."""
        current = ctx.environ.get("TORCH_HOME")
        if current:
            return current, _("TORCH_HOME is already set to {path}; the directory is created", path=current)
        configured = (config.raw.get("fix") or {}).get("torch_home")
        if configured:
            return str(configured), _("from fix.torch_home in {path}", path=config.path)
        if facts.framework is not None and facts.framework.era == "cnml":
            inside = container_name(ctx) is not None  # the host's project dir means nothing in a container
            project = facts.project.dir if facts.project is not None and not inside else ctx.cwd
            path = os.path.join(os.path.abspath(project), "models", "pytorch")
            return path, _("CNML-era Cambricon PyTorch: its model zoo reads weights from "
                           "$TORCH_HOME/{origin,int8,int16}/checkpoints and its scripts suggest $PWD/models/pytorch")
        cache = ctx.environ.get("XDG_CACHE_HOME") or os.path.join(ctx.home, ".cache")
        return os.path.join(cache, "torch"), _("PyTorch's own default ($XDG_CACHE_HOME/torch), made explicit")

    def plan(self, facts: Facts, config: Config, ctx: PlanContext) -> Plan:
        path, why = self.choose(facts, config, ctx)
        name = container_name(ctx)
        if name:
            return Plan(self.id, self.title, steps=tuple(container_env_advice(name, "TORCH_HOME", path)), notes=(why,))
        steps: list[Step] = []
        if not ctx.is_dir(path):
            steps.append(Step(MKDIR, _("create {path}", path=path), path=path, mode=0o755))
        if ctx.environ.get("TORCH_HOME") != path:
            steps += persist_exports(ctx, [("TORCH_HOME", quoted(path))], _("set TORCH_HOME={path}", path=path))
        return Plan(self.id, self.title, tuple(steps), notes=(why, reload_note(ctx)), env=(("TORCH_HOME", path),))


def container_env_advice(name: str, var: str, value: str) -> list[Step]:
    """docker exec / docker run advice for a variable a container needs (containers are never changed)."""
    q = quoted(value)
    return [
        Step(ADVICE, _("for one command in the running container"),
             argv=("docker", "exec", "-e", f"{var}={value}", name, "sh", "-c", f"mkdir -p {q} && exec \"$0\" \"$@\"",
                   "python", "...")),
        Step(ADVICE, _("for every session when the container is created (recreating it is up to you)"),
             argv=("docker", "run", "-e", f"{var}={value}", "...", "IMAGE")),
    ]


def in_folder(path: str | None, folder: str) -> bool:
    """`path` is directly inside `folder` (a module or package there)."""
    return bool(path) and os.path.dirname(os.path.normpath(path or "")) == os.path.normpath(folder)


class PythonPath(Recipe):
    """Put the yolov3/yolov5 project root first on PYTHONPATH (or say where to cd)."""

    id = "env.pythonpath"
    title = N_("Make the project's own modules (utils, models) importable")
    fixes = ("env.pythonpath",)
    needs = ("env", "project")

    def plan(self, facts: Facts, config: Config, ctx: PlanContext) -> Plan:
        project = facts.project
        if project is None or project.kind not in ("yolov3", "yolov5"):
            step = Step(ADVICE, _("run your scripts from the root of your yolov3/yolov5 checkout"), argv=("cd", "PROJECT"))
            return Plan(self.id, self.title, (step,))
        root = os.path.abspath(project.dir)
        cd = Step(ADVICE, _("or run from the project root, where python puts the script's folder first"),
                  argv=("cd", root))
        if container_name(ctx):
            return Plan(self.id, self.title, tuple(container_env_advice(container_name(ctx) or "", "PYTHONPATH", root)) + (cd,))
        current = ctx.environ.get("PYTHONPATH") or ""
        steps: list[Step] = []
        if root not in current.split(os.pathsep)[:1]:
            steps = persist_exports(ctx, [("PYTHONPATH", prepend_value("PYTHONPATH", root))],
                                    _("put {path} first on PYTHONPATH", path=root))
        new = root + (os.pathsep + current if current and not current.startswith(root) else "")
        notes = [reload_note(ctx)] + [
            _("{path} is in the current directory, which Python puts before PYTHONPATH: this change cannot "
              "override it; rename it, or run from {dir}", path=r.resolved_to, dir=root)
            for r in project.imports if r.status == "shadowed" and in_folder(r.resolved_to, project.cwd)]
        return Plan(self.id, self.title, tuple(steps) + (cd,), notes=tuple(notes),
                    env=(("PYTHONPATH", new if steps else current or root),))


class LdPath(Recipe):
    """Append $NEUWARE_HOME/lib64 to LD_LIBRARY_PATH (and bin to PATH) in the managed env file."""

    id = "toolkit.ld-path"
    title = N_("Make the Neuware libraries and tools findable")
    fixes = ("toolkit.neuware",)
    needs = ("toolkit", "env")

    def plan(self, facts: Facts, config: Config, ctx: PlanContext) -> Plan:
        tk = facts.toolkit
        if tk is None or not tk.neuware_home:
            step = Step(ADVICE, _("install Cambricon Neuware (CNToolkit), then point NEUWARE_HOME at it"),
                        argv=("export", "NEUWARE_HOME=/usr/local/neuware"))
            return Plan(self.id, self.title, (step,))
        home = tk.neuware_home
        exports, env = self.exports(home, ctx)
        name = container_name(ctx)
        if name:
            value = env.get("LD_LIBRARY_PATH", ctx.environ.get("LD_LIBRARY_PATH") or "")
            return Plan(self.id, self.title, tuple(container_env_advice(name, "LD_LIBRARY_PATH", value)))
        steps = persist_exports(ctx, exports, _("add {path}/lib64 to LD_LIBRARY_PATH", path=home)) if exports else []
        return Plan(self.id, self.title, tuple(steps), notes=(reload_note(ctx),), env=tuple(sorted(env.items())))

    def exports(self, home: str, ctx: PlanContext) -> tuple[list[tuple[str, str]], dict[str, str]]:
        exports: list[tuple[str, str]] = []
        env: dict[str, str] = {}
        if ctx.environ.get("NEUWARE_HOME") != home:
            exports.append(("NEUWARE_HOME", quoted(home)))
            env["NEUWARE_HOME"] = home
        for var, sub in (("LD_LIBRARY_PATH", "lib64"), ("PATH", "bin")):
            entry = os.path.join(home, sub)
            current = ctx.environ.get(var) or ""
            if entry not in current.split(os.pathsep):
                exports.append((var, append_value(var, entry)))
                env[var] = current + os.pathsep + entry if current else entry
        return exports, env
