"""Submitting locks the table under a SHA-256 of its canonical JSON; returned reports open up
again with their history kept; stale versions are refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from huxiao.core.errors import ConflictError
from huxiao.hazards.choices import State
from huxiao.lib.hashing import canonical_json, sha256_hex
from huxiao.monthly import selectors, services
from huxiao.monthly.choices import EventKind, ReportState
from huxiao.monthly.models import MonthlyReport
from huxiao.monthly.tests.helpers import AFTER, NOW, clock_fixture  # noqa: F401
from huxiao.schools.models import School
from huxiao.testsupport.cast import audit_mark, audit_since
from huxiao.testsupport.hazards import make_hazard

pytestmark = pytest.mark.usefixtures("media_root", "month_over")
Y, M = 2026, 11


@pytest.fixture
def month_over(clock):
    """November is over: its report may be submitted (due 2026-12-28)."""
    clock.move_to(AFTER)
    return clock


def _submit(cast, **manual):
    unit = cast.qingsong.organisation
    if manual:
        services.report_save_manual(
            acting_user=cast.qingsong_lead, unit=unit, year=Y, month=M, values=manual, expected_version=None
        )
    report = MonthlyReport.objects.get(unit=unit, year=Y, month=M) if manual else None
    return services.report_submit(
        acting_user=cast.qingsong_lead,
        unit=unit,
        year=Y,
        month=M,
        expected_version=report.version if report else None,
    )


def test_submitting_freezes_the_values_under_their_hash(cast, month_over):
    month_over.move_to(NOW)
    make_hazard(cast, state=State.OPEN)
    month_over.move_to(AFTER)
    mark = audit_mark()
    report = _submit(cast, m_hotspots_fixed=3, m_text_plan="寒假前安全教育")
    assert report.state == ReportState.SUBMITTED
    assert report.content_hash == sha256_hex(canonical_json(report.snapshot))
    assert report.snapshot["values"]["haz_found"] == 1
    assert report.snapshot["values"]["m_hotspots_fixed"] == 3
    assert report.snapshot["schools"] == [cast.qingsong.pk]
    assert [e.action for e in audit_since(mark)] == ["monthly.save", "monthly.submit"]
    # New data about the month after submission does not change the submitted table.
    month_over.move_to(NOW)
    make_hazard(cast, state=State.OPEN, title="另一处隐患")
    month_over.move_to(AFTER)
    assert selectors.computed(School.objects.filter(pk=cast.qingsong.pk), Y, M)["haz_found"] == 2
    table = selectors.unit_table(cast.qingsong.organisation, Y, M)
    assert table.values["haz_found"] == 1 and not table.live


def test_the_hash_differs_when_the_values_differ(cast):
    first = _submit(cast, m_hotspots_fixed=3)
    other = dict(first.snapshot, values=dict(first.snapshot["values"], m_hotspots_fixed=4))
    assert services.content_hash(other) != first.content_hash
    assert services.content_hash(dict(first.snapshot)) == first.content_hash


def test_a_submitted_report_refuses_edits(cast):
    report = _submit(cast, m_hotspots_fixed=3)
    with pytest.raises(ValidationError, match="已锁定"):
        services.report_save_manual(
            acting_user=cast.qingsong_lead,
            unit=report.unit,
            year=Y,
            month=M,
            values={"m_hotspots_fixed": 9},
            expected_version=report.version,
        )
    with pytest.raises(ValidationError, match="不能重复报送"):
        services.report_submit(
            acting_user=cast.qingsong_lead, unit=report.unit, year=Y, month=M, expected_version=report.version
        )
    # and the model itself refuses a changed snapshot or manual value
    report.manual = {"m_hotspots_fixed": 9}
    with pytest.raises(ValidationError, match="锁定"):
        report.save()
    assert MonthlyReport.objects.get(pk=report.pk).manual["m_hotspots_fixed"] == 3


def test_the_xuequ_accepts_and_the_report_stays_locked(cast):
    report = _submit(cast, m_hotspots_fixed=3)
    mark = audit_mark()
    accepted = services.report_accept(
        acting_user=cast.centre_officer, report=report, expected_version=report.version
    )
    assert accepted.state == ReportState.ACCEPTED and accepted.decided_by == cast.centre_officer
    assert accepted.content_hash == report.content_hash
    assert [e.action for e in audit_since(mark)] == ["monthly.accept"]


def test_returned_reports_are_drafts_again_with_history(cast):
    report = _submit(cast, m_hotspots_fixed=3)
    first_hash = report.content_hash
    with pytest.raises(ValidationError):
        services.report_return(
            acting_user=cast.centre_officer, report=report, expected_version=report.version, reason=" "
        )
    returned = services.report_return(
        acting_user=cast.centre_officer, report=report, expected_version=report.version, reason="场次有误"
    )
    assert returned.state == ReportState.RETURNED and returned.return_reason == "场次有误"
    assert selectors.unit_table(returned.unit, Y, M).live
    saved = services.report_save_manual(
        acting_user=cast.qingsong_lead,
        unit=returned.unit,
        year=Y,
        month=M,
        values={"m_hotspots_fixed": 2},
        expected_version=returned.version,
    )
    again = services.report_submit(
        acting_user=cast.qingsong_lead, unit=saved.unit, year=Y, month=M, expected_version=saved.version
    )
    assert again.content_hash != first_hash
    kinds = list(again.events.order_by("pk").values_list("kind", "content_hash"))
    assert [k for k, _ in kinds] == [
        EventKind.SAVED,
        EventKind.SUBMITTED,
        EventKind.RETURNED,
        EventKind.SAVED,
        EventKind.SUBMITTED,
    ]
    assert kinds[1][1] == first_hash and kinds[4][1] == again.content_hash


def test_a_stale_version_is_refused(cast):
    unit = cast.qingsong.organisation
    first = services.report_save_manual(
        acting_user=cast.qingsong_lead,
        unit=unit,
        year=Y,
        month=M,
        values={"m_hotspots_fixed": 1},
        expected_version=None,
    )
    services.report_save_manual(
        acting_user=cast.qingsong_lead,
        unit=unit,
        year=Y,
        month=M,
        values={"m_hotspots_fixed": 2},
        expected_version=first.version,
    )
    with pytest.raises(ConflictError, match="罗志强"):
        services.report_save_manual(
            acting_user=cast.qingsong_lead,
            unit=unit,
            year=Y,
            month=M,
            values={"m_hotspots_fixed": 3},
            expected_version=first.version,
        )
    assert MonthlyReport.objects.get(unit=unit).manual["m_hotspots_fixed"] == 2


def test_only_the_unit_submits_and_only_the_parent_decides(cast):
    unit = cast.qingsong.organisation
    for user in (cast.mingde_lead, cast.police, cast.centre_officer, cast.observer):
        with pytest.raises(PermissionDenied):
            services.report_submit(acting_user=user, unit=unit, year=Y, month=M, expected_version=None)
    report = _submit(cast)
    for user in (cast.qingsong_lead, cast.police, cast.safety_officer, cast.outsider):
        with pytest.raises(PermissionDenied):
            services.report_accept(acting_user=user, report=report, expected_version=report.version)


def test_bad_manual_values_name_the_column(cast):
    with pytest.raises(ValidationError) as exc:
        services.report_save_manual(
            acting_user=cast.qingsong_lead,
            unit=cast.qingsong.organisation,
            year=Y,
            month=M,
            values={"m_hotspots_fixed": -1, "m_text_plan": "长" * 2001},
            expected_version=None,
        )
    text = str(exc.value)
    assert "整治周边治安乱点数" in text and "下月计划" in text
    assert not MonthlyReport.objects.exists()


def test_a_future_month_cannot_be_reported(cast):
    with pytest.raises(ValidationError, match="尚未开始"):
        services.report_submit(
            acting_user=cast.qingsong_lead,
            unit=cast.qingsong.organisation,
            year=2027,
            month=1,
            expected_version=None,
        )


def test_a_month_in_progress_is_filled_in_but_not_submitted(cast, month_over):
    """每月28日前报送上月统计表: November's report waits for November to end."""
    month_over.move_to(NOW)
    unit = cast.qingsong.organisation
    services.report_save_manual(
        acting_user=cast.qingsong_lead,
        unit=unit,
        year=Y,
        month=M,
        values={"m_hotspots_fixed": 2},
        expected_version=None,
    )
    with pytest.raises(ValidationError) as exc:
        services.report_submit(
            acting_user=cast.qingsong_lead, unit=unit, year=Y, month=M, expected_version=None
        )
    assert exc.value.messages == ["2026年11月尚未结束，月报须在月末之后报送（截止2026年12月28日）"]
    report = MonthlyReport.objects.get(unit=unit, year=Y, month=M)
    assert report.state == ReportState.DRAFT and report.snapshot is None
    # The last day of the month is still in it; the first day after, submitting works.
    month_over.move_to(dt.datetime(2026, 11, 30, 23, 0, tzinfo=AFTER.tzinfo))
    with pytest.raises(ValidationError, match="尚未结束"):
        services.report_submit(
            acting_user=cast.qingsong_lead, unit=unit, year=Y, month=M, expected_version=None
        )
    month_over.move_to(dt.datetime(2026, 12, 1, 0, 5, tzinfo=AFTER.tzinfo))
    report = services.report_submit(
        acting_user=cast.qingsong_lead, unit=unit, year=Y, month=M, expected_version=report.version
    )
    assert report.state == ReportState.SUBMITTED


