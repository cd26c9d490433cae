"""Semesters (学期) and school days — shared by inspection frequency, 护学岗 coverage and reports.

Semesters come from `HUXIAO_SEMESTERS`: (name, first month, first day, last month, last day).
A semester whose last month is before its first month runs into the next calendar year
(秋季学期 September → January). Days outside every semester are vacation (寒假/暑假).
A *school day* is a working day (`core.calendar`, with 调休) inside a semester.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings

from huxiao.core.calendar import is_working_day


@dataclass(frozen=True)
class Semester:
    name: str  # 春季学期 / 秋季学期
    start: dt.date
    end: dt.date  # inclusive

    @property
    def label(self) -> str:
        """e.g. 2026—2027学年秋季学期 (a spring semester belongs to the school year begun the autumn before)."""
        first = self.start.year if self.start.month >= 8 else self.start.year - 1
        return f"{first}—{first + 1}学年{self.name}"

    def __contains__(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def _semesters_starting_in(year: int) -> list[Semester]:
    out = []
    for name, m1, d1, m2, d2 in settings.HUXIAO_SEMESTERS:
        end_year = year if (m2, d2) >= (m1, d1) else year + 1
        out.append(Semester(name, dt.date(year, m1, d1), dt.date(end_year, m2, d2)))
    return out


def semester_of(day: dt.date) -> Semester | None:
    """The semester containing `day`, or None in a vacation."""
    for year in (day.year - 1, day.year):
        for sem in _semesters_starting_in(year):
            if day in sem:
                return sem
    return None


def current_or_last(day: dt.date) -> Semester:
    """The semester containing `day`, else the most recent one that ended before it."""
    found = semester_of(day)
    if found:
        return found
    ended = [s for y in (day.year - 1, day.year) for s in _semesters_starting_in(y) if s.end < day]
    return max(ended, key=lambda s: s.end)


def is_school_day(day: dt.date) -> bool:
    """A working day (holidays and 调休 respected) inside a semester."""
    return semester_of(day) is not None and is_working_day(day)


def school_days(start: dt.date, end: dt.date) -> list[dt.date]:
    """School days in [start, end], in order."""
    days = []
    day = start
    while day <= end:
        if is_school_day(day):
            days.append(day)
        day += dt.timedelta(days=1)
    return days
