"""The 统计表 columns of the gate log (seed §四（二）四: 外来人员、车辆登记 … 安全检查), computed from
the records instead of typed: visitors and vehicles registered in the month, how many of them
were screened at the gate, and the 接送异常 recorded. Counts only — no name reaches the table."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from huxiao.core.registry import SECTION_B, Column
from huxiao.gate.selectors import Totals, counts_by_school

# research/regulations.md §3 has no gate item: placed after item 22 (人员审查), before section C.
COLUMNS = [
    Column("gate_visitors", "外来人员登记", SECTION_B, 225, "人次"),
    Column("gate_vehicles", "外来车辆登记", SECTION_B, 226, "车次"),
    Column("gate_screened", "门卫安检（人员和车辆）", SECTION_B, 227, "人次"),
    Column("gate_pickups", "学生接送异常登记", SECTION_B, 228, "人次"),
]


def _values(t: Totals) -> dict[str, int]:
    return {
        "gate_visitors": t.visitors,
        "gate_vehicles": t.vehicles,
        "gate_screened": t.screened,
        "gate_pickups": t.pickups,
    }


def by_school(schools: QuerySet, start: dt.date, end: dt.date) -> dict[int, dict[str, int]]:
    """The columns per school over [start, end] (three grouped queries)."""
    return {pk: _values(t) for pk, t in counts_by_school(schools.values("pk"), start, end).items()}


def provider(schools: QuerySet, start: dt.date, end: dt.date) -> dict[str, int]:
    """The columns summed over the set of schools (the per-school answer, added up)."""
    total = {c.key: 0 for c in COLUMNS}
    for values in by_school(schools, start, end).values():
        for key, n in values.items():
            total[key] += n
    return total
