"""Environment recipes: TORCH_HOME, the project's imports (a .pth file in its virtual environment),
LD_LIBRARY_PATH for Neuware."""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
from collections.abc import Sequence

from mlu_doctor.checks.env import TORCH_HOME_MIN_FREE, gib
from mlu_doctor.config import Config
from mlu_doctor.facts.model import EnvFacts, Facts, ModuleResolution, ProjectFacts
from mlu_doctor.i18n import N_, _
from mlu_doctor.recipes.base import ADVICE, MKDIR, WRITE, Plan, PlanContext, Recipe, Step
from mlu_doctor.recipes.shellenv import append_value, env_file, persist_exports, quoted
from mlu_doctor.recipes.targets import dir_target, file_target


def container_name(ctx: PlanContext) -> str | None:
    return ctx.scope.split(":", 1)[1] if ctx.scope.startswith("container:") else None


def reload_note(ctx: PlanContext) -> str:
    return _("New shells pick this up; in this shell run: . {path}", path=env_file(ctx.environ))


def container_env_advice(name: str, pairs: Sequence[tuple[str, str]], mkdir: str | None = None) -> list[Step]:
    """docker exec / docker run advice for variables a container needs (containers are never changed);
    `mkdir`: a folder the command creates first (TORCH_HOME), never a search path."""
    flags = tuple(x for var, value in pairs for x in ("-e", f"{var}={value}"))
    command: tuple[str, ...] = ("python", "...")
    if mkdir:
        command = ("sh", "-c", f"mkdir -p {quoted(mkdir)} && exec \"$0\" \"$@\"", *command)
    return [
        Step(ADVICE, _("for one command in the running container"),
             argv=("docker", "exec", *flags, name, *command)),
        Step(ADVICE, _("for every session when the container is created (recreating it is up to you)"),
             argv=("docker", "run", *flags, "...", "IMAGE")),
    ]


def torch_home_problem(env: EnvFacts | None) -> str | None:
    """Why an existing TORCH_HOME setting cannot be used as it is (a file, not writable, nearly full)."""
    if env is None or not env.vars.get("TORCH_HOME"):
        return None
    path = env.torch_home_path or env.vars["TORCH_HOME"]
    if env.torch_home_is_file:
        return _("TORCH_HOME={path} is a file, not a directory", path=path)
    if env.torch_home_writable is False:
        return _("TORCH_HOME={path} is not writable here", path=path)
    if env.torch_home_free is not None and env.torch_home_free < TORCH_HOME_MIN_FREE:
        return _("TORCH_HOME={path} has only {free} free", path=path, free=gib(env.torch_home_free))
    return None


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
            path = (facts.env.torch_home_path if facts.env else None) or posixpath.join(ctx.cwd, current)
            return path, _("TORCH_HOME is already set to {path}; the directory is created", path=path)
        configured = (config.raw.get("fix") or {}).get("torch_home")
        if configured:
            return str(configured), _("from fix.torch_home in {path}", path=config.path)
        if facts.framework is not None and facts.framework.era == "cnml":
            inside = container_name(ctx) is not None  # the host's project dir means nothing in a container
            project = facts.project.dir if facts.project is not None and not inside else ctx.cwd
            path = posixpath.join(posixpath.normpath(posixpath.join(ctx.cwd, project)), "models", "pytorch")
            return path, _("CNML-era Cambricon PyTorch: its model zoo reads weights from "
                           "$TORCH_HOME/{origin,int8,int16}/checkpoints and its scripts suggest "
                           "$PWD/models/pytorch")
        cache = ctx.environ.get("XDG_CACHE_HOME") or posixpath.join(ctx.home, ".cache")
        return posixpath.join(cache, "torch"), _("PyTorch's own default ($XDG_CACHE_HOME/torch), made "
                                                 "explicit")

    def plan(self, facts: Facts, config: Config, ctx: PlanContext) -> Plan:
        path, why = self.choose(facts, config, ctx)
        name = container_name(ctx)
        if name:
            return Plan(self.id, self.title,
                        tuple(container_env_advice(name, [("TORCH_HOME", path)], mkdir=path)), notes=(why,))
        problem = torch_home_problem(facts.env)
        if problem:
            default = posixpath.join(ctx.environ.get("XDG_CACHE_HOME") or posixpath.join(ctx.home, ".cache"),
                                     "torch")
            step = Step(ADVICE, _("point TORCH_HOME at a writable directory with space, where you set it now "
                                  "(mlu-doctor does not override your setting)"),
                        argv=("export", f"TORCH_HOME={default}"))
            return Plan(self.id, self.title, (step,), notes=(problem,))
        steps: list[Step] = []
        refused: list[str] = []
        if not ctx.is_dir(path):
            real, why_not = dir_target(ctx.system, path)
            if why_not:
                refused.append(why_not)
            else:
                steps.append(Step(MKDIR, _("create {path}", path=path), path=real,
                                  link=path if real != path else None, mode=0o755))
        if not ctx.environ.get("TORCH_HOME"):
            persist, no = persist_exports(ctx, [("TORCH_HOME", quoted(path))],
                                          _("set TORCH_HOME={path}", path=path))
            steps += persist
            refused += no
        if refused:
            return Plan(self.id, self.title, tuple(manual_steps(path, not ctx.is_dir(path))), notes=(why,),
                        refused=tuple(refused))
        return Plan(self.id, self.title, tuple(steps), notes=(why, reload_note(ctx)),
                    env=(("TORCH_HOME", path),))


