"""Semester counts on fixed data across the January boundary: an inspection on 2027-01-20
belongs to the autumn semester (秋季, September–January), one on 2027-02-03 to the spring one.
The facts the standards engine reads, the monthly columns, and the page of schools below the rule."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.db.models import QuerySet

from huxiao.core import registry
from huxiao.inspections.choices import Kind
from huxiao.inspections.models import FrequencyRule, Inspection
from huxiao.inspections.selectors import facts_provider, figures_provider
from huxiao.inspections.tests.helpers import answer_all, start, submit
from huxiao.schools.models import School
from huxiao.testsupport.cast import SIGNED_IN_PAGE_QUERIES

D = dt.date


def _done(user, school, kind, template, day: D) -> Inspection:
    with time_machine.travel(dt.datetime(day.year, day.month, day.day, 10, tzinfo=dt.UTC), tick=False):
        inspection = start(user, school, kind, template, date=day)
        answer_all(inspection, user)
        submit(inspection, user)
    return inspection


def _data(cast, templates):
    t = templates["消防安全"]
    _done(cast.police, cast.qingsong, Kind.VERIFY, t, D(2026, 10, 12))
    _done(cast.safety_officer, cast.qingsong, Kind.SPOT, t, D(2027, 1, 20))  # still autumn
    _done(cast.qingsong_lead, cast.qingsong, Kind.SELF, t, D(2026, 9, 15))
    _done(cast.qingsong_lead, cast.qingsong, Kind.SELF, t, D(2027, 1, 28))
    _done(cast.centre_officer, cast.mingde, Kind.VERIFY, t, D(2027, 2, 3))  # spring
    _done(cast.police, cast.mingde, Kind.SPOT, t, D(2027, 2, 10))
    draft = start(cast.police, cast.mingde, Kind.VERIFY, t, date=D(2026, 11, 1))  # a draft never counts
    return draft


def test_counts_follow_the_semester_across_new_year(cast, seeded):
    _data(cast, seeded)
    schools = [cast.qingsong, cast.mingde, cast.shilong]
    autumn = facts_provider(schools, D(2027, 1, 31))
    assert autumn[cast.qingsong.pk] == {"supervision_inspections_semester": 2, "self_inspections_semester": 2}
    assert autumn[cast.mingde.pk] == {"supervision_inspections_semester": 0, "self_inspections_semester": 0}
    early = facts_provider(schools, D(2027, 1, 10))  # "as of": the 1-20 spot check has not happened
    assert early[cast.qingsong.pk]["supervision_inspections_semester"] == 1
    spring = facts_provider(schools, D(2027, 2, 28))
    assert spring[cast.qingsong.pk]["supervision_inspections_semester"] == 0
    assert spring[cast.mingde.pk]["supervision_inspections_semester"] == 2
    assert set(registry.school_facts(schools, D(2027, 2, 28))[cast.mingde.pk]) >= {
        "supervision_inspections_semester",
        "self_inspections_semester",
    }


def test_monthly_columns_count_by_kind_and_unit(cast, seeded):
    _data(cast, seeded)
    pulv: QuerySet = School.objects.filter(pk__in=[s.pk for s in cast.pulv_schools])
    january = figures_provider(pulv, D(2027, 1, 1), D(2027, 1, 31))
    assert january == {
        "insp_self": 1,
        "insp_spot": 1,
        "insp_police": 0,
        "insp_joint": 0,
        "insp_supervision": 0,
    }
    february = figures_provider(pulv, D(2027, 2, 1), D(2027, 2, 28))
    assert february["insp_spot"] == 1 and february["insp_police"] == 1  # 学区 核查; police 抽查
    assert registry.figures(pulv, D(2026, 9, 1), D(2027, 2, 28))["insp_police"] == 2
    only_mingde = figures_provider(School.objects.filter(pk=cast.mingde.pk), D(2026, 9, 1), D(2027, 2, 28))
    assert sum(only_mingde.values()) == 2


def test_the_page_lists_schools_below_the_rule(cast, seeded, client, django_assert_max_num_queries):
    _data(cast, seeded)
    with time_machine.travel(dt.datetime(2027, 1, 30, 10, tzinfo=dt.UTC)):
        client.force_login(cast.safety_officer)  # inside: the session's idle timeout follows the clock
        with django_assert_max_num_queries(SIGNED_IN_PAGE_QUERIES + 4):
            page = client.get("/inspections/frequency/").content.decode()
        everyone = client.get("/inspections/frequency/?all=1").content.decode()
    assert "蒲吕明德小学" in page and "蒲吕石龙村小学" in page and "蒲吕青松中学" not in page
    assert "蒲吕青松中学" in everyone and "巴川滨河小学" not in everyone
    FrequencyRule.objects.create(region=cast.pulv, supervision_min=3, self_min=2)
    with time_machine.travel(dt.datetime(2027, 1, 30, 10, tzinfo=dt.UTC)):
        client.force_login(cast.safety_officer)
        page = client.get("/inspections/frequency/").content.decode()
    assert "蒲吕青松中学" in page and "应≥3" in page
