"""Next year's campaign from this one: dates one year later (29 February → 28 February), the
plan copied, the evidence and the 六项机制 records not."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from huxiao.campaigns import services
from huxiao.campaigns.choices import CampaignStatus, GroupRole, TaskStatus, TextKind
from huxiao.campaigns.dates import shift_years
from huxiao.campaigns.models import Campaign
from huxiao.campaigns.tests.factories import make_campaign, phase
from huxiao.testsupport.cast import audit_mark, audit_since

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("day", "shifted"),
    [
        (dt.date(2021, 4, 23), dt.date(2022, 4, 23)),
        (dt.date(2021, 12, 31), dt.date(2022, 12, 31)),
        (dt.date(2024, 2, 29), dt.date(2025, 2, 28)),  # the rule: the last day of February
        (dt.date(2023, 2, 28), dt.date(2024, 2, 28)),  # a 28 February stays the 28th in a leap year
    ],
)
def test_shift_years(day, shifted):
    assert shift_years(day) == shifted


def _filled(cast) -> Campaign:
    c = make_campaign(cast, 2021, document_number="蒲吕办发〔2021〕50号", issued_on=dt.date(2021, 4, 23))
    services.group_member_add(
        acting_user=None,
        campaign=c,
        role=GroupRole.LEADER,
        person_name="唐志远",
        title="政法书记",
        organisation=cast.pulv_office,
    )
    services.participant_add(
        acting_user=None,
        campaign=c,
        organisation=cast.pulv_police,
        duty="建立问题清单",
        reports_monthly=False,
    )
    services.plan_text_add(
        acting_user=None, campaign=c, kind=TextKind.MEASURE, title="推进校园内部安防建设", body="……"
    )
    task = services.task_create(
        acting_user=None,
        campaign=c,
        title="建立问题清单",
        organisation=cast.pulv_police,
        due=dt.date(2021, 5, 25),
    )
    services.task_complete(acting_user=None, task=task, expected_version=task.version, evidence="清单已建立")
    services.meeting_record(
        acting_user=cast.centre_officer,
        campaign=c,
        held_on=dt.date(2021, 5, 27),
        title="第一次联席会议",
        topics="部署整改",
        attendee_orgs=[cast.pulv_police, cast.pulv_centre],
        decisions=[
            {"title": "制定重大隐患方案", "organisation": cast.pulv_centre, "due": dt.date(2021, 6, 30)}
        ],
    )
    return c


def test_next_year_copies_the_plan_with_dates_one_year_later(cast):
    src = _filled(cast)
    mark = audit_mark()
    new = services.campaign_copy_next_year(acting_user=cast.centre_officer, campaign=src)
    assert new.name == "蒲吕街道2022年中小学幼儿园“护校安园”专项行动"
    assert (new.year, new.status, new.copied_from_id) == (2022, CampaignStatus.DRAFT, src.pk)
    assert (new.start_date, new.end_date) == (dt.date(2022, 4, 23), dt.date(2023, 1, 31))
    assert new.summary_due == dt.date(2023, 1, 20) and new.document_number == ""
    assert [(p.name, p.start, p.end, p.start_label, p.gates) for p in new.phases.order_by("order")] == [
        (p.name, shift_years(p.start), shift_years(p.end), p.start_label, p.gates)
        for p in src.phases.order_by("order")
    ]
    assert list(new.group.values_list("role", "person_name", "title")) == [
        (GroupRole.LEADER, "唐志远", "政法书记")
    ]
    assert list(new.participants.values_list("organisation_id", "duty")) == [
        (cast.pulv_police.pk, "建立问题清单")
    ]
    assert new.texts.count() == 1
    # the plan's task, reset and without evidence; the meeting's decision is not copied
    (task,) = new.tasks.all()
    assert (task.title, task.due, task.status, task.evidence, task.completed_at) == (
        "建立问题清单",
        dt.date(2022, 5, 25),
        TaskStatus.TODO,
        "",
        None,
    )
    assert task.phase.campaign_id == new.pk and task.phase.name == "摸排"
    assert new.meetings.count() == 0
    (event,) = audit_since(mark)
    assert event.action == "campaign.copy_next_year" and event.after["copied_from"] == src.pk


def test_a_phase_ending_on_29_february_ends_on_28_february_next_year(cast):
    phases = [{"name": "巩固提高", "start": dt.date(2023, 11, 26), "end": dt.date(2024, 2, 29)}]
    src = make_campaign(cast, 2023, phases=phases)
    new = services.campaign_copy_next_year(acting_user=None, campaign=src)
    (p,) = new.phases.all()
    assert (p.start, p.end) == (dt.date(2024, 11, 26), dt.date(2025, 2, 28))
    assert new.end_date == dt.date(2025, 2, 28)


def test_copying_twice_is_refused(cast):
    src = make_campaign(cast, 2021)
    services.campaign_copy_next_year(acting_user=None, campaign=src)
    with pytest.raises(ValidationError, match="已存在"):
        services.campaign_copy_next_year(acting_user=None, campaign=src)


def test_only_managers_copy(cast):
    src = make_campaign(cast, 2021)
    with pytest.raises(PermissionDenied):
        services.campaign_copy_next_year(acting_user=cast.police, campaign=src)


def test_the_copy_button_posts_and_lands_on_the_new_campaign(cast, client):
    src = make_campaign(cast, 2021)
    client.force_login(cast.safety_officer)
    response = client.post(f"/campaigns/{src.pk}/copy/")
    new = Campaign.objects.get(year=2022)
    assert response.status_code == 302 and response.url == f"/campaigns/{new.pk}/"
    client.force_login(cast.police)
    assert client.post(f"/campaigns/{src.pk}/copy/").status_code == 403
    client.force_login(cast.outsider)
    assert client.post(f"/campaigns/{src.pk}/copy/").status_code == 404
    assert phase(new, "验收").gates == phase(src, "验收").gates
