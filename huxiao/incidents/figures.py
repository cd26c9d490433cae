"""The 统计表 columns of the incident register, computed from the records (counts only, never a
name), replacing hand-typed ※ columns: incidents that happened in the period and of those the 较大
and graver ones (for ※ 涉校警情/案件数); 一键报警 raised in the period that were real and that were
false alarms (tests are not counted); drills held in the period and their participants. A period
is [start, end] in local days."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet, Sum

from huxiao.core.registry import SECTION_B, Column
from huxiao.incidents.choices import REPORTED_UP, AlarmNature, AlarmSource
from huxiao.incidents.models import Alarm, Drill, Incident

COLUMNS = [
    Column("ic_incidents", "涉校案（事）件数", SECTION_B, 189, "起"),
    Column("ic_reported_up", "其中较大及以上", SECTION_B, 190, "起"),
    Column("al_real", "一键报警触发数（真警）", SECTION_B, 191, "次"),
    Column("al_false", "一键报警触发数（误报）", SECTION_B, 192, "次"),
    Column("dr_sessions", "应急疏散/反恐防暴演练场次", SECTION_B, 210, "场"),
    Column("dr_people", "应急疏散/反恐防暴演练参演人数", SECTION_B, 211, "人"),
]

_INCIDENTS = {
    "ic_incidents": Count("pk"),
    "ic_reported_up": Count("pk", filter=Q(grade__in=REPORTED_UP)),
}
_ONE_KEY = Q(source=AlarmSource.ONE_KEY)
_ALARMS = {
    "al_real": Count("pk", filter=_ONE_KEY & Q(nature=AlarmNature.REAL)),
    "al_false": Count("pk", filter=_ONE_KEY & Q(nature=AlarmNature.FALSE)),
}
_DRILLS = {"dr_sessions": Count("pk"), "dr_people": Sum("participants")}


def _sources(schools: QuerySet, start: dt.date, end: dt.date) -> list[tuple[QuerySet, dict]]:
    return [
        (Incident.objects.filter(school__in=schools).occurred_between(start, end), _INCIDENTS),
        (Alarm.objects.filter(school__in=schools).raised_between(start, end), _ALARMS),
        (Drill.objects.filter(school__in=schools, held_on__range=(start, end)), _DRILLS),
    ]


def _zeros() -> dict[str, int]:
    return {column.key: 0 for column in COLUMNS}


def provider(schools: QuerySet, start: dt.date, end: dt.date) -> dict[str, int]:
    """The columns over the set of schools (three queries)."""
    values = _zeros()
    for rows, aggregates in _sources(schools, start, end):
        values.update({k: int(v or 0) for k, v in rows.aggregate(**aggregates).items()})
    return values


def by_school(schools: QuerySet, start: dt.date, end: dt.date) -> dict[int, dict[str, int]]:
    """The same per school (three queries)."""
    out: dict[int, dict[str, int]] = {}
    for rows, aggregates in _sources(schools, start, end):
        for row in rows.values("school_id").annotate(**aggregates).order_by():
            school_id = row.pop("school_id")
            out.setdefault(school_id, _zeros()).update({k: int(v or 0) for k, v in row.items()})
    return out
