"""What the staff register tells the standards engine (`core.registry.register_facts`): the guards
the 三防 rules count, for each school that keeps a register — a school without one gives no facts,
and the engine falls back to the profile's typed number (marked 自报).

* `register_guards` — on-duty 专职保安员/门卫 licensed, trained and cleared (`qualified_guards`);
* `register_guards_total` — every on-duty 专职保安员/门卫;
* `register_houseparents` — on-duty 宿管/生活管理教师.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from typing import Any

from django.db.models import Count, Q

from huxiao.core.registry import Fact
from huxiao.staff.choices import GUARD_ROLES, StaffRole
from huxiao.staff.models import StaffMember

FACTS = [
    Fact("register_guards", "在册合格专职保安员（持证、培训、审查有效）", "名"),
    Fact("register_guards_total", "在册专职保安员和门卫", "名"),
    Fact("register_houseparents", "在册宿管/生活管理教师", "名"),
]


def provider(schools: Sequence[Any], on: dt.date) -> dict[int, dict[str, Any]]:
    """The three facts for each school with a register as of `on` (two queries)."""
    ids = [s.pk for s in schools]
    keeping = set(
        StaffMember.objects.filter(school_id__in=ids, started_on__lte=on).values_list("school_id", flat=True)
    )
    if not keeping:
        return {}
    counts = {
        row["school_id"]: row
        for row in StaffMember.objects.filter(school_id__in=keeping)
        .on_duty(on)
        .values("school_id")
        .annotate(
            guards=Count("pk", filter=Q(role__in=GUARD_ROLES)),
            houseparents=Count("pk", filter=Q(role=StaffRole.HOUSEPARENT)),
        )
    }
    # counted in Python: the standing is itself an aggregate, which SQL cannot group again
    qualified = Counter(
        StaffMember.objects.filter(school_id__in=keeping)
        .qualified_guards(on)
        .values_list("school_id", flat=True)
    )
    return {
        school_id: {
            "register_guards": qualified.get(school_id, 0),
            "register_guards_total": counts.get(school_id, {}).get("guards", 0),
            "register_houseparents": counts.get(school_id, {}).get("houseparents", 0),
        }
        for school_id in keeping
    }
