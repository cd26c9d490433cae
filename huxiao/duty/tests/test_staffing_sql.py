"""The SQL form of the staffing rule (`staffing.minimum_expr`, a CASE over region ids resolved in
Python) agrees with the Python form (`staffing.resolve`), and the monthly duty columns cost a
fixed number of queries however many schools and standards there are."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from huxiao.duty import figures, staffing
from huxiao.duty.models import DutyPost, DutyRecord, StaffingStandard
from huxiao.duty.tests.factories import make_post, make_record
from huxiao.schools.models import School
from huxiao.testsupport.cast import make_school

D = dt.date


def _standards(cast):
    """蒲吕街道 has a standard, 蒲吕社区 (青松, 明德) its own; 石龙村 inherits 蒲吕街道's;
    巴川街道 (滨河) has none up the tree: the platform default."""
    StaffingStandard.objects.create(
        region=cast.pulv, min_police=1, min_police_or_aux=2, min_guards=2, min_teachers=1, min_volunteers=0
    )
    StaffingStandard.objects.create(
        region=cast.pulv_community,
        min_police=0,
        min_police_or_aux=3,
        min_guards=1,
        min_teachers=2,
        min_volunteers=1,
    )


def _posts(cast) -> list[DutyPost]:
    return [
        make_post(cast.qingsong),  # own region's standard
        make_post(cast.mingde, min_guards=4, min_teachers=0),  # overrides, one of them 0
        make_post(cast.shilong, police_station=cast.pulv_police),  # the ancestor's standard
        make_post(cast.binhe),  # no standard: default
        make_post(cast.binhe, "南门", min_police=2, min_volunteers=3),  # default with overrides
    ]


@pytest.mark.django_db
def test_the_sql_expression_agrees_with_resolve(cast):
    _standards(cast)
    posts = _posts(cast)
    by_region = staffing.minimums_by_region(School.objects.all())
    expected = staffing.resolve_many(DutyPost.objects.select_related("school__region"))

    # the distinct cases are really exercised
    assert expected[posts[0].pk]["min_police_or_aux"] == 3  # 蒲吕社区
    assert expected[posts[1].pk]["min_guards"] == 4 and expected[posts[1].pk]["min_teachers"] == 0
    assert expected[posts[2].pk]["min_police_or_aux"] == 2  # 蒲吕街道, inherited
    assert expected[posts[3].pk] == {
        "min_police": 0,
        "min_police_or_aux": 1,
        "min_guards": 1,
        "min_teachers": 0,
        "min_volunteers": 0,
    }
    assert expected[posts[4].pk]["min_police"] == 2 and expected[posts[4].pk]["min_volunteers"] == 3

    annotated = DutyPost.objects.annotate(
        **{f"m_{f}": staffing.minimum_expr(f, by_region, post_prefix="") for f in staffing.FIELDS}
    )
    got = {p.pk: {f: getattr(p, f"m_{f}") for f in staffing.FIELDS} for p in annotated}
    assert got == expected

    # and through records, as coverage uses it
    for post in posts:
        make_record(post, "morning", D(2026, 9, 21), by=cast.police)
    records = staffing.annotate_minimums(DutyRecord.objects.all(), by_region)
    got = {r.post_id: {f: getattr(r, f"m_{f}") for f in staffing.FIELDS} for r in records}
    assert got == expected


@pytest.mark.django_db
def test_minimums_by_region_covers_the_schools_regions_like_region_minimums(cast):
    _standards(cast)
    by_region = staffing.minimums_by_region(School.objects.filter(pk__in=[cast.shilong.pk, cast.binhe.pk]))
    for region in (cast.shilong_village, cast.binhe_community):
        assert by_region[region.pk] == staffing.region_minimums(region.path)[0]


def _provider_queries(cast) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        figures.figures_provider(School.objects.all(), D(2026, 9, 1), D(2026, 9, 30))
    return [q["sql"] for q in captured.captured_queries]


@pytest.mark.django_db
def test_monthly_duty_columns_cost_five_queries_whatever_the_size(cast):
    # schools count and set-up count 1, required periods 1, the regions' minimums 1, staffed
    # periods and 人次 in one scan of the records 1, patrols 1
    make_post(cast.qingsong, "北门")
    assert len(_provider_queries(cast)) == 5

    _standards(cast)
    posts = _posts(cast)
    for i in range(3):
        school = make_school(f"新建第{i + 1}小学", cast.pulv_community)
        posts.append(make_post(school, police_station=cast.pulv_police))
    for post in posts:
        make_record(post, "morning", D(2026, 9, 21), by=cast.police)
    queries = _provider_queries(cast)
    assert len(queries) == 5
    # the per-record staffing is a CASE over constants, no lookup of the standards per record
    record_queries = [q for q in queries if "duty_dutyrecord" in q]
    assert record_queries and not any("duty_staffingstandard" in q for q in record_queries)
