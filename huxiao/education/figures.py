"""The 统计表 columns of 安全教育 and 法治辅导员, computed from the records instead of typed
(they replace the ※ columns 安全教育/法治讲座场次, 受教育师生 and 法治辅导员配备数):

- 法治辅导员配备数: the schools with a 法治辅导员 in his term on the last day of the period
  (a school with two counts once — so a set's count is the sum of its schools');
- 安全教育/法治讲座场次 and 受教育师生人次: the activities held in the period and their head-counts;
- 法治辅导员进校次数: the counsellors' visits in the period (a lecture they recorded included).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, QuerySet, Sum

from huxiao.core.registry import SECTION_A, SECTION_B, Column
from huxiao.education.models import CounsellorAppointment, CounsellorVisit, EducationActivity

COLUMNS = [
    Column("edu_counsellors", "法治辅导员配备数", SECTION_A, 91, "所"),
    Column("edu_sessions", "安全教育/法治讲座场次", SECTION_B, 200, "场"),
    Column("edu_people", "受教育师生人次", SECTION_B, 201, "人次"),
    Column("edu_visits", "法治辅导员进校次数", SECTION_B, 202, "次"),
]
KEYS = [c.key for c in COLUMNS]


def _activities(schools: QuerySet, start: dt.date, end: dt.date):
    return EducationActivity.objects.filter(school__in=schools).held_between(start, end)


def _appointed(schools: QuerySet, end: dt.date):
    return CounsellorAppointment.objects.filter(school__in=schools).current(end)


def _visits(schools: QuerySet, start: dt.date, end: dt.date):
    return CounsellorVisit.objects.filter(appointment__school__in=schools).between(start, end)


def provider(schools: QuerySet, start: dt.date, end: dt.date) -> dict[str, int]:
    """The columns over the set of schools (three queries)."""
    held = _activities(schools, start, end).aggregate(n=Count("pk"), people=Sum("head_count"))
    return {
        "edu_counsellors": _appointed(schools, end).values("school_id").distinct().count(),
        "edu_sessions": int(held["n"] or 0),
        "edu_people": int(held["people"] or 0),
        "edu_visits": _visits(schools, start, end).count(),
    }


def by_school(schools: QuerySet, start: dt.date, end: dt.date) -> dict[int, dict[str, int]]:
    """The same per school (three queries)."""
    out: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(KEYS, 0))
    held = (
        _activities(schools, start, end)
        .values("school_id")
        .annotate(n=Count("pk"), people=Sum("head_count"))
        .order_by()
    )
    for row in held:
        out[row["school_id"]].update(edu_sessions=row["n"], edu_people=int(row["people"] or 0))
    for school_id in _appointed(schools, end).values_list("school_id", flat=True).distinct():
        out[school_id]["edu_counsellors"] = 1
    visits = _visits(schools, start, end).values("appointment__school_id").annotate(n=Count("pk")).order_by()
    for row in visits:
        out[row["appointment__school_id"]]["edu_visits"] = row["n"]
    return dict(out)
