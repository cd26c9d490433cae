"""What the gate log tells the standards engine (`core.registry.register_facts`): whether the
visitors and vehicles let in during the 30 days up to a date were all given the 安检 (seed §四（一）
五: 严防将管制刀具、易燃易爆等危险物品带入校园). A school with no entry in that window gives no fact,
and the rule reads "unknown" — the engine never counts a silent gate as a pass.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from huxiao.core.registry import Fact
from huxiao.gate.models import VehicleEntry, VisitorEntry

WINDOW_DAYS = 30
FACTS = [Fact("gate_screening", f"近{WINDOW_DAYS}天外来人员、车辆入校均经安检")]


def provider(schools: Sequence[Any], on: dt.date) -> dict[int, dict[str, Any]]:
    """`gate_screening` for each school with gate entries in the window ending `on` (two queries)."""
    ids = [s.pk for s in schools]
    end = timezone.make_aware(dt.datetime.combine(on + dt.timedelta(days=1), dt.time.min))
    start = end - dt.timedelta(days=WINDOW_DAYS)
    totals: dict[int, list[int]] = {}
    for model in (VisitorEntry, VehicleEntry):
        rows = (
            model.objects.filter(school_id__in=ids, entered_at__gte=start, entered_at__lt=end)
            .values("school_id")
            .annotate(n=Count("pk"), unscreened=Count("pk", filter=Q(screened=False)))
        )
        for row in rows:
            total = totals.setdefault(row["school_id"], [0, 0])
            total[0] += row["n"]
            total[1] += row["unscreened"]
    return {
        school_id: {"gate_screening": unscreened == 0} for school_id, (n, unscreened) in totals.items() if n
    }
