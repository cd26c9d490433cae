"""Who sees a campaign (region coverage, units located in the region, participants) and who
manages it; a hostile user guessing ids gets 404 everywhere."""

from __future__ import annotations

import datetime as dt

import pytest

from huxiao.campaigns import services
from huxiao.campaigns.models import Campaign
from huxiao.campaigns.tests.factories import make_campaign
from huxiao.testsupport.cast import assert_redirects_to_login, make_user

pytestmark = pytest.mark.django_db

SEES = [
    "official",
    "safety_officer",
    "police",
    "centre_officer",
    "qingsong_lead",
    "mingde_lead",
    "observer",
]
MANAGES = {"official", "safety_officer", "centre_officer"}


def test_who_sees_pulvs_campaign(cast):
    campaign = make_campaign(cast)
    for name in SEES:
        assert list(Campaign.objects.visible_to(getattr(cast, name))) == [campaign], name
    assert not Campaign.objects.visible_to(cast.outsider).exists()
    for admin in ("sysadmin", "auditor", "secadmin"):  # 三员分立: no business records
        assert not Campaign.objects.visible_to(getattr(cast, admin)).exists(), admin


def test_who_manages_it(cast):
    campaign = make_campaign(cast)
    for name in [*SEES, "outsider"]:
        manages = (
            Campaign.objects.visible_to(getattr(cast, name), "campaign.manage")
            .filter(pk=campaign.pk)
            .exists()
        )
        assert manages == (name in MANAGES), name


def test_bachuan_sees_nothing_of_pulv_and_gets_404(cast, client):
    campaign = make_campaign(cast)
    task = services.task_create(
        acting_user=None, campaign=campaign, title="t", organisation=cast.pulv_police, due=dt.date(2026, 6, 1)
    )
    client.force_login(cast.outsider)
    assert campaign.name not in client.get("/campaigns/").content.decode()
    for url in [
        f"/campaigns/{campaign.pk}/",
        f"/campaigns/{campaign.pk}/gates/",
        f"/campaigns/{campaign.pk}/edit/",
        f"/campaigns/{campaign.pk}/summary.docx",
        f"/campaigns/{campaign.pk}/tasks/new/",
        f"/campaigns/tasks/{task.pk}/",
    ]:
        assert client.get(url).status_code == 404, url


def test_a_participating_unit_elsewhere_sees_the_campaign(cast):
    campaign = make_campaign(cast)
    traffic = make_user("traffic", cast.bachuan_police, "police")  # a unit outside 蒲吕 …
    assert not Campaign.objects.visible_to(traffic).exists()
    services.participant_add(
        acting_user=None, campaign=campaign, organisation=cast.bachuan_police, duty="协助整治交通"
    )
    assert list(Campaign.objects.visible_to(traffic)) == [campaign]  # … once it takes part


def test_read_only_and_school_users_cannot_manage(cast, client):
    campaign = make_campaign(cast)
    for user in (cast.observer, cast.qingsong_lead, cast.police):
        client.force_login(user)
        assert client.get(f"/campaigns/{campaign.pk}/").status_code == 200
        assert client.get(f"/campaigns/{campaign.pk}/edit/").status_code == 403
        assert client.get(f"/campaigns/{campaign.pk}/summary.docx").status_code == 403
        assert client.post(f"/campaigns/{campaign.pk}/copy/").status_code == 403


def test_anonymous_goes_to_login(cast, client):
    campaign = make_campaign(cast)
    assert_redirects_to_login(client.get("/campaigns/"))
    assert_redirects_to_login(client.get(f"/campaigns/{campaign.pk}/"))


def test_creating_a_campaign_through_the_form(cast, client):
    client.force_login(cast.safety_officer)
    assert client.get("/campaigns/new/").status_code == 200
    data = {
        "name": "蒲吕街道2027年“护校安园”专项行动",
        "year": 2027,
        "region": cast.pulv.pk,
        "status": "draft",
        "office_name": "领导小组办公室",
        "office_org": cast.pulv_centre.pk,
        "monthly_due_day": 28,
        "monthly_report_content": "上月工作情况及统计表",
        "phases-TOTAL_FORMS": 4,
        "phases-INITIAL_FORMS": 0,
        "phases-MIN_NUM_FORMS": 1,
        "phases-MAX_NUM_FORMS": 8,
        "phases-0-name": "摸排",
        "phases-0-start": "2027-04-20",
        "phases-0-end": "2027-05-25",
        "phases-1-name": "验收",
        "phases-1-start": "2027-11-26",
        "phases-1-end": "2028-01-31",
        "phases-1-gate_major": "on",
    }
    response = client.post("/campaigns/new/", data)
    campaign = Campaign.objects.get(year=2027)
    assert response.status_code == 302 and response.url == f"/campaigns/{campaign.pk}/"
    assert list(campaign.phases.values_list("name", "gates")) == [
        ("摸排", []),
        ("验收", [{"check": "no_live_hazards", "params": {"severities": ["major"]}}]),
    ]
    # 巴川 cannot place a campaign in 蒲吕: the region is not among its choices
    client.force_login(cast.outsider)
    data["name"] = "另一个"
    response = client.post("/campaigns/new/", data)
    assert response.status_code == 200 and "区划" in response.content.decode()
    assert Campaign.objects.count() == 1


def test_a_forged_phase_count_builds_no_more_than_eight_phase_rows(cast, client):
    """phases-TOTAL_FORMS=2⁶⁴ (found by core/tests/test_hostile_input.py) built and drew Django's
    default 1,008 phase rows — seconds of work for one request; now at most the 8 allowed."""
    client.force_login(cast.safety_officer)
    data = {"name": "行动", "year": 2027, "region": cast.pulv.pk, "status": "draft"}
    response = client.post(
        "/campaigns/new/", {**data, "phases-TOTAL_FORMS": 2**64, "phases-INITIAL_FORMS": 0}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "请最多提交 8 个表单" in page
    assert 'name="phases-8-name"' not in page and not Campaign.objects.exists()


def test_two_editors_one_wins(cast, client):
    campaign = make_campaign(cast)
    client.force_login(cast.safety_officer)
    base = {
        "name": campaign.name,
        "year": campaign.year,
        "status": "active",
        "office_name": "领导小组办公室",
        "office_org": cast.pulv_centre.pk,
        "monthly_due_day": 27,
        "monthly_report_content": "统计表",
        "version": campaign.version,
    }
    assert client.post(f"/campaigns/{campaign.pk}/edit/", base).status_code == 302
    client.force_login(cast.centre_officer)
    response = client.post(f"/campaigns/{campaign.pk}/edit/", {**base, "monthly_due_day": 20})
    assert response.status_code == 409 and "已被他人修改" in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.monthly_due_day == 27


def test_a_manager_removes_a_group_member(cast, client):
    from huxiao.campaigns.models import GroupMember

    campaign = make_campaign(cast)
    member = services.group_member_add(acting_user=None, campaign=campaign, role="member", title="成员")
    client.force_login(cast.observer)
    assert client.post(f"/campaigns/group/{member.pk}/remove/").status_code == 403
    client.force_login(cast.outsider)
    assert client.post(f"/campaigns/group/{member.pk}/remove/").status_code == 404
    client.force_login(cast.centre_officer)
    assert client.post(f"/campaigns/group/{member.pk}/remove/").status_code == 302
    assert not GroupMember.objects.filter(pk=member.pk).exists()
