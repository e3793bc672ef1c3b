"""Dataset checks: the COCO roots the config, $COCO_DIR or the project name are complete."""

from __future__ import annotations

from mlu_doctor.checks import check
from mlu_doctor.config import Config
from mlu_doctor.facts.model import DatasetRoot, Facts
from mlu_doctor.findings import Evidence, Finding, fail, ok, skip, warn
from mlu_doctor.i18n import _


def _counts(root: DatasetRoot) -> str:
    parts = []
    for s in root.splits:
        parts.append(_("{split}: {images} images, {labels} labels", split=s.name,
                       images="-" if s.images is None else s.images, labels="-" if s.labels is None
                       else s.labels))
    return "; ".join(parts)


def _evidence(root: DatasetRoot) -> Evidence:
    lines = [f"{s.images_dir}: {s.images}" for s in root.splits]
    lines += [f"{s.list_file}: {s.list_entries} entries" for s in root.splits if s.list_file]
    lines += [f"annotations: {', '.join(root.annotations) or '-'}"]
    return Evidence(f"dir:{root.path}", "\n".join(lines))


@check("dataset.coco", "COCO datasets are complete", needs=("datasets",), recipe="dataset.coco")
def dataset_coco(facts: Facts, config: Config) -> Finding:
    """Every configured or project-named COCO root has its splits, images, labels and list files."""
    roots = facts.datasets.roots if facts.datasets is not None else []
    if not roots:
        return skip(_("no COCO root configured or named by the project "
                      "(looked at .mlu-doctor.yaml datasets.coco, $COCO_DIR, data/coco2014.data, "
                      "data/coco.yaml)"))
    bad = [r for r in roots if r.problems and (r.exists or r.source in ("config", "COCO_DIR"))]
    absent = [r for r in roots if not r.exists and r not in bad]  # named by a project data file only
    if absent and not bad:
        first = absent[0]
        return warn(_("COCO is not at {path} where {source} expects it (the training script would try to "
                      "download it)",
                      path=first.path, source=first.source),
                    remedy=_("Fetch it ahead (mlu-doctor fix dataset.coco), or edit {source} / set "
                             "datasets.coco in "
                             ".mlu-doctor.yaml if you keep COCO elsewhere.", source=first.source))
    if bad:
        first = bad[0]
        summary = _("COCO at {path} ({source}): {problems}", path=first.path, source=first.source,
                    problems=", ".join(first.problems[:4]))
        details = "\n".join(_("{path} ({source}): {problems}", path=r.path, source=r.source,
                              problems=", ".join(r.problems)) for r in bad)
        return fail(summary, details=details, evidence=tuple(_evidence(r) for r in bad if r.exists)[:3],
                    remedy=_("Fetch what is missing into {path} (mlu-doctor fix dataset.coco), or point "
                             "datasets.coco in .mlu-doctor.yaml or $COCO_DIR at a complete copy.",
                             path=first.path))
    small = [r for r in roots if r.smaller]
    if small:
        first = small[0]
        return warn(_("COCO at {path} ({source}) is smaller than COCO: {notes}", path=first.path,
                      source=first.source, notes=", ".join(first.smaller[:4])),
                    details=_("No fetch-coco record says what was extracted here, so a deliberate subset "
                              "cannot be told from an incomplete copy."),
                    evidence=tuple(_evidence(r) for r in small)[:3],
                    remedy=_("If this is not a subset on purpose, fetch the rest into {path} (mlu-doctor fix "
                             "dataset.coco), or point datasets.coco in .mlu-doctor.yaml or $COCO_DIR at a "
                             "complete copy.", path=first.path))
    text = " | ".join(_("COCO {year} at {path}: {counts}", year=r.year or "?", path=r.path, counts=_counts(r))
                      for r in roots)
    return ok(text, evidence=tuple(_evidence(r) for r in roots)[:3])


CHECKS = (dataset_coco,)
