"""Phase and date logic: which phase is current, progress per phase, the timeline's today
marker, and the monthly due day a campaign sets for its region and the regions below it."""

from __future__ import annotations

import datetime as dt

import pytest

from huxiao.campaigns import selectors, services
from huxiao.campaigns.choices import CampaignStatus
from huxiao.campaigns.tests.factories import TODAY, make_campaign, phase, today_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def test_today_falls_in_both_overlapping_final_phases(cast, today):
    campaign = make_campaign(cast)
    progress = selectors.campaign_progress(campaign)
    current = {p.name for p in progress.phases if p.is_current}
    assert current == {"验收", "巩固提高"}
    assert {p.name for p in progress.phases if p.is_past} == {"摸排", "整改"}


@pytest.mark.parametrize(
    ("day", "current"),
    [
        (dt.date(2026, 4, 23), {"摸排"}),
        (dt.date(2026, 5, 25), {"摸排"}),
        (dt.date(2026, 5, 26), {"整改"}),
        (dt.date(2026, 11, 25), {"整改"}),
        (dt.date(2026, 11, 26), {"验收", "巩固提高"}),
        (dt.date(2027, 1, 31), {"验收", "巩固提高"}),
        (dt.date(2027, 2, 1), set()),
    ],
)
def test_phase_boundaries_are_inclusive(cast, day, current):
    campaign = make_campaign(cast)
    progress = selectors.campaign_progress(campaign, today=day)
    assert {p.name for p in progress.phases if p.is_current} == current


def test_campaign_span_follows_its_phases(cast):
    campaign = make_campaign(cast)
    assert (campaign.start_date, campaign.end_date) == (dt.date(2026, 4, 23), dt.date(2027, 1, 31))
    services.phase_save(
        acting_user=None,
        campaign=campaign,
        phase=phase(campaign, "巩固提高"),
        name="巩固提高",
        start=dt.date(2026, 11, 26),
        end=dt.date(2027, 2, 28),
    )
    campaign.refresh_from_db()
    assert campaign.end_date == dt.date(2027, 2, 28)


def test_progress_counts_done_total_and_overdue_per_phase(cast, today):
    campaign = make_campaign(cast)
    fix = services.task_create(
        acting_user=None,
        campaign=campaign,
        title="整改",
        organisation=cast.pulv_police,
        due=dt.date(2026, 11, 1),
    )
    services.task_create(
        acting_user=None,
        campaign=campaign,
        title="核查",
        organisation=cast.pulv_centre,
        due=dt.date(2026, 11, 20),
    )
    services.task_create(
        acting_user=None,
        campaign=campaign,
        title="验收",
        organisation=cast.pulv_office,
        due=dt.date(2027, 1, 15),
    )
    services.task_complete(acting_user=None, task=fix, expected_version=fix.version, evidence="已下发通知书")
    progress = {p.name: p for p in selectors.campaign_progress(campaign).phases}
    assert (progress["整改"].done, progress["整改"].total, progress["整改"].overdue) == (1, 2, 1)
    assert (progress["验收"].done, progress["验收"].total, progress["验收"].overdue) == (0, 1, 0)
    overall = selectors.campaign_progress(campaign)
    assert (overall.done, overall.total, overall.overdue) == (1, 3, 1)


def test_a_task_without_a_phase_lands_in_the_phase_covering_its_due_date(cast):
    campaign = make_campaign(cast)
    task = services.task_create(
        acting_user=None,
        campaign=campaign,
        title="抽查",
        organisation=cast.pulv_centre,
        due=dt.date(2026, 5, 10),
    )
    assert task.phase.name == "摸排"


def test_timeline_marks_today_between_the_campaigns_ends(cast, today):
    campaign = make_campaign(cast)
    tl = selectors.timeline(selectors.campaign_progress(campaign), width=1000)
    assert tl.today_x is not None
    days = (campaign.end_date - campaign.start_date).days + 1
    expected = 4 + (1000 - 8) * (TODAY - campaign.start_date).days / days
    assert tl.today_x == pytest.approx(expected, abs=0.1)
    bars = {b.label: b for b in tl.bars}
    assert bars["验收"].css == "current" and bars["摸排"].css == "past"
    assert bars["验收"].x == bars["巩固提高"].x  # overlapping phases share the axis


def test_timeline_has_no_today_marker_outside_the_campaign(cast, today):
    campaign = make_campaign(cast, 2021)
    assert selectors.timeline(selectors.campaign_progress(campaign)).today_x is None


def test_monthly_due_day_comes_from_the_campaign_covering_the_month(cast, settings):
    settings.HUXIAO_MONTHLY_DUE_DAY = 28
    make_campaign(cast, monthly_due_day=25)
    # the campaign's region and a village below it
    assert selectors.monthly_due_day(cast.pulv, 2026, 6) == 25
    assert selectors.monthly_due_day(cast.pulv_community, 2027, 1) == 25
    # outside its months, and in another subdistrict: the setting
    assert selectors.monthly_due_day(cast.pulv_community, 2026, 3) == 28
    assert selectors.monthly_due_day(cast.binhe_community, 2026, 6) == 28
    assert selectors.monthly_due_day(None, 2026, 6) == 28


def test_the_nearest_regions_campaign_wins_and_drafts_do_not_count(cast):
    make_campaign(cast, region=cast.tongliang, monthly_due_day=20)
    assert selectors.monthly_due_day(cast.pulv_community, 2026, 7) == 20
    draft = make_campaign(cast, monthly_due_day=15, status=CampaignStatus.DRAFT)
    assert selectors.monthly_due_day(cast.pulv_community, 2026, 7) == 20
    services.campaign_update(
        acting_user=None, campaign=draft, expected_version=draft.version, status=CampaignStatus.ACTIVE
    )
    assert selectors.monthly_due_day(cast.pulv_community, 2026, 7) == 15


def test_current_campaigns_for_the_dashboard(cast, today):
    running = make_campaign(cast)
    make_campaign(cast, 2021)
    assert selectors.current_campaigns(cast.centre_officer) == [running]
    assert selectors.current_campaigns(cast.official) == [running]
    assert selectors.current_campaigns(cast.outsider) == []


def test_a_phase_that_ends_before_it_starts_is_refused(cast):
    from django.core.exceptions import ValidationError

    phases = [{"name": "摸排", "start": dt.date(2026, 5, 25), "end": dt.date(2026, 4, 23)}]
    with pytest.raises(ValidationError, match="结束日期不能早于开始日期"):
        make_campaign(cast, phases=phases)
