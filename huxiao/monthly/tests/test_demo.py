"""The demo step: last month submitted and accepted, this month partly submitted with a late
list, one returned, 青松中学's report a draft; loading twice adds nothing."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from huxiao.accounts.models import User
from huxiao.demo.loader import load_demo
from huxiao.monthly import selectors
from huxiao.monthly.choices import ReportState
from huxiao.monthly.models import MonthlyReport
from huxiao.monthly.services import content_hash
from huxiao.testsupport.clock import SHANGHAI

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 11, 29, 9, 0, tzinfo=SHANGHAI)


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    with time_machine.travel(TODAY, tick=False):
        first = load_demo()
        yield first


def _by_unit(year: int, month: int) -> dict[str, MonthlyReport]:
    reports = MonthlyReport.objects.filter(year=year, month=month).select_related("unit")
    return {r.unit.name: r for r in reports}


def test_the_demo_months_are_as_the_walk_through_needs(demo):
    september = _by_unit(2026, 9)  # due 2026-10-28: everyone submitted on time, all accepted
    assert len(september) >= 12 and {r.state for r in september.values()} == {ReportState.ACCEPTED}
    assert all(r.submitted_at.date() <= dt.date(2026, 10, 29) for r in september.values())
    assert {"蒲吕大庙村小学", "蒲吕学区管理中心", "蒲吕派出所", "蒲吕街道平安办"} <= set(september)
    october = _by_unit(2026, 10)  # due 2026-11-28, the month now due
    assert sum(r.state == ReportState.ACCEPTED for r in october.values()) >= 6
    assert october["蒲吕石龙村小学"].state == ReportState.SUBMITTED
    assert october["蒲吕小橡树幼儿园"].state == ReportState.RETURNED
    assert "核实" in october["蒲吕小橡树幼儿园"].return_reason
    assert october["蒲吕青松中学"].state == ReportState.DRAFT
    assert october["蒲吕青松中学"].manual["m_law_vice_principals"] > 0
    assert "蒲吕大庙村小学" not in october and "蒲吕学区管理中心" not in october
    for r in october.values():
        if r.submitted_at:  # after October ended, by the due day
            assert dt.date(2026, 11, 1) <= r.submitted_at.date() <= dt.date(2026, 11, 28)
    november = _by_unit(2026, 11)  # in progress: drafts only
    assert november and {r.state for r in november.values()} == {ReportState.DRAFT}
    for report in MonthlyReport.objects.exclude(snapshot=None):
        assert report.content_hash == content_hash(report.snapshot)


def test_a_rate_without_a_denominator_is_unknown_in_the_frozen_tables(demo):
    """A frozen rate is None (shown —) when its denominator was 0 — never 0.0%."""
    for report in MonthlyReport.objects.exclude(snapshot=None):
        values = selectors.with_rates(report.snapshot["values"])
        for c in selectors.columns():
            if c.ratio is not None and not report.snapshot["values"].get(c.ratio[1]):
                assert values[c.key] is None, (report, c.key)


def test_the_late_list_names_the_units_that_have_not_reported(demo):
    lead = User.objects.get(username="pinganban")
    with time_machine.travel(TODAY, tick=False):
        late = {s.unit.name for _, items in selectors.late_list(lead, 2026, 10) for s in items}
        not_yet = selectors.late_list(lead, 2026, 11)
    assert {"蒲吕青松中学", "蒲吕小橡树幼儿园", "蒲吕大庙村小学", "蒲吕学区管理中心", "蒲吕派出所"} <= late
    assert "蒲吕明德小学" not in late and "蒲吕石龙村小学" not in late
    assert not not_yet  # November is not due until 2026-12-28


def test_the_walk_through_anquan_submits_late_and_xuequ_accepts(demo):
    from huxiao.monthly import services

    qingsong = MonthlyReport.objects.get(unit__name="蒲吕青松中学", year=2026, month=10)
    with time_machine.travel(TODAY, tick=False):
        report = services.report_submit(
            acting_user=User.objects.get(username="anquan"),
            unit=qingsong.unit,
            year=2026,
            month=10,
            expected_version=qingsong.version,
        )
        services.report_accept(
            acting_user=User.objects.get(username="xuequ"), report=report, expected_version=report.version
        )
        (status,) = selectors.statuses([report.unit], 2026, 10)
    assert MonthlyReport.objects.get(pk=report.pk).state == ReportState.ACCEPTED
    assert status.submitted_late and not status.late  # submitted one day after the 28th


def test_loading_twice_adds_nothing(demo):
    with time_machine.travel(TODAY, tick=False):
        before = MonthlyReport.objects.count()
        again = load_demo()
    assert MonthlyReport.objects.count() == before
    assert again["monthly_reports"] == demo["monthly_reports"]
