"""The calendar of occasions: the 安全教育日 is the last Monday of March (the days it really fell
on), the fixed days, what is coming within the reminder window, the last one before a day."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from huxiao.education.choices import Occasion
from huxiao.education.occasions import last_on_or_before, next_on_or_after, occasion_date, upcoming


@pytest.mark.parametrize(
    ("year", "day"),
    [
        (2019, dt.date(2019, 3, 25)),  # 第24个
        (2020, dt.date(2020, 3, 30)),  # 第25个: the week runs into April
        (2022, dt.date(2022, 3, 28)),  # 第27个
        (2024, dt.date(2024, 3, 25)),
        (2025, dt.date(2025, 3, 31)),  # 第30个: March 31 itself
        (2026, dt.date(2026, 3, 30)),
    ],
)
def test_the_safety_education_day_is_the_last_monday_of_march(year, day):
    assert occasion_date(Occasion.SAFETY_DAY, year) == day


@given(st.integers(min_value=1, max_value=9999))
def test_the_safety_education_day_is_always_a_monday_in_the_last_week_of_march(year):
    day = occasion_date(Occasion.SAFETY_DAY, year)
    assert day is not None and day.weekday() == 0 and day.month == 3 and day.day >= 25


def test_the_fixed_days_and_the_undated_occasions():
    assert occasion_date(Occasion.SCHOOL_START, 2026) == dt.date(2026, 9, 1)
    assert occasion_date(Occasion.ANTI_DRUG, 2026) == dt.date(2026, 6, 26)
    assert occasion_date(Occasion.FIRE_DAY, 2026) == dt.date(2026, 11, 9)
    assert occasion_date(Occasion.TRAFFIC_DAY, 2026) == dt.date(2026, 12, 2)
    assert occasion_date(Occasion.CONSTITUTION_DAY, 2026) == dt.date(2026, 12, 4)
    assert occasion_date(Occasion.DROWNING, 2026) is None
    assert occasion_date(Occasion.OTHER, 2026) is None


def test_what_is_coming_within_the_window_crosses_the_new_year():
    assert upcoming(dt.date(2026, 11, 27), 7) == [
        (Occasion.TRAFFIC_DAY, dt.date(2026, 12, 2)),
        (Occasion.CONSTITUTION_DAY, dt.date(2026, 12, 4)),
    ]
    assert upcoming(dt.date(2026, 12, 5), 7) == []
    assert upcoming(dt.date(2026, 12, 20), 120) == [(Occasion.SAFETY_DAY, dt.date(2027, 3, 29))]
    assert upcoming(dt.date(2026, 12, 2), 0) == [(Occasion.TRAFFIC_DAY, dt.date(2026, 12, 2))]
    assert upcoming(dt.date(9999, 12, 20), 30) == []  # no year 10000
    assert next_on_or_after(dt.date(2026, 11, 10)) == (Occasion.TRAFFIC_DAY, dt.date(2026, 12, 2))


def test_the_last_day_of_an_occasion_on_or_before_a_day():
    assert last_on_or_before(Occasion.CONSTITUTION_DAY, dt.date(2026, 11, 29)) == dt.date(2025, 12, 4)
    assert last_on_or_before(Occasion.FIRE_DAY, dt.date(2026, 11, 9)) == dt.date(2026, 11, 9)
    assert last_on_or_before(Occasion.DROWNING, dt.date(2026, 11, 9)) is None
    assert last_on_or_before(Occasion.FIRE_DAY, dt.date(1, 1, 1)) is None