def manual_steps(path: str, mkdir: bool) -> list[Step]:
    """What to do by hand when mlu-doctor refuses to write (a start-up file it will not edit)."""
    steps = [Step(ADVICE, _("create the directory"), argv=("mkdir", "-p", path))] if mkdir else []
    steps.append(Step(ADVICE, _("add this line to your shell start-up file yourself"),
                      argv=("export", f"TORCH_HOME={path}")))
    return steps


def in_folder(path: str | None, folder: str) -> bool:
    """`path` is directly inside `folder` (a module or package there)."""
    return bool(path) and os.path.dirname(os.path.normpath(path or "")) == os.path.normpath(folder)


def bad_imports(resolutions: list[ModuleResolution]) -> list[ModuleResolution]:
    return [r for r in resolutions if r.status in ("missing", "shadowed")]


def venv_of(facts: Facts, ctx: PlanContext) -> tuple[str, str] | None:
    """(site-packages, prefix) of the interpreter's virtual environment (venv/virtualenv, or a conda env
    that is not the base one); None for a system or base interpreter, where a .pth would reach everyone."""
    fw = facts.framework
    for site in (fw.site_dirs or fw.sys_path) if fw else []:
        if not site.rstrip("/").endswith(("site-packages", "dist-packages")) or "/lib/python" not in site:
            continue
        prefix = site.split("/lib/python", 1)[0]
        if ctx.system.is_file(prefix + "/pyvenv.cfg") or ("/envs/" in prefix
                                                          and ctx.system.is_dir(prefix + "/conda-meta")):
            return site, prefix
    return None


def pth_name(project_dir: str) -> str:
    """mlu-doctor-<project folder>-<hash of its path>.pth: one file per project, never another project's."""
    base = re.sub(r"[^A-Za-z0-9_.-]", "_", posixpath.basename(project_dir.rstrip("/")) or "project")
    return f"mlu-doctor-{base}-{hashlib.sha256(project_dir.encode()).hexdigest()[:8]}.pth"


