"""Reminders before a dated occasion: the safety lead and principal of each school without an
activity for it this year are told once per school, occasion and year — however often the daily
job runs; a school that has recorded one, or one without its own unit, is not."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from huxiao.accounts.roles import RoleCode
from huxiao.education import services
from huxiao.education.choices import NotifyKind, Occasion
from huxiao.education.tests.builders import activity
from huxiao.notifications.models import Notification
from huxiao.testsupport.cast import make_user
from huxiao.testsupport.clock import SHANGHAI

NOV_27 = dt.datetime(2026, 11, 27, 7, 0, tzinfo=SHANGHAI)  # 12·2 in 5 days, 12·4 in 7
pytestmark = [pytest.mark.django_db, pytest.mark.frozen(NOV_27)]


def told() -> list[tuple[str, str]]:
    rows = Notification.objects.filter(kind=NotifyKind.REMIND).order_by("user__username", "title")
    return [(n.user.username, n.title.partition("（")[0]) for n in rows]


def test_each_school_without_the_activity_is_told_once(cast, django_capture_on_commit_callbacks):
    make_user("qingsong_principal", cast.qingsong.organisation, RoleCode.PRINCIPAL)
    activity(
        cast.qingsong_lead, cast.qingsong, occasion=Occasion.CONSTITUTION_DAY, held_on=dt.date(2026, 3, 2)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.remind_occasions() == 3  # 青松: 12·2; 明德: 12·2 and 12·4
    assert told() == [
        ("mingde_lead", "12·2全国交通安全日"),
        ("mingde_lead", "12·4国家宪法日"),
        ("qingsong_lead", "12·2全国交通安全日"),
        ("qingsong_principal", "12·2全国交通安全日"),
    ]
    note = Notification.objects.filter(user=cast.mingde_lead, title__startswith="12·4").get()
    assert note.title == "12·4国家宪法日（12月4日）还有7天，本校（园）今年尚未记录该主题的安全教育活动"
    assert note.url == "/education/new/?occasion=constitution_day"
    # the police, the 学区 and the district are not told: the school organises its own lessons
    assert not Notification.objects.filter(
        user__in=[cast.police, cast.centre_officer, cast.official]
    ).exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.remind_occasions() == 0
        assert services.remind_occasions(dt.date(2026, 11, 28)) == 0
    assert Notification.objects.filter(kind=NotifyKind.REMIND).count() == 4


def test_nothing_is_due_outside_the_window(cast, settings):
    settings.HUXIAO_EDUCATION_REMIND_DAYS = 3
    assert services.remind_occasions() == 0
    assert services.remind_occasions(dt.date(2026, 11, 29)) == 2  # 12·2 for 青松 and 明德


def test_the_daily_command_runs_twice_and_tells_once(cast, django_capture_on_commit_callbacks):
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("education_daily", stdout=out)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("education_daily", stdout=out)
    assert "提醒 4 次" in out.getvalue() and "提醒 0 次" in out.getvalue()
    assert Notification.objects.filter(kind=NotifyKind.REMIND).count() == 4
