"""Hand-written SQL for the monthly columns simple enough to state in one query: the 护学岗 人次
(sums over the month's duty records at the schools of a region subtree)."""

from __future__ import annotations

import datetime as dt

from django.db import connection

DUTY_TIMES_SQL = """
SELECT COALESCE(SUM(r.police), 0), COALESCE(SUM(r.aux_police), 0), COALESCE(SUM(r.guards), 0),
       COALESCE(SUM(r.teachers), 0), COALESCE(SUM(r.volunteers), 0), COALESCE(SUM(r.cars), 0)
FROM duty_dutyrecord r
JOIN duty_dutypost p ON p.id = r.post_id
JOIN schools_school s ON s.id = p.school_id
WHERE r.date >= %s AND r.date <= %s AND NOT s.is_archived
  AND s.region_id IN (SELECT id FROM core_region WHERE path LIKE %s)
"""
DUTY_TIMES_KEYS = [
    "duty_police_times",
    "duty_aux_times",
    "duty_guard_times",
    "duty_teacher_times",
    "duty_volunteer_times",
    "duty_car_times",
]


def duty_times(path: str, start: dt.date, end: dt.date) -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(DUTY_TIMES_SQL, [start, end, path + "%"])
        return {k: int(v) for k, v in zip(DUTY_TIMES_KEYS, cursor.fetchone(), strict=True)}
