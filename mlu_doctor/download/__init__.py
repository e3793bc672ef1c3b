"""COCO downloads: manifest, mirrors, resumable segmented transfer, safe extraction, YOLO labels.

API for the `dataset.coco` recipe: `plan_fetch(FetchRequest(...)) -> FetchPlan` (no network) and
`fetch(plan) -> FetchResult`; both results are frozen dataclasses.
"""

from mlu_doctor.download.fetch import FetchResult, fetch
from mlu_doctor.download.plan import FetchPlan, FetchRequest, plan_fetch

__all__ = ["FetchPlan", "FetchRequest", "FetchResult", "fetch", "plan_fetch"]
