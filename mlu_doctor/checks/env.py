"""Environment checks: TORCH_HOME, the project's imports (PYTHONPATH), *_VISIBLE_DEVICES."""

from __future__ import annotations

import re

from mlu_doctor.checks import check
from mlu_doctor.checks.cards import visible_card_count
from mlu_doctor.config import Config
from mlu_doctor.facts.model import Facts, ModuleResolution, ProjectFacts
from mlu_doctor.findings import Evidence, Finding, Status, fail, finding, ok, skip, warn
from mlu_doctor.i18n import _

TORCH_HOME_MIN_FREE = 1024 ** 3  # pretrained weights run to hundreds of MB (yolov3 ~240 MB; model zoos: GBs)


def gib(n: int) -> str:
    return f"{n / 1024 ** 3:.1f} GiB" if n >= 1024 ** 3 else f"{n / 1024 ** 2:.0f} MiB"


@check("env.torch-home", "TORCH_HOME is set to a writable directory", needs=("env",), recipe="env.torch-home")
def env_torch_home(facts: Facts, config: Config) -> Finding:
    """Cambricon's model zoo scripts read weights from $TORCH_HOME/{origin,int8,int16}/checkpoints."""
    env = facts.env
    assert env is not None
    value = env.vars.get("TORCH_HOME")
    if not value:
        return warn(_("TORCH_HOME is not set"),
                    details=_("Cambricon example scripts print 'please set environment variable TORCH_HOME' "
                              "and look for weights under $TORCH_HOME/{origin,int8,int16}/checkpoints."),
                    remedy=_("export TORCH_HOME=$HOME/.cache/torch (add it to your shell profile or the "
                             "container's env)."))
    path = env.torch_home_path or value
    ev = (Evidence("env:TORCH_HOME", value),)
    if env.torch_home_is_file:
        return fail(_("TORCH_HOME={path} is a file, not a directory", path=path), evidence=ev,
                    remedy=_("Point TORCH_HOME at a directory, e.g. export TORCH_HOME=$HOME/.cache/torch."))
    if env.torch_home_exists is False and env.torch_home_writable is False:
        return fail(_("TORCH_HOME={path} does not exist and cannot be created here{why}", path=path,
                      why=f" ({env.torch_home_write_error})" if env.torch_home_write_error else ""),
                    evidence=ev,
                    remedy=_("Point TORCH_HOME at a writable directory, e.g. export "
                             "TORCH_HOME=$HOME/.cache/torch."))
    if env.torch_home_exists is False:
        return fail(_("TORCH_HOME={path} does not exist", path=path), evidence=ev,
                    remedy=_("mkdir -p {path}  (or point TORCH_HOME at an existing writable directory)",
                             path=path))
    if env.torch_home_writable is False:
        return fail(_("TORCH_HOME={path} is not writable{why}", path=path,
                      why=f" ({env.torch_home_write_error})" if env.torch_home_write_error else ""),
                    evidence=ev,
                    remedy=_("Make it writable for this user (chown/chmod), or point TORCH_HOME at a "
                             "writable directory."))
    if env.torch_home_free is not None and env.torch_home_free < TORCH_HOME_MIN_FREE:
        return warn(_("TORCH_HOME={path} has only {free} free; downloads of pretrained weights may fail",
                      path=path, free=gib(env.torch_home_free)), evidence=ev,
                    remedy=_("Free some space there, or point TORCH_HOME at a file system with at least "
                             "{min} free.",
                             min=gib(TORCH_HOME_MIN_FREE)))
    free = _(", {free} free", free=gib(env.torch_home_free)) if env.torch_home_free is not None else ""
    return ok(_("TORCH_HOME={path} (writable{free})", path=path, free=free), evidence=ev)


def _shadow_remedy(r: ModuleResolution, project: ProjectFacts, first: str) -> str:
    """What to do about `r`, shadowed on a search path whose first entry is `first`."""
    where = r.resolved_to or ""
    if where.startswith(first.rstrip("/") + "/") and "/" not in where[len(first.rstrip("/")) + 1:]:
        return _("Rename or remove {path}: its folder comes first on sys.path.", path=where)
    if "-packages/" in where:
        return _("An installed package named '{module}' ({path}) shadows the project's: uninstall it "
                 "(pip uninstall it), or put the project first: export "
                 "PYTHONPATH={dir}${{PYTHONPATH:+:$PYTHONPATH}}",
                 module=r.module, path=where, dir=project.dir)
    return _("Remove the directory holding {path} from PYTHONPATH, or put the project first: "
             "export PYTHONPATH={dir}${{PYTHONPATH:+:$PYTHONPATH}}", path=where, dir=project.dir)


def _import_problem(r: ModuleResolution, project: ProjectFacts, where: str, first: str) -> tuple[str, str]:
    """(summary, remedy) for an import that fails when code runs `where` (a phrase), with `first` on
    sys.path[0]."""
    if r.status == "shadowed":
        what = _("'{module}' is a module, so '{statement}' fails with \"'{module}' is not a package\"",
                 module=r.module, statement=r.statement) if (r.resolved_to
                                                             or "").endswith((".py", ".pyc", ".so")) \
            and r.statement.startswith(f"from {r.module}.") else ""
        summary = _("{where}, {statement} resolves to {found}, not the project's {expected}",
                    where=where, statement=r.statement, found=r.resolved_to, expected=r.expected)
        return summary + (f" ({what})" if what else ""), _shadow_remedy(r, project, first)
    summary = _("{where}, {statement} fails: No module named '{module}'",
                where=where, statement=r.statement, module=r.module)
    remedy = _("mlu-doctor fix env.pythonpath puts {dir} on this Python's sys.path (a .pth file in its "
               "virtual "
               "environment); or move the script into {dir}; or run it with PYTHONPATH={dir}",
               dir=project.dir)
    return summary, remedy


