"""The campaign page and the list cost a fixed number of queries, however many tasks, units,
meetings, alerts and circulars there are (pinned, so an N+1 cannot creep in)."""

from __future__ import annotations

import datetime as dt

import pytest

from huxiao.campaigns import services
from huxiao.campaigns.tests.factories import make_campaign, today_fixture  # noqa: F401
from huxiao.testsupport.cast import SIGNED_IN_PAGE_QUERIES

pytestmark = pytest.mark.django_db

# scope is in SIGNED_IN_PAGE_QUERIES; the page: campaign, can-manage, phases, task counts, tasks,
# participants, alerts, circulars, meetings, group, plan texts, the schools' entry counts of the
# gated 验收 phase
PAGE_QUERIES = SIGNED_IN_PAGE_QUERIES + 12
LIST_QUERIES = SIGNED_IN_PAGE_QUERIES + 1  # the campaigns with their task counts


def _grow(cast, campaign, n: int) -> None:
    for i in range(n):
        org = [cast.pulv_police, cast.pulv_centre, cast.pulv_safety_office][i % 3]
        if not campaign.participants.filter(organisation=org).exists():
            services.participant_add(acting_user=None, campaign=campaign, organisation=org, duty="职责")
        services.task_create(
            acting_user=None,
            campaign=campaign,
            title=f"任务{i}",
            organisation=org,
            due=dt.date(2026, 6 + i % 6, 1),
        )
        services.task_create(
            acting_user=None,
            campaign=campaign,
            title=f"学校任务{i}",
            organisation=cast.qingsong.organisation,
            due=dt.date(2026, 5, 1),
        )
        services.meeting_record(
            acting_user=cast.centre_officer,
            campaign=campaign,
            held_on=dt.date(2026, 6, 1 + i),
            title=f"会议{i}",
            topics="议题",
            attendee_orgs=[org],
            decisions=[{"title": f"决定{i}", "organisation": org, "due": dt.date(2026, 7, 1)}],
        )
        services.alert_issue(
            acting_user=cast.safety_officer,
            campaign=campaign,
            title=f"提示{i}",
            text="内容",
            level="general",
            respond_by=dt.date(2026, 12, 1),
            schools=[cast.qingsong, cast.mingde],
        )
        services.circular_issue(
            acting_user=cast.centre_officer,
            campaign=campaign,
            title=f"通报{i}",
            body="正文",
            recipients=[org],
        )


@pytest.mark.parametrize("n", [1, 4])
def test_campaign_page_queries(cast, client, django_assert_num_queries, today, n):
    campaign = make_campaign(cast)
    _grow(cast, campaign, n)
    client.force_login(cast.centre_officer)
    with django_assert_num_queries(PAGE_QUERIES):
        response = client.get(f"/campaigns/{campaign.pk}/")
    assert response.status_code == 200
    assert response.content.decode().count("cp-today") >= 4  # the marker in each phase row


@pytest.mark.parametrize("n", [1, 3])
def test_campaign_list_queries(cast, client, django_assert_num_queries, n):
    for year in range(2020, 2020 + n):
        make_campaign(cast, year)
    client.force_login(cast.official)
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get("/campaigns/")
    assert response.content.decode().count("/campaigns/") >= n
