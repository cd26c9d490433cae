"""What the duty app gives the standards engine and the monthly report (`core.registry`)."""

from __future__ import annotations

import datetime as dt

import pytest

from huxiao.core import registry
from huxiao.duty import figures, services
from huxiao.duty.models import DutyPeriod
from huxiao.duty.tests.factories import make_post, make_record
from huxiao.schools.models import School

KEYS = [
    "duty_posts_required",
    "duty_posts_set",
    "duty_setup_rate",
    "duty_periods_required",
    "duty_periods_staffed",
    "duty_staffing_rate",
    "duty_police_times",
    "duty_aux_times",
    "duty_guard_times",
    "duty_teacher_times",
    "duty_volunteer_times",
    "duty_car_times",
    "duty_patrols",
]


def test_the_columns_are_registered_in_order():
    keys = [c.key for c in registry.columns() if c.key.startswith("duty_")]
    assert keys == KEYS
    rates = {c.key: c.ratio for c in registry.columns() if c.ratio and c.key.startswith("duty_")}
    assert rates == {
        "duty_setup_rate": ("duty_posts_set", "duty_posts_required"),
        "duty_staffing_rate": ("duty_periods_staffed", "duty_periods_required"),
    }


@pytest.mark.django_db
def test_has_duty_post_fact(cast):
    make_post(cast.qingsong)
    post = make_post(cast.mingde)
    DutyPeriod.objects.filter(post=post).update(is_active=False)  # a post without periods is no post
    make_post(
        cast.shilong, active_from=dt.date(2026, 12, 1), police_station=cast.pulv_police
    )  # not set up yet on the day asked
    facts = registry.school_facts(
        [cast.qingsong, cast.mingde, cast.shilong, cast.binhe], dt.date(2026, 11, 29)
    )
    assert {pk: f["has_duty_post"] for pk, f in facts.items()} == {
        cast.qingsong.pk: True,
        cast.mingde.pk: False,
        cast.shilong.pk: False,
        cast.binhe.pk: False,
    }


@pytest.mark.django_db
def test_the_months_figures_with_no_double_entry(cast, django_assert_max_num_queries):
    post = make_post(cast.qingsong)
    make_record(
        post, "morning", dt.date(2026, 11, 2), by=cast.police, police=2, aux_police=1, guards=2, cars=1
    )
    make_record(
        post, "noon", dt.date(2026, 11, 2), by=cast.police, aux_police=1, guards=1, teachers=2, volunteers=3
    )
    make_record(post, "afternoon", dt.date(2026, 11, 2), by=cast.police, police=1, guards=0)  # short
    start = dt.datetime(2026, 11, 3, 16, 40, tzinfo=dt.UTC)
    group = services.patrol_group_create(acting_user=cast.police, name="一组", station=cast.pulv_police)
    for schools in ([cast.qingsong, cast.mingde], [cast.mingde]):
        services.patrol_log_create(
            acting_user=cast.police,
            group=group,
            started_at=start,
            ended_at=start + dt.timedelta(hours=1),
            route="青松路",
            schools=schools,
        )
    schools = School.objects.filter(pk__in=[cast.qingsong.pk, cast.shilong.pk])
    with django_assert_max_num_queries(5):  # the duty provider alone: a few aggregates, not per school
        duty = figures.figures_provider(schools, dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    values = registry.figures(schools, dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert {k: v for k, v in values.items() if k.startswith("duty_")} == duty
    assert duty == {
        "duty_posts_required": 2,
        "duty_posts_set": 1,
        "duty_periods_required": 21 * 3,  # November 2026 has 21 school days
        "duty_periods_staffed": 2,
        "duty_police_times": 3,
        "duty_aux_times": 2,
        "duty_guard_times": 3,
        "duty_teacher_times": 2,
        "duty_volunteer_times": 3,
        "duty_car_times": 1,
        "duty_patrols": 1,  # the second patrol covered 明德 only
    }
    columns = {c.key: c for c in registry.columns()}
    assert registry.rate(values, columns["duty_setup_rate"]) == 50.0
    assert registry.rate(values, columns["duty_staffing_rate"]) == round(100 * 2 / 63, 1)
