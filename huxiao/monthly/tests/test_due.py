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
from huxiao.monthly.due import due_date, is_ended, month_now_due, reminder_days
from huxiao.notifications.models import Notification
from huxiao.testsupport.clock import SHANGHAI


@pytest.mark.parametrize(
    ("day", "year", "month", "expected"),
    [
        (28, 2026, 10, dt.date(2026, 11, 28)),  # October's report, due in November: a Saturday, kept
        (28, 2026, 11, dt.date(2026, 12, 28)),
        (28, 2027, 1, dt.date(2027, 2, 28)),  # January's report is due in February
        (30, 2027, 1, dt.date(2027, 2, 28)),  # day 30 clamped to February
        (31, 2028, 1, dt.date(2028, 2, 29)),  # leap year
        (31, 2026, 3, dt.date(2026, 4, 30)),  # clamped to April
        (31, 2026, 4, dt.date(2026, 5, 31)),  # April has 30 days, May 31: not clamped
        (28, 2026, 12, dt.date(2027, 1, 28)),  # December → next year's January
        (31, 2026, 12, dt.date(2027, 1, 31)),
        (28, 2024, 12, dt.date(2025, 1, 28)),  # 除夕 2025, a public holiday: kept
    ],
)
def test_the_due_date_is_the_configured_day_of_the_following_month(settings, day, year, month, expected):
    """每月28日前报送上月统计表: the report for a month is due in the next month."""
    settings.HUXIAO_MONTHLY_DUE_DAY = day
    assert due_date(None, year, month) == expected


def test_the_campaign_covering_the_reported_month_sets_the_day(cast):
    """A campaign running in October only sets October's due day — due in November."""
    from huxiao.campaigns import services as campaign_services

    campaign_services.campaign_create(
        acting_user=None,
        region=cast.tongliang,
        name="十月专项行动",
        year=2026,
        status="active",
        monthly_due_day=10,
        phases=[{"name": "整治", "start": dt.date(2026, 10, 1), "end": dt.date(2026, 10, 31)}],
    )
    region = cast.qingsong.region
    assert due_date(region, 2026, 10) == dt.date(2026, 11, 10)
    assert due_date(region, 2026, 11) == dt.date(2026, 12, 28)  # November: no campaign, the 28th
    assert due_date(region, 2026, 9) == dt.date(2026, 10, 28)


def test_the_dashboard_due_dates_agree(cast, settings):
    from huxiao.dashboards.selectors import _due_dates

    for day in (28, 30, 31):
        settings.HUXIAO_MONTHLY_DUE_DAY = day
        for year, month in ((2026, 1), (2026, 10), (2026, 12), (2028, 1)):
            path = cast.qingsong.region.path
            assert _due_dates([path], year, month)[path] == due_date(cast.qingsong.region, year, month)


def test_the_month_now_due_is_the_last_ended_month():
    assert month_now_due(dt.date(2026, 11, 29)) == (2026, 10)
    assert month_now_due(dt.date(2027, 1, 3)) == (2026, 12)
    assert not is_ended(2026, 11, dt.date(2026, 11, 30)) and is_ended(2026, 11, dt.date(2026, 12, 1))


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
    """On 2026-11-25 the month now due is October (due Saturday the 28th): 3 days before."""
    from huxiao.monthly import services

    with time_machine.travel(dt.datetime(2026, 11, 25, 8, 0, tzinfo=SHANGHAI), tick=False):
        services.report_submit(
            acting_user=cast.mingde_lead,
            unit=cast.mingde.organisation,
            year=2026,
            month=10,
            expected_version=None,
        )
        call_command("monthly_reminders", stdout=io.StringIO())
        call_command("monthly_reminders", stdout=io.StringIO())
    sent = Notification.objects.filter(dedupe_key__startswith="monthly:")
    assert sent.filter(user=cast.qingsong_lead).count() == 1
    title = sent.get(user=cast.qingsong_lead).title
    assert title == "2026年10月护校安园统计表3天后到期（截止2026年11月28日）"
    assert not sent.filter(user=cast.mingde_lead).exists()
    assert sent.filter(user=cast.centre_officer).count() == 1  # the 学区 owes its own report
    outsider = sent.get(user=cast.outsider)  # 巴川平安办 is reminded of its own report only
    assert outsider.url == f"/monthly/{cast.bachuan_safety_office.pk}/2026/10/"
    with time_machine.travel(dt.datetime(2026, 11, 26, 8, 0, tzinfo=SHANGHAI), tick=False):
        call_command("monthly_reminders", stdout=io.StringIO())
    assert sent.filter(user=cast.qingsong_lead).count() == 1  # no reminder on the 26th
    with time_machine.travel(dt.datetime(2026, 12, 25, 8, 0, tzinfo=SHANGHAI), tick=False):
        call_command("monthly_reminders", stdout=io.StringIO())  # November's, due 12-28
    assert sent.get(user=cast.mingde_lead).title.startswith("2026年11月护校安园统计表3天后到期")
