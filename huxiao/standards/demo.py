"""Demo data of this app, loaded by `huxiao.demo.loader` after the district, schools, accounts
and hazards exist. Idempotent: a second run creates nothing (the seed skips existing rulesets,
an unchanged evaluation is not stored again and the gap sync never duplicates a hazard)."""

from __future__ import annotations

from django.db import transaction

from huxiao.schools.models import School
from huxiao.standards.models import Ruleset
from huxiao.standards.seed import seed_rulesets
from huxiao.standards.services import evaluate_schools


def load(ctx) -> dict[str, int]:
    """Seed the rulesets; evaluate every demo school once the whole demo has committed — the
    apps that load after this one (inspections, 护学岗) provide facts the rules read."""
    seed_rulesets()
    ids = sorted(s.pk for s in ctx.schools.values())

    def evaluate() -> None:
        evaluate_schools(School.objects.filter(pk__in=ids).select_related("region").order_by("pk"))

    transaction.on_commit(evaluate)
    return {"standards_rulesets": Ruleset.objects.count()}
