"""The archive manifest: every file with its pinned size and SHA-256, per COCO year."""

from __future__ import annotations

import os
from dataclasses import dataclass

from mlu_doctor.errors import UsageError
from mlu_doctor.i18n import _

DEFAULT_MANIFEST = os.path.join(os.path.dirname(os.path.dirname(__file__)), "recipes", "coco_manifest.yaml")
PARTS = ("train", "val", "test", "annotations", "labels")
DEFAULT_PARTS = ("train", "val", "annotations", "labels")


@dataclass(frozen=True)
class Archive:
    """One downloadable archive: where it lives on a mirror and what its bytes must be."""

    name: str
    path: str
    part: str
    size: int
    sha256: str
    md5: str = ""
    split: str = ""
    images: int = 0
    extract_to: str = "."


@dataclass(frozen=True)
class YearManifest:
    """The archives of one COCO year plus how many val images yolov3's 5k.txt holds out."""

    year: str
    archives: tuple[Archive, ...]
    holdout: int = 0

    def select(self, parts: tuple[str, ...]) -> tuple[Archive, ...]:
        """Archives for `parts`; labels need the annotations archive."""
        wanted = set(parts) | ({"annotations"} if "labels" in parts else set())
        return tuple(a for a in self.archives if a.part in wanted)


@dataclass(frozen=True)
class Manifest:
    """All years of a manifest file and its official base URL."""

    path: str
    official: str
    years: dict[str, YearManifest]

    def year(self, year: str) -> YearManifest:
        if year not in self.years:
            raise UsageError(_("{path} has no COCO year {year} (it has: {years})",
                               path=self.path, year=year, years=", ".join(sorted(self.years))))
        return self.years[year]


def load_manifest(path: str | None = None) -> Manifest:
    """Read and validate a manifest YAML file (the bundled one by default)."""
    import yaml

    path = path or DEFAULT_MANIFEST
    try:
        with open(path, encoding="utf-8") as fh:
            data = yaml.safe_load(fh)
    except OSError as exc:
        raise UsageError(_("cannot read manifest {path}: {error}", path=path, error=exc.strerror)) from None
    except yaml.YAMLError as exc:
        raise UsageError(_("manifest {path} is not valid YAML: {error}", path=path, error=exc)) from None
    return parse_manifest(data, path)


def parse_manifest(data: object, path: str = "<manifest>") -> Manifest:
    """Validate manifest data (already parsed YAML)."""
    if not isinstance(data, dict) or not isinstance(data.get("years"), dict):
        raise UsageError(_("manifest {path} needs a 'years' mapping", path=path))
    years = {str(y): _year(str(y), body, path) for y, body in data["years"].items()}
    return Manifest(path=path, official=str(data.get("official") or ""), years=years)


def _year(year: str, body: object, path: str) -> YearManifest:
    if not isinstance(body, dict) or not isinstance(body.get("archives"), list):
        raise UsageError(_("manifest {path}: year {year} needs an 'archives' list", path=path, year=year))
    archives = tuple(_archive(item, path) for item in body["archives"])
    return YearManifest(year=year, archives=archives, holdout=int(body.get("holdout") or 0))


def _archive(item: object, path: str) -> Archive:
    fields = ("name", "path", "part", "size", "sha256")
    if not isinstance(item, dict) or any(f not in item for f in fields):
        raise UsageError(_("manifest {path}: each archive needs {fields}", path=path, fields=", ".join(fields)))
    sha = str(item["sha256"]).lower()
    if len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha):
        raise UsageError(_("manifest {path}: {name} has a malformed sha256", path=path, name=item["name"]))
    if item["part"] not in PARTS or item["part"] == "labels":
        raise UsageError(_("manifest {path}: {name} has unknown part {part!r}", path=path, name=item["name"],
                           part=item["part"]))
    return Archive(
        name=str(item["name"]), path=str(item["path"]).lstrip("/"), part=str(item["part"]),
        size=int(item["size"]), sha256=sha, md5=str(item.get("md5") or "").lower(),
        split=str(item.get("split") or ""), images=int(item.get("images") or 0),
        extract_to=str(item.get("extract_to") or "."),
    )
