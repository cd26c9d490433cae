"""围墙（实体屏障）不低于2米 (蒲吕办发〔2021〕50号 四（一）): 明德小学's 1.20 m wall is one gap and
one hazard however often it is evaluated; raised to 2.2 m, the gap is resolved."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from huxiao.demo import data
from huxiao.hazards.choices import EventKind
from huxiao.hazards.models import Hazard, HazardEvent
from huxiao.schools.models import School
from huxiao.standards.choices import Confidence, Status
from huxiao.standards.models import Evaluation, Gap
from huxiao.standards.services import evaluate_schools
from huxiao.standards.tests.helpers import NEEDS_SYSTEM_HAZARDS, SYSTEM_HAZARDS, file_profile
from huxiao.testsupport.cast import HuxiaoTestCase

NOW = dt.datetime(2026, 12, 7, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
CLAUSE = "蒲吕办发〔2021〕50号"
REF = "standards:perimeter.height"


def _evaluate(school):
    """Evaluate one school now (as the recompute after a filing would)."""
    return evaluate_schools([School.objects.select_related("region").get(pk=school.pk)])


def _row(school, code="perimeter.height"):
    """The school's latest result for `code`, or None when the rule does not apply."""
    evaluation = Evaluation.objects.get(school=school, is_latest=True)
    return next((r for r in evaluation.results if r["code"] == code), None)


@time_machine.travel(NOW, tick=False)
class WallHeightTests(HuxiaoTestCase):
    def test_a_wall_under_2_m_fails_with_the_clause(self):
        file_profile(self.mingde, self.mingde_lead, perimeter_height_m=Decimal("1.20"))
        _evaluate(self.mingde)
        row = _row(self.mingde)
        assert row["status"] == Status.FAIL and row["category"] == "physical"
        assert row["expected"] == "围墙（栅栏）最低高度≥2米"
        assert row["actual"] == "围墙（栅栏）最低高度1.2米"
        assert any(CLAUSE in c["citation"] and "不低于2米" in c["citation"] for c in row["citations"])
        assert row["confidence"] == Confidence.HIGH

    def test_2_m_passes_and_an_unreported_height_is_unknown(self):
        file_profile(self.mingde, self.mingde_lead, perimeter_height_m=Decimal("2.00"))
        _evaluate(self.mingde)
        assert _row(self.mingde)["status"] == Status.PASS
        file_profile(self.mingde, self.mingde_lead, perimeter_height_m=None)
        _evaluate(self.mingde)
        assert _row(self.mingde)["status"] == Status.UNKNOWN

    def test_it_is_a_pulv_rule_not_a_national_one(self):
        # research/regulations.md §2.6: no national wall height; 巴川 is outside 蒲吕.
        file_profile(self.binhe, self.outsider, perimeter_height_m=Decimal("1.20"))
        _evaluate(self.binhe)
        assert _row(self.binhe) is None


@pytest.mark.skipif(not SYSTEM_HAZARDS, reason=NEEDS_SYSTEM_HAZARDS)
@time_machine.travel(NOW, tick=False)
class WallHeightGapTests(HuxiaoTestCase):
    def test_the_1_20_m_wall_raises_exactly_one_hazard_over_three_evaluations(self):
        file_profile(self.mingde, self.mingde_lead, perimeter_height_m=Decimal("1.20"))
        for _ in range(3):
            _evaluate(self.mingde)
        hazards = Hazard.objects.filter(school=self.mingde, source_ref=REF)
        assert hazards.count() == 1
        assert Hazard.objects.filter(school=self.mingde, source_ref__startswith="standards:").count() == 1
        hazard = hazards.get()
        assert hazard.category == "physical" and CLAUSE in hazard.description
        assert "实际：围墙（栅栏）最低高度1.2米" in hazard.description
        assert Gap.objects.filter(school=self.mingde, code="perimeter.height").count() == 1

    def test_raising_the_wall_to_2_2_m_resolves_the_gap(self):
        file_profile(self.mingde, self.mingde_lead, perimeter_height_m=Decimal("1.20"))
        _evaluate(self.mingde)
        hazard = Hazard.objects.get(school=self.mingde, source_ref=REF)
        file_profile(self.mingde, self.mingde_lead, perimeter_height_m=Decimal("2.20"))
        with self.captureOnCommitCallbacks(execute=True):
            report = _evaluate(self.mingde)
        assert report.gaps_resolved == 1
        assert _row(self.mingde)["status"] == Status.PASS
        gap = Gap.objects.get(school=self.mingde, code="perimeter.height")
        assert gap.resolved_at is not None
        hazard.refresh_from_db()
        assert hazard.needs_verification
        assert HazardEvent.objects.filter(hazard=hazard, kind=EventKind.GAP_RESOLVED).count() == 1
        assert Hazard.objects.filter(school=self.mingde, source_ref=REF).count() == 1


def test_the_demo_gives_mingde_a_1_20_m_wall():
    assert data.PROFILES["蒲吕明德小学"][-1]["perimeter_height_m"] == Decimal("1.20")


@pytest.mark.skipif(not SYSTEM_HAZARDS, reason=NEEDS_SYSTEM_HAZARDS)
def test_in_the_demo_mingde_s_wall_is_one_gap_with_its_clause(db, django_capture_on_commit_callbacks):
    from huxiao.demo.loader import load_demo

    with django_capture_on_commit_callbacks(execute=True):
        load_demo()
    mingde = School.objects.get(name="蒲吕明德小学")
    row = _row(mingde)
    assert row["status"] == Status.FAIL and row["actual"] == "围墙（栅栏）最低高度1.2米"
    assert any(CLAUSE in c["citation"] for c in row["citations"])
    assert Hazard.objects.filter(school=mingde, source_ref=REF).count() == 1
