"""The report's computed figures equal independent counts on fixed data, a past month is
counted as it stood then, and roll-ups add up."""

from __future__ import annotations

import datetime as dt

import pytest

from huxiao.core import registry
from huxiao.hazards.choices import Category
from huxiao.hazards.models import Hazard
from huxiao.monthly import selectors
from huxiao.monthly.figures import HAZARD_COLUMNS, base_figures, hazard_figures
from huxiao.monthly.tests.helpers import build_history, clock_fixture  # noqa: F401
from huxiao.monthly.units import schools_of
from huxiao.schools.models import School

pytestmark = pytest.mark.usefixtures("media_root")

OCT = (dt.date(2026, 10, 1), dt.date(2026, 10, 31))
NOV = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))


def _pulv(cast):
    return School.objects.filter(pk__in=[s.pk for s in cast.pulv_schools])


def test_october_figures_equal_the_counts_as_the_month_ended(cast, clock):
    h = build_history(cast, clock)
    got = hazard_figures(_pulv(cast), *OCT)
    # Independently: found in October and not dismissed = open_fire, major_wall, closed_in_october.
    assert got["haz_found"] == 3
    assert got["haz_found_fire"] == 2 and got["haz_found_physical"] == 1 and got["haz_found_other"] == 0
    assert got["haz_found_major"] == 1
    assert sum(got[f"haz_found_{c.value}"] for c in Category) == got["haz_found"]
    assert got["haz_closed"] == 1  # closed_in_october (open_fire closed only in November)
    assert got["haz_live"] == 2  # open_fire and major_wall were still live on 31 October
    live_then = [h.open_fire, h.major_wall]
    expected_overdue = sum(1 for x in live_then if Hazard.objects.get(pk=x.pk).deadline < OCT[1])
    assert got["haz_overdue"] == expected_overdue >= 1
    assert got["haz_rectify_base"] == 3
    assert got["haz_notices"] == 0


def test_november_figures_so_far(cast, clock):
    h = build_history(cast, clock)
    got = hazard_figures(_pulv(cast), *NOV)
    assert got["haz_found"] == 1 and got["haz_found_technical"] == 1
    assert got["haz_closed"] == 1  # open_fire, closed on 5 November
    assert got["haz_live"] == 2  # major_wall and the November one
    assert got["haz_notices"] == 1
    live = Hazard.objects.filter(pk__in=[h.major_wall.pk, h.november.pk])
    assert got["haz_overdue"] == sum(1 for x in live if x.deadline < dt.date(2026, 11, 20))


def test_the_rate_is_closed_over_closed_plus_live(cast, clock):
    build_history(cast, clock)
    values = hazard_figures(_pulv(cast), *OCT)
    rate_col = next(c for c in HAZARD_COLUMNS if c.ratio)
    assert registry.rate(values, rate_col) == round(100 * 1 / 3, 1)


def test_baseline_counts_active_schools(cast):
    got = base_figures(_pulv(cast), *NOV)
    schools = list(cast.pulv_schools)
    assert got["base_schools"] == 3
    assert got["base_students"] == sum(s.students for s in schools)
    assert got["base_staff"] == sum(s.staff for s in schools)
    assert got["base_boarding"] == sum(1 for s in schools if s.is_boarding)
    assert got["base_boarders"] == sum(s.boarders for s in schools)
    School.objects.filter(pk=cast.shilong.pk).update(is_archived=True)
    assert base_figures(_pulv(cast), *NOV)["base_schools"] == 2


def test_a_school_units_figures_cover_only_its_school(cast, clock):
    build_history(cast, clock)
    table = selectors.unit_table(cast.qingsong.organisation, 2026, 10)
    assert table.values["haz_found"] == 2  # open_fire and closed_in_october
    assert table.values["base_schools"] == 1
    assert table.live


def _additive_keys():
    return [c.key for c in registry.columns() if not c.manual and c.ratio is None]


def test_the_xuequ_rollup_is_the_sum_of_its_schools(cast, clock):
    build_history(cast, clock)
    data = selectors.rollup(cast.pulv_centre, 2026, 10)
    assert [r.label for r in data.rows] == ["蒲吕明德小学", "蒲吕青松中学"]
    for key in _additive_keys():
        assert data.total.values[key] == sum(r.values[key] for r in data.rows), key
    assert all(r.state_label == "未报送（实时数据）" for r in data.rows)


def test_the_street_total_is_the_union_and_its_main_rows_partition_it(cast, clock):
    build_history(cast, clock)
    data = selectors.rollup(cast.pulv_safety_office, 2026, 10)
    main = [r for r in data.rows if not r.group]
    police = [r for r in data.rows if r.group]
    assert [r.label for r in main] == ["蒲吕学区管理中心", "蒲吕石龙村小学"]
    assert [r.label for r in police] == ["蒲吕派出所"]
    union = registry.figures(schools_of(cast.pulv_safety_office), *OCT)
    for key in _additive_keys():
        assert data.total.values[key] == union[key] == sum(r.values[key] for r in main), key
    # the overlapping 派出所 group is not added in: it covers the same two schools as the 学区
    assert police[0].values["haz_found"] == main[0].values["haz_found"]


def test_the_district_rolls_up_its_streets(cast, clock):
    build_history(cast, clock)
    data = selectors.rollup(cast.political_legal, 2026, 10)
    assert {r.label for r in data.rows} == {"蒲吕街道平安办", "巴川街道平安办"}
    for key in _additive_keys():
        assert data.total.values[key] == sum(r.values[key] for r in data.rows), key
    assert data.total.values["base_schools"] == 4


def test_rates_roll_up_from_summed_numerators(cast, clock):
    build_history(cast, clock)
    data = selectors.rollup(cast.pulv_centre, 2026, 10)
    col = next(c for c in HAZARD_COLUMNS if c.ratio)
    num = sum(r.values["haz_closed"] for r in data.rows)
    den = sum(r.values["haz_rectify_base"] for r in data.rows)
    assert data.total.values[col.key] == round(100 * num / den, 1)


@pytest.mark.django_db
def test_the_district_rollup_rows_cost_the_same_however_many_streets_the_platform_holds(
    cast, django_assert_max_num_queries
):
    """The 区's children are found among the street units of its own patch, and the schools are
    counted per region path once — not one count per street unit of the whole platform."""
    from huxiao.core.choices import OrgKind
    from huxiao.monthly.units import children_of
    from huxiao.testsupport.cast import make_org, make_region

    def rows_and_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            rows = children_of(cast.political_legal)
        return [(r.label, r.school_count) for r in rows], len(ctx.captured_queries)

    before, queries = rows_and_queries()
    # another district with many streets and schools: none of them is 铜梁区's business
    other = make_region("500120", "璧山区", "county", cast.chongqing)
    for i in range(12):
        street = make_region(f"5001200{i:02d}", f"璧山第{i}街道", "township", other)
        make_org(f"璧山第{i}街道平安办", OrgKind.SAFETY_OFFICE, street, jurisdiction=[street])
    after, queries_after = rows_and_queries()
    assert after == before
    assert queries_after == queries
    assert sum(n for _, n in before) == schools_of(cast.political_legal).count()
