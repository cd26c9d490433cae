"""What the staff register tells the standards engine (`core.registry.register_facts`): the guards
the 三防 rules count, for each school that keeps a register — a school without one gives no facts,
and the engine falls back to the profile's typed number (marked 自报).

* `register_guards` — on-duty 专职保安员 licensed, trained and cleared (`qualified_guards`);
* `register_guards_total` — every on-duty 专职保安员 (a 门卫 is kept and shown to the police, but
  the rules count 专职保安员);
* `register_guards_licensed` — those of them with a valid 保安员证 (the 统计表's 持证保安员数);
* `register_houseparents` — on-duty 宿管/生活管理教师;
* `register_equipment` — for a school that keeps an equipment register: the kinds whose latest
  check, within a year, found at least one in working order (the 三防 equipment rule reads it
  instead of the profile's ticked list).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from typing import Any

from django.db.models import Count, Q

from huxiao.core.registry import Fact
from huxiao.staff.choices import StaffRole
from huxiao.staff.models import EquipmentCheck, StaffMember
from huxiao.staff.querysets import licence_valid_q

FACTS = [
    Fact("register_guards", "在册合格专职保安员（持证、培训、审查有效）", "名"),
    Fact("register_guards_total", "在册专职保安员", "名"),
    Fact("register_guards_licensed", "在册持有效保安员证的专职保安员", "名"),
    Fact("register_houseparents", "在册宿管/生活管理教师", "名"),
    Fact("register_equipment", "装备器械台账中完好且一年内检查过的种类"),
]

EQUIPMENT_CHECK_DAYS = 365


def provider(schools: Sequence[Any], on: dt.date) -> dict[int, dict[str, Any]]:
    """The register facts of each school whose register holds a 专职保安员, and the equipment fact of each that
    keeps an equipment register, as of `on` (at most four queries)."""
    ids = [s.pk for s in schools]
    # a register counts for the guards once it holds a 专职保安员: teachers entered first do not
    # replace the profile's typed guard number with a zero
    keeping = set(
        StaffMember.objects.filter(school_id__in=ids, started_on__lte=on, role=StaffRole.GUARD).values_list(
            "school_id", flat=True
        )
    )
    counts = {
        row["school_id"]: row
        for row in StaffMember.objects.filter(school_id__in=keeping)
        .on_duty(on)
        .values("school_id")
        .annotate(
            guards=Count("pk", filter=Q(role=StaffRole.GUARD)),
            licensed=Count("pk", filter=Q(role=StaffRole.GUARD) & licence_valid_q(on)),
            houseparents=Count("pk", filter=Q(role=StaffRole.HOUSEPARENT)),
        )
    }
    # counted in Python: the standing is itself an aggregate, which SQL cannot group again
    qualified = Counter(
        StaffMember.objects.filter(school_id__in=keeping)
        .qualified_guards(on)
        .values_list("school_id", flat=True)
    )
    out: dict[int, dict[str, Any]] = {
        school_id: {
            "register_guards": qualified.get(school_id, 0),
            "register_guards_total": counts.get(school_id, {}).get("guards", 0),
            "register_guards_licensed": counts.get(school_id, {}).get("licensed", 0),
            "register_houseparents": counts.get(school_id, {}).get("houseparents", 0),
        }
        for school_id in keeping
    }
    for school_id, kinds in equipment(ids, on).items():
        out.setdefault(school_id, {})["register_equipment"] = kinds
    return out


def equipment(school_ids, on: dt.date) -> dict[int, list[str]]:
    """Per school with an equipment register: the kinds in working order, checked within a year."""
    out: dict[int, list[str]] = {}
    since = on - dt.timedelta(days=EQUIPMENT_CHECK_DAYS)
    for school_id, kind, working, checked_on in (
        EquipmentCheck.objects.filter(school_id__in=school_ids)
        .current(on)
        .values_list("school_id", "kind", "working", "checked_on")
    ):
        kinds = out.setdefault(school_id, [])
        if working >= 1 and checked_on >= since:
            kinds.append(kind)
    return {school_id: sorted(kinds) for school_id, kinds in out.items()}
