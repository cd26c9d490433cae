"""The generator and the benchmark at tiny scale, in the test database.

The benchmark checks that our answer equals the hand-written SQL's answer for every operation it
times (dashboard counts, risk ranking, trend, register page, export rows, duty 人次), so running it
here is a test of both the generator's data and those equalities — not of any timing.
"""

from __future__ import annotations

import pytest
from django.db.models import Count

from bench import measure
from bench.province import generate
from huxiao.accounts.models import User
from huxiao.core.models import Region
from huxiao.hazards.choices import LIVE_STATES
from huxiao.hazards.models import Hazard, HazardEscalation, RectificationNotice
from huxiao.schools.models import School

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def province(db):
    return generate(50, progress=lambda line: None)


def test_generator_builds_a_consistent_province(province):
    assert province.counts["schools"] == School.objects.count() == 50
    # every region's path is its parent's path plus its own code
    for region in Region.objects.select_related("parent"):
        assert region.path == region.compute_path()
    # hazards in proportion, each at a school with a unit, and the overdue ones escalated by rung
    hazards = Hazard.objects.count()
    assert 4 * 50 <= hazards <= 14 * 50
    assert not Hazard.objects.filter(responsible_org__isnull=True).exists()
    for h in Hazard.objects.filter(escalation__gt=0):
        assert h.state in LIVE_STATES
        assert sorted(h.escalations.values_list("level", flat=True)) == list(range(1, h.escalation + 1))
    assert HazardEscalation.objects.count() == sum(Hazard.objects.values_list("escalation", flat=True))
    # notice numbers are gapless per issuer and year
    for row in RectificationNotice.objects.values("issuer", "year").annotate(n=Count("pk")):
        seqs = sorted(RectificationNotice.objects.filter(**{k: row[k] for k in ("issuer", "year")})
                      .values_list("seq", flat=True))  # fmt: skip
        assert seqs == list(range(1, row["n"] + 1))
    # every school has a safety lead who sees exactly that school
    lead = User.objects.filter(username__startswith="school-").first()
    assert School.objects.visible_to(lead).count() == 1
    # the province user sees everything, a district user their district
    assert School.objects.visible_to(User.objects.get(username="prov-edu")).count() == 50
    assert Hazard.objects.visible_to(User.objects.get(username="d01-edu")).count() == hazards


def test_benchmark_answers_equal_raw_sql(province):
    """run_all raises Mismatch if any of our answers differs from the hand-written SQL's."""
    results = measure.run_all("test", runs=1, export_sizes=(100,), export_runs=1, say=lambda line: None)
    names = [r.operation for r in results.rows]
    assert any(n.startswith("首页隐患汇总") for n in names)
    assert any(n.startswith("数据看板（隐患部分）") for n in names)
    assert any(n.startswith("隐患台账导出") for n in names)
    assert any(n.startswith("重点人员第1页 选择器") for n in names)  # the people step ran, answers equal
    export = next(r for r in results.rows if r.operation.startswith("隐患台账导出"))
    assert export.size == "100 行" and export.peak_mib and export.peak_mib > 0
    assert all(p["status"] == 200 for p in results.pages), results.pages
    assert "| 操作 |" in measure.table(results)
