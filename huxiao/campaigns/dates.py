"""Date rules of campaigns (framework-free)."""

from __future__ import annotations

import calendar
import datetime as dt


def shift_years(day: dt.date, years: int = 1) -> dt.date:
    """The same calendar day `years` later. The one day that does not exist every year, 29
    February, becomes 28 February (the last day of the same month), so a phase that ended on
    the last day of February still ends in February."""
    year = day.year + years
    last = calendar.monthrange(year, day.month)[1]
    return day.replace(year=year, day=min(day.day, last))


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, 1), dt.date(year, month, last)
