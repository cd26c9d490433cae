"""Due dates: the configured day clamped to the month, kept on a weekend or holiday;
reminders 3 days before, on the last working day before a non-working due day, and on the day;
the command sends each reminder once."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command

from huxiao.core.calendar import is_working_day
from huxiao.hazards.tests.factories import SHANGHAI
from huxiao.monthly.due import due_date, reminder_days
from huxiao.notifications.models import Notification


@pytest.mark.parametrize(
    ("day", "year", "month", "expected"),
    [
        (28, 2026, 11, dt.date(2026, 11, 28)),  # a Saturday: kept (每月28日前)
        (28, 2027, 2, dt.date(2027, 2, 28)),
        (31, 2027, 2, dt.date(2027, 2, 28)),  # clamped to February
        (30, 2028, 2, dt.date(2028, 2, 29)),  # leap year
        (31, 2026, 4, dt.date(2026, 4, 30)),
        (31, 2026, 12, dt.date(2026, 12, 31)),
        (28, 2025, 1, dt.date(2025, 1, 28)),  # 除夕, a public holiday: kept
    ],
)
def test_due_date_is_the_configured_day_clamped_to_the_month(settings, day, year, month, expected):
    settings.HUXIAO_MONTHLY_DUE_DAY = day
    assert due_date(None, year, month) == expected


def test_a_holiday_due_day_is_kept_but_warned_on_the_working_day_before():
    due = dt.date(2025, 1, 28)  # 除夕 2025, 春节 holiday
    assert not is_working_day(due)
    days = reminder_days(due)
    assert days[due] == "今日到期"
    assert days[dt.date(2025, 1, 25)] == "3天后到期"
    assert dt.date(2025, 1, 27) in days  # Monday 27 January, the last working day before it


def test_a_saturday_due_day_warns_on_friday():
    days = reminder_days(dt.date(2026, 11, 28))
    assert set(days) == {dt.date(2026, 11, 25), dt.date(2026, 11, 27), dt.date(2026, 11, 28)}


def test_an_ordinary_due_day_has_two_reminders():
    assert set(reminder_days(dt.date(2026, 10, 28))) == {dt.date(2026, 10, 25), dt.date(2026, 10, 28)}


def test_the_reminder_command_is_idempotent_and_skips_submitted_units(cast):
    from huxiao.monthly import services

    with time_machine.travel(dt.datetime(2026, 11, 25, 8, 0, tzinfo=SHANGHAI), tick=False):
        services.report_submit(
            acting_user=cast.mingde_lead,
            unit=cast.mingde.organisation,
            year=2026,
            month=11,
            expected_version=None,
        )
        call_command("monthly_reminders", stdout=io.StringIO())
        call_command("monthly_reminders", stdout=io.StringIO())
    sent = Notification.objects.filter(dedupe_key__startswith="monthly:")
    assert sent.filter(user=cast.qingsong_lead).count() == 1
    assert "3天后到期" in sent.get(user=cast.qingsong_lead).title
    assert not sent.filter(user=cast.mingde_lead).exists()
    assert sent.filter(user=cast.centre_officer).count() == 1  # the 学区 owes its own report
    outsider = sent.get(user=cast.outsider)  # 巴川平安办 is reminded of its own report only
    assert outsider.url == f"/monthly/{cast.bachuan_safety_office.pk}/2026/11/"
    with time_machine.travel(dt.datetime(2026, 11, 26, 8, 0, tzinfo=SHANGHAI), tick=False):
        call_command("monthly_reminders", stdout=io.StringIO())
    assert sent.filter(user=cast.qingsong_lead).count() == 1  # no reminder on the 26th
