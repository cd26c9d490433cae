"""What the drill register tells the standards engine (`core.registry.register_facts`):
`register_drills` — the 疏散 drills (紧急疏散, 消防, 地震, 防踩踏: `choices.EVACUATION_KINDS`) held
in the semester of the day judged, up to that day, for each school that has recorded a drill; a
school that has recorded none gives no fact, and the engine keeps the profile's typed number
(marked 自报)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db.models import Count, Q

from huxiao.core.registry import Fact
from huxiao.core.semesters import current_or_last
from huxiao.incidents.choices import EVACUATION_KINDS
from huxiao.incidents.models import Drill

FACTS = [Fact("register_drills", "本学期疏散演练（据演练台账）", "次")]


def provider(schools: Sequence[Any], on: dt.date) -> dict[int, dict[str, Any]]:
    """One query: per school that has recorded a drill by `on`, its 疏散 drills this semester."""
    semester = current_or_last(on)
    rows = (
        Drill.objects.filter(school_id__in=[s.pk for s in schools], held_on__lte=on)
        .values("school_id")
        .annotate(
            n=Count(
                "pk",
                filter=Q(kind__in=EVACUATION_KINDS, held_on__gte=semester.start, held_on__lte=semester.end),
            )
        )
        .order_by()
    )
    return {row["school_id"]: {"register_drills": row["n"]} for row in rows}
