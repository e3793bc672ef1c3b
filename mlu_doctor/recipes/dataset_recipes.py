"""Dataset recipes: download COCO (the fetch-coco engine), or copy a host dataset into a running container."""

from __future__ import annotations

import os
import sys
from typing import Any

from mlu_doctor.config import Config
from mlu_doctor.facts.container_model import ContainerFacts, DatasetAccess
from mlu_doctor.facts.model import DatasetRoot, Facts
from mlu_doctor.i18n import _
from mlu_doctor.recipes.base import ADVICE, CALL, Plan, PlanContext, Recipe, Step


def first_root(facts: Facts, missing: bool) -> DatasetRoot | None:
    roots = facts.datasets.roots if facts.datasets is not None else []
    for root in roots:
        if missing == (not root.exists or bool(root.problems)):
            return root
    return None


def fetch_request(root: DatasetRoot, config: Config) -> Any:
    """The fetch-coco request that completes `root`: its year and layout, mirrors and manifest from the
    config."""
    from mlu_doctor.download import FetchRequest

    return FetchRequest(year=root.year or "2017", dest=root.path, layout=root.layout,
                        config_mirrors=config.coco_mirrors, manifest=config.coco_manifest)


def fetch_argv(req: Any) -> tuple[str, ...]:
    """The equivalent `mlu-doctor fetch-coco` command line."""
    argv = ["mlu-doctor", "fetch-coco", "--year", req.year, "--dest", req.dest]
    if req.layout:
        argv += ["--layout", req.layout]
    if req.manifest:
        argv += ["--manifest", req.manifest]
    return tuple(argv)


class CocoDataset(Recipe):
    """Download (or complete) the COCO root the project expects with the fetch-coco engine."""

    id = "dataset.coco"
    title = "Download the COCO dataset the project expects"
    fixes = ("dataset.coco",)
    needs = ("datasets",)

    def plan(self, facts: Facts, config: Config, ctx: PlanContext) -> Plan:
        from mlu_doctor.download import plan_fetch
        from mlu_doctor.download.extract import human_bytes

        root = first_root(facts, missing=True)
        if root is None:
            return Plan(self.id, self.title)
        req = fetch_request(root, config)
        if ctx.scope.startswith("container:"):
            return self.container_plan(req, ctx.scope.split(":", 1)[1])
        fplan = plan_fetch(req, environ=ctx.environ)  # stats and state files only: no network
        step = Step(CALL, _("download COCO {year} ({layout} layout) into {path}: {archives} archive(s), "
                            "{download} to "
                            "download, about {extract} to extract", year=fplan.year, layout=fplan.layout,
                            path=root.path,
                            archives=len(fplan.steps), download=human_bytes(fplan.download_bytes),
                            extract=human_bytes(fplan.extract_bytes)),
                    argv=fetch_argv(req), bytes_to_move=fplan.download_bytes, params={"request": req})
        notes = [f"{s.archive.name}: {s.action} ({human_bytes(s.archive.size)})" +
                 ("; " + _("{n} extracted files are gone: extract them again", n=s.gaps) if s.gaps else "")
                 for s in fplan.steps]
        notes.append(_("mirrors, in order: {mirrors}", mirrors=", ".join(fplan.mirrors) or "-"))
        if fplan.label_splits:
            notes.append(_("YOLO labels from instances_*.json for: {splits}",
                           splits=", ".join(fplan.label_splits)))
        return Plan(self.id, self.title, (step,), notes=tuple(notes))

    def container_plan(self, req: Any, name: str) -> Plan:
        """COCO missing in a container: download on the host, then copy it in (never a host download into
        a path that only means something inside the container)."""
        steps = (Step(ADVICE, _("download COCO on the host (choose a folder there)"),
                      argv=("mlu-doctor", "fetch-coco", "--year", req.year, "--dest", "HOST_DIR")),
                 Step(ADVICE, _("then copy it into the container at {path}", path=req.dest),
                      argv=("mlu-doctor", "inject", "--container", name, "HOST_DIR", req.dest)))
        return Plan(self.id, self.title, steps)

    def call(self, step: Step, gateways: Any) -> str:
        """Plan again from what is on disk now (a resumed download continues), then fetch."""
        from mlu_doctor.download import fetch, plan_fetch
        from mlu_doctor.download.progress import progress_for_stderr
        from mlu_doctor.recipes.apply import StepFailed

        result = fetch(plan_fetch(step.param("request")), progress=progress_for_stderr())
        if not result.ok:
            raise StepFailed("; ".join(result.problems))
        return _("fetched {n} archive(s)", n=len(result.files))


