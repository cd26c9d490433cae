"""Reads of campaigns that other apps use."""

from __future__ import annotations

from django.conf import settings


def monthly_due_day(region, year: int, month: int) -> int:
    """The day of the month by which the monthly 统计表 for (year, month) is due in `region`.

    The default is `HUXIAO_MONTHLY_DUE_DAY` (the seed's 28th); a campaign covering the month
    in the region (or an ancestor region) may set its own schedule.
    """
    return settings.HUXIAO_MONTHLY_DUE_DAY
