"""A site plugin for mlu-doctor: one check, the recipe that fixes it, one log signature."""

from __future__ import annotations

from mlu_doctor.checks import check
from mlu_doctor.config import Config
from mlu_doctor.explain.signatures import parse_signatures
from mlu_doctor.facts.model import Facts
from mlu_doctor.models import Finding, warn  # the 0.1 name, kept for plugins
from mlu_doctor.recipes.base import ADVICE, Plan, PlanContext, Recipe, Step


@check("site.gpu-quota", "Site quota policy", needs=("env",), recipe="site.quota")
def gpu_quota(facts: Facts, config: Config) -> Finding:
    """This site has no quota file yet."""
    return warn("quota file missing", remedy="ask the admins")


CHECKS = [gpu_quota]


class QuotaFile(Recipe):
    """Tells how to get a quota (advice only)."""

    id = "site.quota"
    title = "Request a GPU quota"
    fixes = ("site.gpu-quota",)

    def plan(self, facts: Facts, config: Config, ctx: PlanContext) -> Plan:
        step = Step(ADVICE, "request a quota from the site admins", argv=("site-quota", "request"))
        return Plan(self.id, self.title, steps=(step,))


SIGNATURES = parse_signatures("""
- id: log.site-quota-exceeded
  severity: fail
  keywords: ["quota exceeded"]
  patterns: ['GPU quota exceeded for (?P<user>\\w+)']
  title: "{user} ran out of quota"
  cause: "The site scheduler stopped the job."
  remedy: "Request more quota."
""", "site_doctor")
