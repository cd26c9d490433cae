"""Working-day arithmetic (DESIGN §4.6), as properties over every date 2020–2030: counting n
working days on lands on a working day, later for larger n, and counting back gives n."""

import datetime as dt

import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st

from huxiao.core.calendar import add_working_days, is_working_day, working_days_between

dates = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 12, 31))
counts = st.integers(min_value=0, max_value=60)


@given(dates, st.integers(min_value=1, max_value=60))
def test_adding_working_days_lands_on_a_working_day(day, n):
    assert is_working_day(add_working_days(day, n))


@given(dates, counts, counts)
def test_adding_more_working_days_never_lands_earlier(day, m, n):
    m, n = sorted((m, n))
    assert add_working_days(day, m) <= add_working_days(day, n)
    if m < n:
        assert add_working_days(day, m) < add_working_days(day, n)


@given(dates, counts)
def test_counting_back_gives_the_number_added(day, n):
    assert working_days_between(day, add_working_days(day, n)) == n


@given(dates, counts)
def test_no_working_day_is_skipped(day, n):
    """Between day and the n-th working day after it lie exactly n-1 working days."""
    end = add_working_days(day, n)
    between = [day + dt.timedelta(days=i) for i in range(1, (end - day).days)]
    assert sum(is_working_day(d) for d in between) == max(n - 1, 0)


@given(dates)
def test_adding_zero_is_the_day_itself(day):
    assert add_working_days(day, 0) == day


@given(dates, dates)
def test_between_is_zero_backwards_and_additive_forwards(a, b):
    start, end = sorted((a, b))
    assert working_days_between(end, start) == 0
    middle = start + (end - start) / 2
    assert working_days_between(start, end) == working_days_between(start, middle) + working_days_between(
        middle, end
    )


@given(dates)
def test_an_ordinary_weekday_works_and_an_ordinary_weekend_rests(day):
    """Off weekdays are holidays; working weekend days are make-up days (调休) — nothing else."""
    cn = holidays.China(years=day.year)
    if is_working_day(day) and day.weekday() >= 5:
        assert day in cn.weekend_workdays
    if not is_working_day(day) and day.weekday() < 5:
        assert day in cn


def test_a_negative_count_is_refused():
    with pytest.raises(ValueError):
        add_working_days(dt.date(2026, 3, 10), -1)
