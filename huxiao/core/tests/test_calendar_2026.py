"""Known facts of the 2026 calendar (State Council schedule, via `holidays`), and the estimate
warning for years whose schedule is not yet published."""

import datetime as dt

import holidays
import pytest

from huxiao.core.calendar import (
    add_working_days,
    estimate_warning,
    is_estimated,
    is_working_day,
    working_days_between,
)

MAKE_UP_2026 = sorted(d for d in holidays.China(years=2026).weekend_workdays if d.year == 2026)


def test_the_2026_schedule_has_make_up_days():
    assert len(MAKE_UP_2026) >= 5
    assert all(d.weekday() >= 5 for d in MAKE_UP_2026)


@pytest.mark.parametrize("day", MAKE_UP_2026, ids=str)
def test_the_2026_make_up_weekend_days_are_working_days(day):
    assert is_working_day(day)


@pytest.mark.parametrize(
    "day",
    [dt.date(2026, 10, d) for d in range(1, 8)]
    + [dt.date(2026, 1, 1), dt.date(2026, 2, 17), dt.date(2026, 5, 1)],
    ids=str,
)
def test_2026_holidays_are_off(day):
    assert not is_working_day(day)


def test_national_day_week_2026():
    # 30 Sept (Wed) → the 8th, then the 9th, then Saturday the 10th, a make-up working day
    assert add_working_days(dt.date(2026, 9, 30), 1) == dt.date(2026, 10, 8)
    assert add_working_days(dt.date(2026, 9, 30), 3) == dt.date(2026, 10, 10)
    assert working_days_between(dt.date(2026, 9, 30), dt.date(2026, 10, 12)) == 4


def test_2026_is_official_and_2027_is_estimated():
    assert not is_estimated(2026)
    assert is_estimated(2027)


def test_the_warning_names_the_estimated_year_in_chinese():
    warning = estimate_warning(dt.date(2026, 12, 20), dt.date(2027, 1, 15))
    assert "2027年" in warning and "2026年" not in warning
    assert "估算" in warning and "国务院办公厅" in warning


def test_no_warning_for_official_years_or_missing_dates():
    assert estimate_warning(dt.date(2026, 3, 10), dt.date(2026, 10, 8)) == ""
    assert estimate_warning(None) == ""


def test_an_estimated_year_still_rests_at_weekends_and_statutory_holidays():
    assert not is_working_day(dt.date(2027, 10, 1))  # National Day, by rule
    assert not is_working_day(dt.date(2027, 1, 2))  # a Saturday
    assert is_working_day(dt.date(2027, 3, 10))  # a Wednesday