def _bad(resolutions: list[ModuleResolution]) -> list[ModuleResolution]:
    return [r for r in resolutions if r.status in ("missing", "shadowed")]


def _import_fail(bad: list[ModuleResolution], project: ProjectFacts, where: str, first: str) -> Finding:
    summary, remedy = _import_problem(bad[0], project, where, first)
    details = "\n".join(_import_problem(r, project, where, first)[0] for r in bad[1:])
    ev = (Evidence(_("import search path ({where})", where=where), "\n".join(bad[0].search_path[:8])),)
    return fail(summary, details=details, evidence=ev, remedy=remedy)


@check("env.pythonpath", "The project's imports resolve to the project", needs=("project",),
       recipe="env.pythonpath")
def env_pythonpath(facts: Facts, config: Config) -> Finding:
    """yolov3/yolov5 `utils` and `models` packages, as Python finds them for the project's own scripts
    (their folder comes first, from any cwd) and for scripts in the current directory that import them."""
    project = facts.project
    assert project is not None
    if not project.kind:
        return skip(_("no yolov3/yolov5 project in {dir} (use --project DIR)", dir=project.dir))
    own = project.script_imports or project.imports  # facts files from before script_imports: the cwd view
    bad = _bad(own)
    if bad:
        where = _("for the scripts in {dir}", dir=project.dir) if project.script_imports else \
            _("from {cwd}", cwd=project.cwd)
        return _import_fail(bad, project, where, project.dir if project.script_imports else project.cwd)
    cwd_bad = _bad(project.imports) if project.script_imports and project.cwd != project.dir else []
    if cwd_bad and project.cwd_scripts:
        where = _("when {script} (outside the project) runs", script=project.cwd_scripts[0])
        return _import_fail(cwd_bad, project, where, project.cwd)
    if any(r.status == "unknown" for r in own) or not own:
        return skip(_("could not tell what the {kind} imports resolve to", kind=project.kind))
    details = _("Code started from {cwd} (python -m, python -c, a notebook) would not find them: {statement} "
                "fails there.", cwd=project.cwd, statement=cwd_bad[0].statement) if cwd_bad else ""
    return ok(_("{kind} imports (utils, models) resolve to {dir} for its scripts, run from any folder",
                kind=project.kind, dir=project.dir), details=details)


_INDEX_LIST = r"^\s*\d+\s*(,\s*\d+\s*)*$"  # compiled on use (re caches it): only when a variable is set


def visible_devices_problem(var: str, value: str, count: int | None) -> tuple[Status, str] | None:
    """(status, message) for one *_VISIBLE_DEVICES value, or None when it is fine."""
    if not value.strip():
        return Status.FAIL, _("{var} is set but empty: it hides every card", var=var)
    if not re.match(_INDEX_LIST, value):
        return Status.WARN, _("{var}={value} is not a comma-separated list of card indices", var=var,
                              value=value)
    idx = [int(p) for p in value.split(",")]
    if len(set(idx)) != len(idx):
        return Status.WARN, _("{var}={value} names a card twice", var=var, value=value)
    if count is not None and max(idx) >= count:
        missing = ", ".join(str(i) for i in idx if i >= count)
        return Status.FAIL, _("{var}={value} names card(s) {missing}, but only {count} card(s) exist "
                              "(0..{last})",
                              var=var, value=value, missing=missing, count=count, last=count - 1)
    return None


@check("env.visible-devices", "MLU_VISIBLE_DEVICES names existing cards", needs=("env", "device", "driver"))
def env_visible_devices(facts: Facts, config: Config) -> Finding:
    """MLU_VISIBLE_DEVICES / CAMBRICON_VISIBLE_DEVICES: empty, malformed, or naming cards that do not
    exist."""
    count = visible_card_count(facts)
    found: list[tuple[Status, str]] = []
    ev: list[Evidence] = []
    assert facts.env is not None
    for var in ("MLU_VISIBLE_DEVICES", "CAMBRICON_VISIBLE_DEVICES"):
        value = facts.env.vars.get(var)
        if value is None:
            continue
        ev.append(Evidence(f"env:{var}", value))
        problem = visible_devices_problem(var, value, count)
        if problem and var == "CAMBRICON_VISIBLE_DEVICES" and problem[0] > Status.WARN:
            problem = (Status.WARN, problem[1] + _(" (its format is set by the device plugin; inferred)"))
        if problem:
            found.append(problem)
    if not ev:
        return ok(_("MLU_VISIBLE_DEVICES and CAMBRICON_VISIBLE_DEVICES are unset: all cards are visible"))
    if found:
        worst = max(s for s, _m in found)
        return finding(worst, found[0][1], details="\n".join(m for _s, m in found[1:]), evidence=tuple(ev),
                       remedy=_("Set it to indices of existing cards, e.g. export MLU_VISIBLE_DEVICES=0, or "
                                "unset it."))
    if count is None:
        return skip(_("cannot verify the visible devices: no card identified"), evidence=tuple(ev))
    return ok(_("visible devices name existing cards ({count} card(s))", count=count), evidence=tuple(ev))


CHECKS = (env_torch_home, env_pythonpath, env_visible_devices)
