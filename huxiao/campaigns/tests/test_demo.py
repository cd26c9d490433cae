"""The demo holds the seed's 2021 campaign as the plan says and a campaign in progress today;
loading it twice adds nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from huxiao.campaigns.choices import CampaignStatus, GroupRole, TaskStatus, TextKind
from huxiao.campaigns.models import AlertRecipient, Campaign, Circular, Meeting, Task
from huxiao.campaigns.selectors import campaign_progress
from huxiao.demo.loader import story_shift

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path):
    from huxiao.demo.loader import load_demo

    settings.MEDIA_ROOT = tmp_path / "media"
    return load_demo()


def test_the_seeds_2021_campaign(demo):
    c = Campaign.objects.get(year=2021)
    assert c.name == "蒲吕街道2021年中小学幼儿园“护校安园”专项行动"
    assert (c.region.name, c.issuer.name, c.document_number, c.issued_on) == (
        "蒲吕街道",
        "蒲吕街道办事处",
        "蒲吕办发〔2021〕50号",
        dt.date(2021, 4, 23),
    )
    assert c.status == CampaignStatus.CLOSED and c.office_org.name == "蒲吕学区管理中心"
    assert [(p.name, p.start, p.end) for p in c.phases.order_by("order")] == [
        ("摸排", dt.date(2021, 4, 23), dt.date(2021, 5, 25)),
        ("整改", dt.date(2021, 5, 26), dt.date(2021, 11, 25)),
        ("验收", dt.date(2021, 11, 26), dt.date(2022, 1, 31)),
        ("巩固提高", dt.date(2021, 11, 26), dt.date(2022, 1, 31)),
    ]
    assert c.phases.get(name="验收").gates == [
        {"check": "no_live_hazards", "params": {"severities": ["major"]}}
    ]
    titles = dict(c.group.filter(role__in=[GroupRole.LEADER, GroupRole.DEPUTY]).values_list("role", "title"))
    assert titles == {GroupRole.LEADER: "街道分管综治的政法书记", GroupRole.DEPUTY: "分管教育的党工委委员"}
    assert c.group.filter(role=GroupRole.OFFICE_DIRECTOR, organisation__name="蒲吕学区管理中心").exists()
    assert (c.monthly_due_day, c.summary_due, c.summary_recipient.name) == (
        28,
        dt.date(2022, 1, 20),
        "蒲吕派出所",
    )
    assert (
        c.texts.filter(kind=TextKind.MEASURE).count() == 6
        and c.texts.filter(kind=TextKind.REQUIREMENT).count() == 4
    )
    assert c.participants.filter(organisation__name="蒲吕学区管理中心", reports_monthly=True).exists()
    tasks = Task.objects.filter(campaign=c)
    assert tasks.filter(status=TaskStatus.DONE).count() == tasks.count() - 1
    assert Meeting.objects.filter(campaign=c).count() == 2


def test_the_campaign_in_progress_is_in_acceptance_today(demo):
    today = timezone.localdate()
    shift = story_shift(today)  # the 2026 story, moved by whole weeks to the day it was loaded
    c = Campaign.objects.get(status=CampaignStatus.ACTIVE)
    assert c.year == (dt.date(2026, 4, 20) + shift).year and c.issued_on == dt.date(2026, 4, 20) + shift
    progress = campaign_progress(c, today=today)
    assert [p.name for p in progress.current_phases] == ["验收", "巩固提高"]
    assert 0 < progress.done < progress.total and progress.overdue >= 2
    last_month = Meeting.objects.get(campaign=c, held_on=dt.date(2026, 10, 28) + shift)
    assert last_month.decisions.count() == 3
    recipients = AlertRecipient.objects.filter(alert__campaign=c)
    assert recipients.count() == 3 and recipients.filter(responded_at__isnull=False).count() == 2
    assert Circular.objects.filter(campaign=c).count() == 1


def test_loading_twice_adds_nothing(demo):
    from huxiao.demo.loader import load_demo

    before = (Campaign.objects.count(), Task.objects.count(), Meeting.objects.count())
    again = load_demo()
    assert (Campaign.objects.count(), Task.objects.count(), Meeting.objects.count()) == before
    assert again["campaigns"] == demo["campaigns"] == 2