class PythonPath(Recipe):
    """Make scripts outside a yolov3/yolov5 tree find its utils/models: a .pth file in the project's virtual
    environment (scoped to that environment, undone by `mlu-doctor undo`), else advice."""

    id = "env.pythonpath"
    title = N_("Make the project's own modules (utils, models) importable")
    fixes = ("env.pythonpath",)
    needs = ("env", "project", "framework")

    def plan(self, facts: Facts, config: Config, ctx: PlanContext) -> Plan:
        project = facts.project
        if project is None or project.kind not in ("yolov3", "yolov5"):
            step = Step(ADVICE, _("point --project at your yolov3/yolov5 checkout"), argv=("mlu-doctor",
                                                                                           "check",
                                                                                            "--project",
                                                                                           "DIR"))
            return Plan(self.id, self.title, (step,))
        own = bad_imports(project.script_imports)
        if own:
            return Plan(self.id, self.title, tuple(project_advice(own, project)))
        outside = bad_imports(project.imports) if project.cwd_scripts and project.cwd != project.dir else []
        if not outside:
            return Plan(self.id, self.title)
        script = project.cwd_scripts[0]
        name = container_name(ctx)
        if name:
            return Plan(self.id, self.title, tuple(container_env_advice(name, [("PYTHONPATH", project.dir)])))
        notes = shadow_notes(outside, project)
        venv = venv_of(facts, ctx)
        moves = [Step(ADVICE, _("or move {script} into {dir}", script=script, dir=project.dir),
                      argv=("mv", script, project.dir + "/"))]
        if venv is None:
            python = (facts.framework.python if facts.framework else None) or "python3"
            once = Step(ADVICE, _("run it with the project on its path"),
                        argv=("env", f"PYTHONPATH={project.dir}", python, script))
            notes.append(_("{python} is not in a virtual environment: a .pth file there would reach every "
                           "project and user of it, so mlu-doctor does not write one", python=python))
            return Plan(self.id, self.title, (once, *moves), notes=tuple(notes))
        site, prefix = venv
        target = file_target(ctx.system, posixpath.join(site, pth_name(project.dir)), prefix)
        if target.refused:
            return Plan(self.id, self.title, tuple(moves), refused=(target.refused,))
        content = (project.dir + "\n").encode()
        steps = [] if target.before == content else [
            Step(WRITE, _("put {dir} on sys.path of the virtual environment {venv}", dir=project.dir,
                          venv=prefix),
                 path=target.real, link=target.link, before=target.before, after=content, mode=0o644)]
        notes.insert(0, _("Scoped to {venv}: scripts run with its python (from any folder) find {dir}'s "
                          "utils and "
                          "models; other Pythons, shells and projects are unchanged.", venv=prefix,
                          dir=project.dir))
        return Plan(self.id, self.title, (*steps, *moves), notes=tuple(notes))


def project_advice(bad: list[ModuleResolution], project: ProjectFacts) -> list[Step]:
    """The project's own scripts cannot import its modules: a shadowing package or an incomplete checkout."""
    steps: list[Step] = []
    for r in bad:
        where = r.resolved_to or ""
        if r.status == "shadowed" and "-packages/" in where:
            steps.append(Step(ADVICE, _("an installed package {path} shadows the project's {module}; remove "
                                        "it",
                                        path=where, module=r.module), argv=("pip", "uninstall", r.module)))
        elif r.status == "shadowed":
            steps.append(Step(ADVICE, _("{path} comes before the project's {module} on sys.path; rename it "
                                        "or take its folder off PYTHONPATH", path=where, module=r.module),
                              argv=("mv", where, where + ".bak")))
        else:
            steps.append(Step(ADVICE, _("the checkout lacks {module}; restore it", module=r.module),
                              argv=("git", "-C", project.dir, "status")))
    return steps


def shadow_notes(bad: list[ModuleResolution], project: ProjectFacts) -> list[str]:
    """Shadowing a .pth file cannot override (it comes after the cwd and site-packages)."""
    return [_("{path} comes before anything a .pth file adds (the script's folder, or site-packages): this "
              "change cannot override it; rename it", path=r.resolved_to)
            for r in bad if r.status == "shadowed" and (in_folder(r.resolved_to, project.cwd)
                                                        or "-packages/" in (r.resolved_to or ""))]


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
            return Plan(self.id, self.title, tuple(container_env_advice(name, sorted(env.items()))) if env
                        else ())
        steps, refused = persist_exports(ctx, exports, _("add {path}/lib64 to LD_LIBRARY_PATH", path=home)) \
            if exports else ([], [])
        if refused:
            advice = [Step(ADVICE, _("add this line to your shell start-up file yourself"),
                           argv=("export", f"{k}={v}"))
                      for k, v in sorted(env.items())]
            return Plan(self.id, self.title, tuple(advice), refused=tuple(refused))
        return Plan(self.id, self.title, tuple(steps), notes=(reload_note(ctx),),
                    env=tuple(sorted(env.items())))

    def exports(self, home: str, ctx: PlanContext) -> tuple[list[tuple[str, str]], dict[str, str]]:
        exports: list[tuple[str, str]] = []
        env: dict[str, str] = {}
        if ctx.environ.get("NEUWARE_HOME") != home:
            exports.append(("NEUWARE_HOME", quoted(home)))
            env["NEUWARE_HOME"] = home
        for var, sub in (("LD_LIBRARY_PATH", "lib64"), ("PATH", "bin")):
            entry = posixpath.join(home, sub)
            current = ctx.environ.get(var) or ""
            if entry not in current.split(os.pathsep):
                exports.append((var, append_value(var, entry)))
                env[var] = current + os.pathsep + entry if current else entry
        return exports, env
