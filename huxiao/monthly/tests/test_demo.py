"""The demo step: last month submitted and accepted, this month partly submitted with a late
list, one returned, 青松中学's report a draft; loading twice adds nothing."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from huxiao.accounts.models import User
from huxiao.demo.loader import load_demo
from huxiao.hazards.tests.factories import SHANGHAI
from huxiao.monthly import selectors
from huxiao.monthly.choices import ReportState
from huxiao.monthly.models import MonthlyReport
from huxiao.monthly.services import content_hash

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 11, 29, 9, 0, tzinfo=SHANGHAI)


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    with time_machine.travel(TODAY, tick=False):
        first = load_demo()
        yield first


def test_the_demo_months_are_as_the_walk_through_needs(demo):
    october = MonthlyReport.objects.filter(year=2026, month=10)
    assert october.filter(state=ReportState.ACCEPTED).count() >= 10
    assert not october.filter(unit__name="蒲吕大庙村小学").exists()
    november = {
        r.unit.name: r for r in MonthlyReport.objects.filter(year=2026, month=11).select_related("unit")
    }
    assert november["蒲吕青松中学"].state == ReportState.DRAFT
    assert november["蒲吕青松中学"].manual["m_edu_sessions"] > 0
    assert november["蒲吕明德小学"].state == ReportState.ACCEPTED
    assert november["蒲吕石龙村小学"].state == ReportState.SUBMITTED
    assert november["蒲吕小橡树幼儿园"].state == ReportState.RETURNED
    for report in MonthlyReport.objects.exclude(snapshot=None):
        assert report.content_hash == content_hash(report.snapshot)


def test_the_late_list_names_the_units_that_have_not_reported(demo):
    lead = User.objects.get(username="pinganban")
    late = {s.unit.name for _, items in selectors.late_list(lead, 2026, 11) for s in items}
    assert {"蒲吕青松中学", "蒲吕小橡树幼儿园", "蒲吕学区管理中心", "蒲吕派出所"} <= late
    assert "蒲吕明德小学" not in late


def test_loading_twice_adds_nothing(demo):
    with time_machine.travel(TODAY, tick=False):
        before = MonthlyReport.objects.count()
        again = load_demo()
    assert MonthlyReport.objects.count() == before
    assert again["monthly_reports"] == demo["monthly_reports"]
