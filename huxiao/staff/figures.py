"""The 统计表 columns of the staff register (seed §四（一）二, §四（二）四), computed from the
records instead of typed: at the end of the period, how many people were on duty, how many had a
valid background check, how many had none (never checked, or run out), and how many 专职保安员 had
no valid 保安员证. The guards on hand and licensed are the standards app's columns (专职保安员实配数,
持证保安员数), read from this register through the same facts the 三防 engine judges.

No column says how many checks came back 有异常: a count per school would point at a person's
criminal record for everyone who reads the school's table; the 学区 sees them on its 台账.
A school without a register reports 0 here: the columns say what the register holds.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import BooleanField, ExpressionWrapper, QuerySet

from huxiao.core.registry import SECTION_A, Column
from huxiao.staff.choices import StaffRole, Standing
from huxiao.staff.models import StaffMember
from huxiao.staff.querysets import StaffQuerySet, licence_valid_q

COLUMNS = [
    Column("st_staff", "在册教职员工（含保安、门卫、宿管）", SECTION_A, 60, "人"),
    Column("st_checked", "人员审查有效", SECTION_A, 61, "人"),
    Column("st_overdue", "人员审查过期或未审查", SECTION_A, 62, "人"),
    Column("st_guards_unlicensed", "专职保安员无证或证件过期", SECTION_A, 63, "人"),
]


def _rows(members: StaffQuerySet, end: dt.date) -> list[tuple]:
    """(school, standing, role, licence valid) of everyone on duty at `end`."""
    return list(
        members.on_duty(end)
        .with_standing(end)
        .annotate(licensed=ExpressionWrapper(licence_valid_q(end), output_field=BooleanField()))
        .values_list("school_id", "standing", "role", "licensed")
    )


def _counts(rows: list[tuple]) -> dict[str, int]:
    return {
        "st_staff": len(rows),
        "st_checked": sum(1 for r in rows if r[1] in (Standing.VALID, Standing.EXPIRING)),
        "st_overdue": sum(1 for r in rows if r[1] in (Standing.EXPIRED, Standing.NONE)),
        "st_guards_unlicensed": sum(1 for r in rows if r[2] == StaffRole.GUARD and not r[3]),
    }


def provider(schools: QuerySet, start: dt.date, end: dt.date) -> dict[str, int]:
    """The columns over the set of schools, as of the end of the period (one query)."""
    return _counts(_rows(StaffMember.objects.filter(school__in=schools), end))


def by_school(schools: QuerySet, start: dt.date, end: dt.date) -> dict[int, dict[str, int]]:
    """The same per school (one query)."""
    grouped: dict[int, list[tuple]] = defaultdict(list)
    for row in _rows(StaffMember.objects.filter(school__in=schools), end):
        grouped[row[0]].append(row)
    return {school_id: _counts(rows) for school_id, rows in grouped.items()}
