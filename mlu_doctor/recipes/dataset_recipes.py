"""Dataset recipes: download COCO with fetch-coco, or copy a host dataset into a running container."""

from __future__ import annotations

import os
import sys
from typing import Any

from mlu_doctor.config import Config
from mlu_doctor.facts.model import DatasetRoot, Facts
from mlu_doctor.i18n import N_, _
from mlu_doctor.recipes.base import ADVICE, CALL, Plan, PlanContext, Recipe, Step


def first_root(facts: Facts, missing: bool) -> DatasetRoot | None:
    roots = facts.datasets.roots if facts.datasets is not None else []
    for root in roots:
        if missing == (not root.exists or bool(root.problems)):
            return root
    return None


def fetch_coco_available() -> bool:
    """Whether this mlu-doctor has the fetch-coco command."""
    try:
        from mlu_doctor.cli import app
    except ImportError:  # pragma: no cover
        return False
    return any((c.name or getattr(c.callback, "__name__", "")) in ("fetch-coco", "fetch_coco")
               for c in app.registered_commands)


class CocoDataset(Recipe):
    """Download (or complete) the COCO root the project expects, with `mlu-doctor fetch-coco`."""

    id = "dataset.coco"
    title = N_("Download the COCO dataset the project expects")
    fixes = ("dataset.coco",)
    needs = ("datasets",)

    def plan(self, facts: Facts, config: Config, ctx: PlanContext) -> Plan:
        root = first_root(facts, missing=True)
        if root is None:
            return Plan(self.id, self.title)
        argv = ["mlu-doctor", "fetch-coco", "--year", root.year or "2017", "--dest", root.path]
        if root.layout:
            argv += ["--layout", root.layout]
        if fetch_coco_available():
            step = Step(CALL, _("download COCO {year} into {path}", year=root.year or "2017", path=root.path),
                        argv=tuple(argv), params=(("argv", (sys.executable, "-m", "mlu_doctor", *argv[1:])),))
        else:
            step = Step(ADVICE, _("download COCO into {path} (fetch-coco is not in this mlu-doctor)", path=root.path),
                        argv=tuple(argv))
        return Plan(self.id, self.title, (step,))

    def call(self, step: Step, gateways: Any) -> str:
        """Run fetch-coco with the terminal attached (its progress and prompts are its own)."""
        import subprocess

        from mlu_doctor.recipes.apply import StepFailed

        code = subprocess.call(list(step.param("argv")))
        if code != 0:
            raise StepFailed(_("fetch-coco exited {code}", code=code))
        return step.description


class InjectDataset(Recipe):
    """Copy a host dataset into a running container (`mlu-doctor inject`), resumable and verified."""

    id = "dataset.inject"
    title = N_("Copy the dataset into the running container")
    fixes = ("container.dataset",)
    needs = ("datasets",)

    def target(self, facts: Facts, config: Config, ctx: PlanContext) -> tuple[Any, Any, Any]:
        conf = config.raw.get("inject") or {}
        container = conf.get("container") or (facts.extra.get("container") or {}).get("name")
        if not container and ctx.scope.startswith("container:"):
            container = ctx.scope.split(":", 1)[1]
        root = first_root(facts, missing=False)
        src = conf.get("src") or (root.path if root else None)
        dest = conf.get("dest") or src
        return container, src, dest

    def plan(self, facts: Facts, config: Config, ctx: PlanContext) -> Plan:
        container, src, dest = self.target(facts, config, ctx)
        if not (container and src and dest):
            step = Step(ADVICE, _("copy your dataset into the container"),
                        argv=("mlu-doctor", "inject", "--container", str(container or "NAME"),
                              str(src or "SRC"), str(dest or "DEST")))
            return Plan(self.id, self.title, (step,))
        size = tree_bytes(src) if ctx.is_dir(src) else 0
        copy = Step(CALL, _("copy {src} into {container}:{dest} (only what is missing is sent)",
                            src=src, container=container, dest=dest),
                    argv=("mlu-doctor", "inject", "--container", container, src, dest),
                    bytes_to_move=size, params=(("container", container), ("src", src), ("dest", dest)))
        mount = Step(ADVICE, _("or, if the container can be recreated, bind-mount instead of copying"),
                     argv=("docker", "run", "-v", f"{src}:{dest}:ro", "...", "IMAGE"))
        return Plan(self.id, self.title, (copy, mount))

    def call(self, step: Step, gateways: Any) -> str:
        from mlu_doctor.inject.run import InjectRequest, inject

        req = InjectRequest(container=step.param("container"), src=step.param("src"), dest=step.param("dest"))
        result = inject(req, progress=sys.stderr.isatty())
        if not result.verified:
            from mlu_doctor.recipes.apply import StepFailed

            raise StepFailed(_("verification failed for {n} path(s)", n=len(result.mismatches)))
        return _("sent {n} file(s)", n=result.files_sent)


def tree_bytes(path: str) -> int:
    """Total size of regular files under `path` (not following links): an upper bound of what is sent."""
    total = 0
    for folder, _dirs, files in os.walk(path):
        for name in files:
            try:
                st = os.lstat(os.path.join(folder, name))
            except OSError:
                continue
            if not os.path.islink(os.path.join(folder, name)):
                total += st.st_size
    return total
