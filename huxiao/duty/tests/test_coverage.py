"""Coverage arithmetic on fixed calendars: school days only (weekends, public holidays and
vacations excluded; a 调休 make-up weekend day included and running every period); periods
required = school days × periods; staffed = records on those slots that meet the minimums."""

from __future__ import annotations

import datetime as dt

import pytest

from huxiao.duty import coverage
from huxiao.duty.models import DutyPeriod
from huxiao.duty.tests.factories import make_post, make_record
from huxiao.schools.models import School

D = dt.date


def _tally(cast, start, end):
    return coverage.totals(School.objects.filter(pk__in=[cast.qingsong.pk, cast.mingde.pk]), start, end)


@pytest.mark.django_db
def test_a_week_with_a_holiday_and_a_make_up_sunday(cast):
    # 2026-09-20 is a 调休 Sunday (working day); 09-25 (Fri) is 中秋节; 26/27 are the weekend.
    post = make_post(cast.qingsong)
    tally = _tally(cast, D(2026, 9, 20), D(2026, 9, 27))
    assert tally.required == 5 * 3  # Sun 20 (make-up), Mon 21 – Thu 24; three periods each
    assert tally.schools == 2 and tally.schools_with_post == 1
    assert tally.setup_rate == 50.0
    assert tally.staffed == 0 and tally.staffing_rate == 0.0

    make_record(post, "morning", D(2026, 9, 20), by=cast.police)  # the make-up Sunday counts
    make_record(post, "morning", D(2026, 9, 21), by=cast.police)
    make_record(post, "afternoon", D(2026, 9, 21), by=cast.police)
    make_record(post, "morning", D(2026, 9, 25), by=cast.police)  # holiday: not a required slot
    make_record(post, "morning", D(2026, 9, 26), by=cast.police)  # Saturday: not a required slot
    tally = _tally(cast, D(2026, 9, 20), D(2026, 9, 27))
    assert tally.staffed == 3
    assert tally.staffing_rate == 20.0
    assert tally.times["duty_police_times"] == 5  # 人次 count every duty stood, school day or not


@pytest.mark.django_db
def test_a_make_up_saturday_after_national_day(cast):
    # 10-05 … 10-07 are holidays, 10-10 (Sat) is a make-up working day, 10-11 a Sunday.
    make_post(cast.qingsong)
    assert _tally(cast, D(2026, 10, 5), D(2026, 10, 11)).required == 3 * 3  # Thu 8, Fri 9, Sat 10


@pytest.mark.django_db
def test_vacation_days_do_not_count(cast):
    make_post(cast.qingsong, active_from=D(2026, 8, 1))
    # 08-28 (Fri) and 08-31 (Mon) are 暑假; 秋季学期 starts 09-01.
    assert _tally(cast, D(2026, 8, 28), D(2026, 9, 4)).required == 4 * 3


@pytest.mark.django_db
def test_weekdays_of_a_period_and_the_set_up_day(cast):
    post = make_post(cast.qingsong, active_from=D(2026, 9, 22))
    DutyPeriod.objects.filter(post=post, kind="noon").update(weekdays=0b0000101)  # Mon, Wed only
    # From Tue 22: morning/afternoon Tue–Thu = 3 each; noon only Wed 23 = 1.
    tally = _tally(cast, D(2026, 9, 20), D(2026, 9, 27))
    assert tally.required == 3 + 3 + 1
    make_record(post, "noon", D(2026, 9, 22), by=cast.police)  # Tuesday: noon does not run
    make_record(post, "noon", D(2026, 9, 23), by=cast.police)
    make_record(post, "morning", D(2026, 9, 21), by=cast.police)  # before the post was set up
    assert _tally(cast, D(2026, 9, 20), D(2026, 9, 27)).staffed == 1


@pytest.mark.django_db
def test_understaffed_records_are_recorded_but_not_staffed(cast):
    post = make_post(cast.qingsong)
    make_record(post, "morning", D(2026, 9, 21), by=cast.police, police=1, guards=0)  # no guard
    make_record(post, "noon", D(2026, 9, 21), by=cast.police, aux_police=1, guards=1)  # 辅警 suffices
    make_record(post, "afternoon", D(2026, 9, 21), by=cast.police, police=0, guards=2)  # no police at all
    tally = _tally(cast, D(2026, 9, 21), D(2026, 9, 21))
    assert (tally.required, tally.recorded, tally.staffed) == (3, 3, 1)