def test_a_parent_defaults_to_its_childrens_submitted_manual_figures(cast):
    _submit(cast, m_hotspots_fixed=3, m_checks_hire=500)
    table = selectors.unit_table(cast.pulv_centre, Y, M)
    assert table.values["m_hotspots_fixed"] == 3 and table.manual_defaults["m_checks_hire"] == 500
    services.report_save_manual(
        acting_user=cast.centre_officer,
        unit=cast.pulv_centre,
        year=Y,
        month=M,
        values={"m_hotspots_fixed": 5},
        expected_version=None,
    )
    assert selectors.unit_table(cast.pulv_centre, Y, M).values["m_hotspots_fixed"] == 5


def test_a_street_defaults_to_its_main_rows_not_the_overlapping_police_rows(cast):
    """A 街道's schools are counted once through its 学区; its 派出所 cover the same schools, so
    their ※ figures are shown in their own group but never added to the 街道's default."""
    for user, unit in ((cast.centre_officer, cast.pulv_centre), (cast.police, cast.pulv_police)):
        services.report_save_manual(
            acting_user=user,
            unit=unit,
            year=Y,
            month=M,
            values={"m_law_vice_principals": 12},
            expected_version=None,
        )
        report = MonthlyReport.objects.get(unit=unit, year=Y, month=M)
        services.report_submit(acting_user=user, unit=unit, year=Y, month=M, expected_version=report.version)
    table = selectors.unit_table(cast.pulv_safety_office, Y, M)
    assert table.manual_defaults["m_law_vice_principals"] == 12
    rollup = selectors.rollup(cast.pulv_safety_office, Y, M)
    assert rollup.total.values["m_law_vice_principals"] == 12
    assert {r.group: r.values["m_law_vice_principals"] for r in rollup.rows if r.org} == {
        "": 12,
        "派出所": 12,
    }
