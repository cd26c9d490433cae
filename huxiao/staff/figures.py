"""The 统计表 columns of the staff register (seed §四（一）二, §四（二）四), computed from the
records instead of typed: at the end of the period, how many people were on duty, how many had a
valid background check and how many were overdue; how many guards were licensed and how many not.

A school without a register reports nothing here (0): the columns say what the register holds.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import QuerySet

from huxiao.core.registry import SECTION_A, Column
from huxiao.staff.choices import GUARD_ROLES, Standing
from huxiao.staff.models import StaffMember

COLUMNS = [
    Column("st_staff", "在册教职员工（含保安、门卫、宿管）", SECTION_A, 60, "人"),
    Column("st_checked", "人员审查有效", SECTION_A, 61, "人"),
    Column("st_overdue", "人员审查过期或未审查", SECTION_A, 62, "人"),
    Column("st_adverse", "审查有异常待处理", SECTION_A, 63, "人"),
    Column("st_guards", "专职保安员和门卫", SECTION_A, 64, "人"),
    Column("st_guards_licensed", "其中持证上岗", SECTION_A, 65, "人"),
    Column("st_guards_unlicensed", "其中无证或证件过期", SECTION_A, 66, "人"),
]


def _rows(members: QuerySet, end: dt.date) -> list[tuple]:
    """(school, standing, role, licence number, issued, valid until) of everyone on duty at `end`."""
    return list(
        members.on_duty(end)
        .with_standing(end)
        .values_list(
            "school_id", "standing", "role", "licence_number", "licence_issued_on", "licence_valid_until"
        )
    )


def _counts(rows: list[tuple], end: dt.date) -> dict[str, int]:
    guards = [r for r in rows if r[2] in GUARD_ROLES]
    licensed = [r for r in guards if r[3] and (r[4] is None or r[4] <= end) and (r[5] is None or r[5] >= end)]
    return {
        "st_staff": len(rows),
        "st_checked": sum(1 for r in rows if r[1] in (Standing.VALID, Standing.EXPIRING)),
        "st_overdue": sum(1 for r in rows if r[1] in (Standing.EXPIRED, Standing.NONE)),
        "st_adverse": sum(1 for r in rows if r[1] == Standing.ADVERSE),
        "st_guards": len(guards),
        "st_guards_licensed": len(licensed),
        "st_guards_unlicensed": len(guards) - len(licensed),
    }


def provider(schools: QuerySet, start: dt.date, end: dt.date) -> dict[str, int]:
    """The columns over the set of schools, as of the end of the period (one query)."""
    return _counts(_rows(StaffMember.objects.filter(school__in=schools), end), end)


def by_school(schools: QuerySet, start: dt.date, end: dt.date) -> dict[int, dict[str, int]]:
    """The same per school (one query)."""
    grouped: dict[int, list[tuple]] = defaultdict(list)
    for row in _rows(StaffMember.objects.filter(school__in=schools), end):
        grouped[row[0]].append(row)
    return {school_id: _counts(rows, end) for school_id, rows in grouped.items()}
