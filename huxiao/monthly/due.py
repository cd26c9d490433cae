"""When a month's report is due, and the reminder days.

Due date = `campaigns.selectors.monthly_due_day(region, year, month)` (the seed's 28th unless a
campaign says otherwise), clamped to the month's length (a due day of 30 is 28 February).

A due date on a weekend or holiday is **kept**: the seed fixes a calendar day (每月28日前), the
platform accepts reports on any day, and moving it earlier would make units late a day before the
date everyone was told. What changes is the warning: the unit is reminded 3 days before, on
the last working day before a non-working due day, and on the due day itself.
"""

from __future__ import annotations

import calendar
import datetime as dt

from huxiao.campaigns.selectors import monthly_due_day
from huxiao.core.calendar import is_working_day


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    """First and last day of the month."""
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def due_date(region, year: int, month: int) -> dt.date:
    """The day by which (year, month)'s report of a unit in `region` must be submitted."""
    day = int(monthly_due_day(region, year, month))
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(max(day, 1), last))


def last_working_day_before(day: dt.date) -> dt.date:
    day -= dt.timedelta(days=1)
    while not is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


def reminder_days(due: dt.date) -> dict[dt.date, str]:
    """The days a unit that has not submitted is reminded, with what the reminder says."""
    days = {due - dt.timedelta(days=3): "3天后到期"}
    if not is_working_day(due):
        days.setdefault(last_working_day_before(due), "到期日为非工作日，请在今日前报送")
    days[due] = "今日到期"
    return days


def prev_month(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


def next_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)
