"""When a month's report is due, and the reminder days.

The seed: 「每月28日前报送**上月**“护校安园”行动工作情况及统计表」 — the report *for* month M is
due in month M+1. The day is `campaigns.selectors.monthly_due_day(region, year, month)` (the
seed's 28th unless the campaign covering the *reported* month says otherwise), the date is that
day of the following month, clamped to its length (a reported January with day 30 is due 28
February; a reported December is due in January of the next year). A month's report can be
submitted only once the month has ended (`is_ended`); drafts may be filled in at any time.

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
    """The day by which (year, month)'s report of a unit in `region` must be submitted: the
    campaign's due day (for the reported month) in the following month."""
    return due_in_next_month(int(monthly_due_day(region, year, month)), year, month)


def due_in_next_month(day: int, year: int, month: int) -> dt.date:
    """`day` of the month after (year, month), clamped to that month's length."""
    ny, nm = next_month(year, month)
    return dt.date(ny, nm, min(max(day, 1), calendar.monthrange(ny, nm)[1]))


def is_ended(year: int, month: int, today: dt.date) -> bool:
    """Whether (year, month) is over on `today` (its report may then be submitted)."""
    return month_bounds(year, month)[1] < today


def month_now_due(today: dt.date) -> tuple[int, int]:
    """The most recent ended month: the one whose report is due this month."""
    return prev_month(today.year, today.month)


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
