"""Working days on the Chinese calendar, with 调休 (make-up working days) — the one place
deadlines are counted (DESIGN §4.6).

Data comes from the maintained `holidays` package (`holidays.China`), which carries the
State Council's official schedule — public holidays *and* the weekend days that become
working days — for the years it has been published. For a year without an official
schedule (e.g. the next year before the notice is out, or later years) we fall back to
"weekends and the statutory holidays the library computes by rule, no 调休", and say so:
`is_estimated(year)` is True and pages show `estimate_warning(...)`.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _year(year: int) -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    """(days off that are not weekends or are holidays, weekend days that are working days)."""
    cn = holidays.China(years=year)
    off = frozenset(d for d in cn if d.year == year)
    make_up = frozenset(d for d in getattr(cn, "weekend_workdays", set()) if d.year == year)
    return off, make_up


def is_estimated(year: int) -> bool:
    """True when the library has no official 调休 schedule for `year` (weekend fallback in use).

    Every year since 2008 has had make-up working days, so a year with none is one whose
    schedule has not been published (or not yet reached the library)."""
    return not _year(year)[1]


def is_working_day(day: dt.date) -> bool:
    """Monday–Friday unless a public holiday; Saturday/Sunday only when it is a make-up day."""
    off, make_up = _year(day.year)
    if day in make_up:
        return True
    if day in off:
        return False
    return day.weekday() < 5


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The n-th working day after `start` (n ≥ 0; n = 0 returns `start` itself)."""
    if n < 0:
        raise ValueError("n must be ≥ 0")
    day = start
    while n > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            n -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days in (start, end] — how many working days `end` lies after `start`; 0 if end ≤ start."""
    if end <= start:
        return 0
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


def estimate_warning(*days: dt.date) -> str:
    """A Chinese warning naming the years counted by the fallback, or '' when all are official."""
    years = sorted({d.year for d in days if d and is_estimated(d.year)})
    if not years:
        return ""
    names = "、".join(f"{y}年" for y in years)
    return f"{names}放假调休安排尚未收录，工作日暂按周末及法定节假日估算，请以国务院办公厅通知为准。"
