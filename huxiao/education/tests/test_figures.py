"""The 统计表 columns from the records: activities and head-counts in the month, schools with a
法治辅导员 on the month's last day (a school with two counts once), visits in the month — and the
per-school form sums to the provider over any set of schools. They replace the ※ columns."""

from __future__ import annotations

import datetime as dt

import pytest

from huxiao.core import registry
from huxiao.education import figures, services
from huxiao.education.tests.builders import activity, appoint
from huxiao.monthly.figures import MANUAL_COLUMNS
from huxiao.schools.models import School
from huxiao.testsupport.cast import make_user
from huxiao.testsupport.clock import SHANGHAI

pytestmark = [pytest.mark.django_db, pytest.mark.frozen(dt.datetime(2026, 12, 10, 10, 0, tzinfo=SHANGHAI))]
OCT = (dt.date(2026, 10, 1), dt.date(2026, 10, 31))
NOV = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))


@pytest.fixture
def records(cast):
    first = appoint(cast, starts_on=dt.date(2026, 9, 1))
    second_officer = make_user("minjing2", cast.pulv_police, "police", full_name="钱警官")
    appoint(cast, officer=second_officer, starts_on=dt.date(2026, 11, 1), number="2号")  # 青松: two
    appoint(cast, cast.mingde, starts_on=dt.date(2026, 9, 1), ends_on=dt.date(2026, 12, 31), number="3号")
    activity(cast.qingsong_lead, cast.qingsong, held_on=dt.date(2026, 11, 9), head_count=1200)
    activity(cast.qingsong_lead, cast.qingsong, held_on=dt.date(2026, 10, 12), head_count=50)
    activity(cast.mingde_lead, cast.mingde, held_on=dt.date(2026, 11, 3), head_count=900)
    activity(cast.police, cast.qingsong, held_on=dt.date(2026, 11, 20), head_count=300)  # + a visit
    for day in (dt.date(2026, 10, 8), dt.date(2026, 11, 25)):
        services.visit_record(acting_user=cast.police, appointment=first, visited_on=day, content="进校")


def test_the_month_counts_what_the_records_hold(cast, records):
    everyone = School.objects.filter(is_archived=False)
    assert figures.provider(everyone, *NOV) == {
        "edu_counsellors": 2,  # 青松 (two officers) and 明德
        "edu_sessions": 3,
        "edu_people": 2400,
        "edu_visits": 2,  # the lecture and the visit on the 25th
    }
    assert figures.provider(everyone, *OCT) == {
        "edu_counsellors": 2,
        "edu_sessions": 1,
        "edu_people": 50,
        "edu_visits": 1,
    }
    jan = (dt.date(2027, 1, 1), dt.date(2027, 1, 31))
    assert figures.provider(everyone, *jan)["edu_counsellors"] == 1  # 明德's term ended in December


@pytest.mark.parametrize("period", [OCT, NOV], ids=["october", "november"])
def test_the_per_school_form_sums_to_the_provider_over_any_set(cast, records, period):
    everyone = School.objects.filter(is_archived=False)
    by_school = figures.by_school(everyone, *period)
    sets = {"all": everyone, "蒲吕": everyone.filter(pk__in=[s.pk for s in cast.pulv_schools])}
    sets.update({s.name: everyone.filter(pk=s.pk) for s in everyone})
    for name, schools in sets.items():
        ids = set(schools.values_list("pk", flat=True))
        summed = {k: sum(v[k] for sid, v in by_school.items() if sid in ids) for k in figures.KEYS}
        assert summed == figures.provider(schools, *period), name


def test_the_computed_columns_replace_the_manual_ones(cast, records):
    manual = {c.key for c in MANUAL_COLUMNS}
    assert not manual & {"m_edu_sessions", "m_edu_people", "m_law_counsellors"}
    labels = {c.key: c.label for c in registry.columns()}
    assert (
        labels["edu_sessions"] == "安全教育/法治讲座场次" and labels["edu_counsellors"] == "法治辅导员配备数"
    )
    values = registry.figures(School.objects.filter(pk=cast.qingsong.pk), *NOV)
    assert values["edu_people"] == 1500 and values["edu_counsellors"] == 1
