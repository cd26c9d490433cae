"""The demo works on any day: loaded a year from now, in a holiday week or in spring, it still
shows a campaign in 验收 named after that year, last month's 统计表 due and not yet submitted by some units,
overdue and escalated hazards, and 护学岗 records of the last school days — not a story frozen
on the day it was written."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from huxiao.accounts.models import User
from huxiao.campaigns.choices import CampaignStatus
from huxiao.campaigns.models import Campaign, PhaseEntry, Task
from huxiao.campaigns.selectors import campaign_progress
from huxiao.demo.loader import STORY_DAY, load_demo, story_shift
from huxiao.duty.models import DutyRecord
from huxiao.hazards.models import Hazard
from huxiao.monthly import selectors as monthly
from huxiao.monthly.due import month_now_due, prev_month

pytestmark = pytest.mark.django_db
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def test_the_story_moves_by_whole_weeks_and_never_into_the_future():
    assert story_shift(STORY_DAY) == dt.timedelta(0)
    for days in (1, 6, 7, 365, 400, 3000):
        today = STORY_DAY + dt.timedelta(days=days)
        shift = story_shift(today)
        assert shift.days % 7 == 0 and 0 <= (today - (STORY_DAY + shift)).days <= 6


@pytest.mark.parametrize(
    "moment",
    [
        dt.datetime(2027, 12, 7, 9, 0, tzinfo=SHANGHAI),  # a year after this test was written
        dt.datetime(2027, 10, 4, 9, 0, tzinfo=SHANGHAI),  # inside the 国庆 holiday week
        dt.datetime(2028, 3, 15, 9, 0, tzinfo=SHANGHAI),  # spring term, another year
    ],
    ids=["a-year-ahead", "holiday-week", "spring"],
)
def test_the_demo_loaded_on_another_day_tells_the_same_story(settings, tmp_path, moment):
    settings.MEDIA_ROOT = tmp_path / "media"
    with time_machine.travel(moment, tick=False):
        load_demo()
        today = timezone.localdate()

        campaign = Campaign.objects.get(status=CampaignStatus.ACTIVE)
        assert campaign.issued_on <= today and str(campaign.issued_on.year) in campaign.name
        progress = campaign_progress(campaign, today=today)
        assert [p.name for p in progress.current_phases] == ["验收", "巩固提高"]
        assert progress.overdue >= 2 and Task.objects.filter(campaign=campaign, status="done").exists()
        assert PhaseEntry.objects.filter(phase__campaign=campaign).count() == 3
        assert all(e.applied_at.date() <= today for e in PhaseEntry.objects.all())

        assert Hazard.objects.overdue(today).exists()
        assert Hazard.objects.filter(escalation__gt=0).exists()
        assert not Hazard.objects.filter(found_on__gt=today).exists()

        # last month's 统计表 is the one due: some units submitted, some have not (late once its
        # due day has passed), and the month before by (nearly) all
        status = monthly.submission_status(User.objects.get(username="pinganban"), *month_now_due(today))
        assert status.submitted and len(status.submitted) < len(status.due)
        before = monthly.submission_status(
            User.objects.get(username="pinganban"), *prev_month(*month_now_due(today))
        )
        assert len(before.submitted) >= 12 and len(before.submitted) > len(status.submitted)

        assert DutyRecord.objects.filter(date__lt=today, date__gte=today - dt.timedelta(days=30)).exists()
