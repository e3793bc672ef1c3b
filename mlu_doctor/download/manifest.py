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
    """Read and validate a manifest YAML file (the bundled one by default); bounded and safe
    (mlu_doctor.untrusted)."""
    from mlu_doctor.defaults import YAML_FILE_LIMIT
    from mlu_doctor.untrusted import InputProblem, load_yaml, read_input, refusal

    path = path or DEFAULT_MANIFEST
    try:
        text = read_input(path, YAML_FILE_LIMIT).decode("utf-8")
    except (OSError, ValueError) as exc:
        raise UsageError(refusal(path, exc, _("manifest"))) from None
    try:
        data = load_yaml(text, path)
    except InputProblem as exc:
        raise UsageError(_("manifest {error}", error=exc)) from None
    return parse_manifest(data, path)


def parse_manifest(data: object, path: str = "<manifest>") -> Manifest:
    """Validate manifest data (already parsed YAML)."""
    if not isinstance(data, dict) or not isinstance(data.get("years"), dict):
        raise UsageError(_("manifest {path} needs a 'years' mapping", path=path))
    years = {str(y): _year(str(y), body, path) for y, body in data["years"].items()}
    return Manifest(path=path, official=str(data.get("official") or ""), years=years)


def _year(year: str, body: object, path: str) -> YearManifest:
    if not year.replace("-", "").replace("_", "").isalnum():
        raise UsageError(_("manifest {path}: year {year!r} must be letters and digits only", path=path,
                           year=year))
    if not isinstance(body, dict) or not isinstance(body.get("archives"), list):
        raise UsageError(_("manifest {path}: year {year} needs an 'archives' list", path=path, year=year))
    archives = tuple(_archive(item, path) for item in body["archives"])
    holdout = body.get("holdout") or 0
    if isinstance(holdout, bool) or not isinstance(holdout, int) or holdout < 0:
        raise UsageError(_("manifest {path}: year {year} has holdout {value!r}; it must be a whole number of "
                           "at least 0", path=path, year=year, value=holdout))
    return YearManifest(year=year, archives=archives, holdout=holdout)


def _archive(item: object, path: str) -> Archive:
    fields = ("name", "path", "part", "size", "sha256")
    if not isinstance(item, dict) or any(f not in item for f in fields):
        raise UsageError(_("manifest {path}: each archive needs {fields}", path=path,
                           fields=", ".join(fields)))
    name = str(item["name"])
    sha = str(item["sha256"]).lower()
    if len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha):
        raise UsageError(_("manifest {path}: {name} has a malformed sha256", path=path, name=name))
    if item["part"] not in PARTS or item["part"] == "labels":
        raise UsageError(_("manifest {path}: {name} has unknown part {part!r}", path=path, name=name,
                           part=item["part"]))
    if not _plain_name(name):
        raise UsageError(_("manifest {path}: archive name {name!r} must be a plain file name (no folders, no "
                           "..)",
                           path=path, name=name))
    extract_to = str(item.get("extract_to") or ".")
    if not _inside(extract_to):
        raise UsageError(_("manifest {path}: {name} has extract_to {value!r}, which leads outside the "
                           "destination",
                           path=path, name=name, value=extract_to))
    return Archive(
        name=name, path=str(item["path"]).lstrip("/"), part=str(item["part"]),
        size=_count(item, "size", path, name, minimum=1), sha256=sha, md5=str(item.get("md5") or "").lower(),
        split=str(item.get("split") or ""), images=_count(item, "images", path, name, minimum=0),
        extract_to=extract_to,
    )


def _count(item: dict, key: str, path: str, name: str, minimum: int) -> int:
    """A whole number >= minimum (YAML may give a string like 12abc, a float, a bool or a negative number)."""
    value = item.get(key) or 0
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise UsageError(_("manifest {path}: {name} has {key} {value!r}; it must be a whole number of at "
                           "least {minimum}", path=path, name=name, key=key, value=value, minimum=minimum))
    return value


def _plain_name(name: str) -> bool:
    return (bool(name) and name not in (".", "..") and "/" not in name and "\\" not in name
            and "\0" not in name)


def _inside(rel: str) -> bool:
    """A relative folder that stays inside the destination."""
    parts = rel.replace("\\", "/").split("/")
    return (not rel.startswith(("/", "\\")) and ".." not in parts and "\0" not in rel
            and not (len(rel) > 1 and rel[1] == ":"))