def missing_access(c: ContainerFacts | None) -> DatasetAccess | None:
    """The first dataset the host has that reaches the container neither by a mount nor by a copy."""
    return next((a for a in (c.datasets_access if c else []) if a.host_exists and a.via is None), None)


def expected_dest(c: ContainerFacts | None, access: DatasetAccess | None) -> str | None:
    """Where the container expects the dataset: its own $COCO_DIR, else the path the host uses."""
    if c is not None and c.env.get("COCO_DIR"):
        return c.env["COCO_DIR"]
    return access.host_path if access else None


class InjectDataset(Recipe):
    """Copy a host dataset into a running container (`mlu-doctor inject`), resumable and verified."""

    id = "dataset.inject"
    title = "Copy the dataset into the running container"
    fixes = ("container.dataset",)
    needs = ("datasets",)

    def target(self, facts: Facts, config: Config, ctx: PlanContext) -> tuple[Any, Any, Any]:
        """(container, host source, container destination): `inject:` in the config wins over the facts."""
        conf = config.raw.get("inject") or {}
        c = facts.container
        scope = ctx.scope.split(":", 1)[1] if ctx.scope.startswith("container:") else None
        container = conf.get("container") or (c.name if c else None) or scope
        access = missing_access(c)
        src = conf.get("src") or (access.host_path if access else None)
        dest = conf.get("dest") or expected_dest(c, access) or src
        return container, src, dest

    def plan(self, facts: Facts, config: Config, ctx: PlanContext) -> Plan:
        container, src, dest = self.target(facts, config, ctx)
        if facts.container is not None and not (config.raw.get("inject") or {}).get("src") \
                and missing_access(facts.container) is None:
            return Plan(self.id, self.title)  # every dataset already reaches the container
        if not (container and src and dest):
            step = Step(ADVICE, _("copy your dataset into the container"),
                        argv=("mlu-doctor", "inject", "--container", str(container or "NAME"),
                              str(src or "SRC"), str(dest or "DEST")))
            return Plan(self.id, self.title, (step,))
        size = tree_bytes(src) if ctx.is_dir(src) else 0
        if facts.container is not None and not facts.container.running:
            return self.stopped_plan(container, src, dest, size)
        copy = Step(CALL, _("copy {src} into {container}:{dest} (only what is missing is sent)",
                            src=src, container=container, dest=dest),
                    argv=("mlu-doctor", "inject", "--container", container, src, dest),
                    bytes_to_move=size, params={"container": container, "src": src, "dest": dest})
        mount = Step(ADVICE, _("or, if the container can be recreated, bind-mount instead of copying"),
                     argv=("docker", "run", "-v", f"{src}:{dest}:ro", "...", "IMAGE"))
        return Plan(self.id, self.title, (copy, mount))

    def stopped_plan(self, container: str, src: str, dest: str, size: int) -> Plan:
        """Injection needs a running container: starting one is the user's decision."""
        steps = (Step(ADVICE, _("start the container first (injection needs it running)"),
                      argv=("docker", "start", container)),
                 Step(ADVICE, _("then copy {src} into {container}:{dest}", src=src, container=container,
                                dest=dest),
                      argv=("mlu-doctor", "fix", "dataset.inject", "--container", container),
                      bytes_to_move=size))
        return Plan(self.id, self.title, steps)

    def call(self, step: Step, gateways: Any) -> str:
        from mlu_doctor.inject.run import InjectRequest, inject
        from mlu_doctor.output.terminal import progress_allowed
        from mlu_doctor.recipes.apply import StepFailed

        req = InjectRequest(container=step.param("container"), src=step.param("src"), dest=step.param("dest"))
        result = inject(req, progress=progress_allowed(sys.stderr))
        if not result.verified:
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