@pytest.mark.django_db
def test_region_standard_then_post_override(cast):
    from huxiao.duty import services
    from huxiao.duty.models import StaffingStandard

    post = make_post(cast.qingsong)
    make_record(post, "morning", D(2026, 9, 21), by=cast.police, police=1, guards=1)
    StaffingStandard.objects.create(region=cast.pulv, min_police=1, min_police_or_aux=2, min_guards=1)
    assert _tally(cast, D(2026, 9, 21), D(2026, 9, 21)).staffed == 0  # 蒲吕街道 wants 2 民辅警
    StaffingStandard.objects.create(region=cast.pulv_community, min_police_or_aux=1, min_guards=1)
    assert _tally(cast, D(2026, 9, 21), D(2026, 9, 21)).staffed == 1  # the nearer region wins
    services.post_update(acting_user=cast.police, post=post, expected_version=post.version, min_guards=2)
    assert _tally(cast, D(2026, 9, 21), D(2026, 9, 21)).staffed == 0  # the post's own override wins


@pytest.mark.django_db
def test_backfilled_records_count_as_staffed_and_separately(cast):
    post = make_post(cast.qingsong)
    make_record(post, "morning", D(2026, 9, 21), by=cast.police)
    record = make_record(post, "afternoon", D(2026, 9, 21), by=cast.police)
    record.is_backfilled, record.backfill_reason = True, "手机没电，事后补录"
    record.save()
    tally = _tally(cast, D(2026, 9, 21), D(2026, 9, 21))
    assert (tally.staffed, tally.backfilled) == (2, 1)


@pytest.mark.django_db
def test_archived_schools_and_inactive_posts_drop_out(cast):
    post = make_post(cast.qingsong)
    make_record(post, "morning", D(2026, 9, 21), by=cast.police)
    post.is_active = False
    post.save()
    tally = _tally(cast, D(2026, 9, 21), D(2026, 9, 21))
    assert (tally.schools_with_post, tally.required, tally.staffed) == (0, 0, 0)


@pytest.mark.django_db
def test_per_school_tallies_add_up_to_the_total(cast):
    a, b = make_post(cast.qingsong), make_post(cast.mingde)
    make_post(cast.qingsong, "南门")
    make_record(a, "morning", D(2026, 9, 21), by=cast.police)
    make_record(b, "noon", D(2026, 9, 22), by=cast.police)
    schools = School.objects.filter(pk__in=[cast.qingsong.pk, cast.mingde.pk, cast.shilong.pk])
    per = coverage.by_school(schools, D(2026, 9, 20), D(2026, 9, 27))
    total = coverage.totals(schools, D(2026, 9, 20), D(2026, 9, 27))
    summed = coverage.Tally()
    for tally in per.values():
        summed.add(tally)
    assert per[cast.qingsong.pk].required == 2 * 15 and per[cast.mingde.pk].required == 15
    assert per[cast.shilong.pk].required == 0
    assert (
        (summed.required, summed.staffed, summed.schools, summed.schools_with_post)
        == (
            total.required,
            total.staffed,
            total.schools,
            total.schools_with_post,
        )
        == (45, 2, 3, 2)
    )


@pytest.mark.django_db
def test_the_breadcrumb_links_only_regions_the_user_may_open(cast, client):
    from django.urls import reverse

    client.force_login(cast.safety_officer)  # 蒲吕街道平安办: 重庆市 and 铜梁区 are above it
    html = client.get(reverse("duty:coverage") + f"?region={cast.pulv_community.pk}").content.decode()
    assert f"?region={cast.pulv.pk}&" in html  # its own 街道: a link
    assert f"?region={cast.tongliang.pk}&" not in html and "铜梁区" in html  # above it: a name
    assert client.get(reverse("duty:coverage") + f"?region={cast.tongliang.pk}").status_code == 404
