"""The calendar of education occasions: on which day of a year each dated occasion falls.

- 开学第一课: 9月1日 (秋季开学; the national 开学第一课 is broadcast that evening);
- 全国中小学生安全教育日: 每年3月最后一周的星期一 since 1996, i.e. the last Monday of March — the
  week is the one holding that Monday, not the last week wholly inside March: 2020-03-30,
  2022-03-28 and 2025-03-31 were 安全教育日, where "the last full week" would give the 23rd,
  21st and 24th;
- 6·26国际禁毒日, 119消防宣传日 (11月9日), 12·2全国交通安全日, 12·4国家宪法日: fixed days.

防溺水 (before the summer, a season rather than a day) and 其他 have no date: no reminder.
"""

from __future__ import annotations

import datetime as dt

from huxiao.education.choices import Occasion

FIXED: dict[str, tuple[int, int]] = {
    Occasion.SCHOOL_START: (9, 1),
    Occasion.ANTI_DRUG: (6, 26),
    Occasion.FIRE_DAY: (11, 9),
    Occasion.TRAFFIC_DAY: (12, 2),
    Occasion.CONSTITUTION_DAY: (12, 4),
}
DATED = (Occasion.SAFETY_DAY, *FIXED)


def last_monday_of_march(year: int) -> dt.date:
    last = dt.date(year, 3, 31)
    return last - dt.timedelta(days=last.weekday())


def occasion_date(occasion: str, year: int) -> dt.date | None:
    """The day `occasion` falls on in `year`, or None for an occasion without a fixed day."""
    if occasion == Occasion.SAFETY_DAY:
        return last_monday_of_march(year)
    if occasion in FIXED:
        month, day = FIXED[occasion]
        return dt.date(year, month, day)
    return None


def upcoming(today: dt.date, days: int) -> list[tuple[str, dt.date]]:
    """The dated occasions falling within `days` days from `today` (today included), in order."""
    years = [y for y in (today.year, today.year + 1) if y <= dt.MAXYEAR]
    found = []
    for year in years:
        for occasion in DATED:
            day = occasion_date(occasion, year)
            if day is not None and 0 <= (day - today).days <= days:
                found.append((occasion, day))
    return sorted(found, key=lambda pair: pair[1])


def last_on_or_before(occasion: str, day: dt.date) -> dt.date | None:
    """The latest day of `occasion` not after `day` (None for an undated occasion)."""
    this_year = occasion_date(occasion, day.year)
    if this_year is None:
        return None
    if this_year <= day:
        return this_year
    return occasion_date(occasion, day.year - 1) if day.year > dt.MINYEAR else None


def next_on_or_after(day: dt.date) -> tuple[str, dt.date] | None:
    """The next dated occasion from `day` on (within a year)."""
    found = upcoming(day, 366)
    return found[0] if found else None
