"""The monthly pages: who sees and does what, messages on refusal, pinned query counts, the
.xlsx in official layout."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from huxiao.hazards.choices import State
from huxiao.monthly.choices import ReportState
from huxiao.monthly.models import MonthlyReport
from huxiao.monthly.tests.helpers import AFTER, at, clock_fixture  # noqa: F401
from huxiao.testsupport.cast import (
    SIGNED_IN_PAGE_QUERIES,
    assert_redirects_to_login,
    audit_mark,
    audit_since,
    make_school,
)
from huxiao.testsupport.hazards import make_hazard

pytestmark = pytest.mark.usefixtures("media_root", "clock")
Y, M = 2026, 11


def url(unit, action: str = "", y: int = Y, m: int = M) -> str:
    return f"/monthly/{unit.pk}/{y}/{m}/" + (f"{action}/" if action else "")


def manual_post(version=None, **values) -> dict:
    data = {"version": "" if version is None else version}
    data.update({k: str(v) for k, v in values.items()})
    return data


def test_anonymous_users_go_to_the_login_page(client, cast):
    for path in (
        "/monthly/",
        "/monthly/late/",
        url(cast.qingsong.organisation),
        url(cast.pulv_centre, "rollup"),
    ):
        assert_redirects_to_login(client.get(path))


def test_outsiders_get_404_for_another_districts_units(client, cast):
    client.force_login(cast.outsider)
    for unit in (cast.qingsong.organisation, cast.pulv_centre, cast.pulv_safety_office):
        assert client.get(url(unit)).status_code == 404
        assert client.get(url(unit, "rollup")).status_code == 404
        assert client.get(url(unit, "xlsx")).status_code == 404
        assert client.post(url(unit, "submit"), {"version": ""}).status_code == 404
    assert client.get(url(cast.bachuan_safety_office)).status_code == 200


def test_a_school_sees_only_its_own_unit(client, cast):
    client.force_login(cast.mingde_lead)
    assert client.get(url(cast.qingsong.organisation)).status_code == 404
    assert client.get(url(cast.pulv_centre)).status_code == 404
    assert client.get(url(cast.mingde.organisation)).status_code == 200


def test_read_only_roles_see_but_cannot_write(client, cast):
    client.force_login(cast.observer)
    unit = cast.qingsong.organisation
    page = client.get(url(unit))
    assert page.status_code == 200 and url(unit, "save") not in page.content.decode()
    assert client.post(url(unit, "save"), manual_post(m_hotspots_fixed=1)).status_code == 403
    assert client.post(url(unit, "submit"), {"version": ""}).status_code == 403
    assert not MonthlyReport.objects.exists()


def test_the_school_saves_and_submits_and_the_xuequ_accepts(client, cast, clock):
    make_hazard(cast, state=State.OPEN)
    clock.move_to(AFTER)  # November is over: its report may be submitted
    unit = cast.qingsong.organisation
    client.force_login(cast.qingsong_lead)
    page = client.get(url(unit)).content.decode()
    assert url(unit, "save") in page and "※" in page and "计" in page
    mark = audit_mark()
    response = client.post(url(unit, "save"), manual_post(m_hotspots_fixed=4, m_text_plan="开展寒假安全教育"))
    assert response.status_code == 302
    report = MonthlyReport.objects.get(unit=unit, year=Y, month=M)
    assert report.manual["m_hotspots_fixed"] == 4
    response = client.post(url(unit, "submit"), {"version": report.version})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    page = client.get(url(unit)).content.decode()
    assert report.content_hash in page and url(unit, "save") not in page
    # an edit after submission is refused with a message, nothing changes
    response = client.post(url(unit, "save"), manual_post(report.version, m_hotspots_fixed=9))
    assert response.status_code == 409 and "已锁定" in response.content.decode()
    assert MonthlyReport.objects.get(pk=report.pk).manual["m_hotspots_fixed"] == 4
    # the school cannot accept its own report; the 学区 can
    assert client.post(url(unit, "accept"), {"version": report.version}).status_code == 403
    client.force_login(cast.centre_officer)
    assert "审核通过" in client.get(url(unit)).content.decode()
    assert client.post(url(unit, "accept"), {"version": report.version}).status_code == 302
    assert MonthlyReport.objects.get(pk=report.pk).state == ReportState.ACCEPTED
    actions = [e.action for e in audit_since(mark)]
    assert actions == ["monthly.save", "monthly.submit", "monthly.accept"]


def test_returning_needs_a_reason(client, cast, clock):
    clock.move_to(AFTER)
    unit = cast.qingsong.organisation
    client.force_login(cast.qingsong_lead)
    client.post(url(unit, "submit"), {"version": ""})
    report = MonthlyReport.objects.get(unit=unit)
    client.force_login(cast.centre_officer)
    response = client.post(url(unit, "return"), {"version": report.version, "reason": ""})
    assert response.status_code == 400 and "退回理由" in response.content.decode()
    response = client.post(url(unit, "return"), {"version": report.version, "reason": "请补充演练人数"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.RETURNED
    client.force_login(cast.qingsong_lead)
    page = client.get(url(unit)).content.decode()
    assert "请补充演练人数" in page and url(unit, "save") in page


def test_a_stale_form_gets_a_conflict_message(client, cast):
    unit = cast.qingsong.organisation
    client.force_login(cast.qingsong_lead)
    client.post(url(unit, "save"), manual_post(m_hotspots_fixed=1))
    version = MonthlyReport.objects.get(unit=unit).version
    client.post(url(unit, "save"), manual_post(version, m_hotspots_fixed=2))
    response = client.post(url(unit, "save"), manual_post(version, m_hotspots_fixed=3))
    assert response.status_code == 409 and "请刷新后再操作" in response.content.decode()


def test_bad_numbers_are_named(client, cast):
    client.force_login(cast.qingsong_lead)
    response = client.post(
        url(cast.qingsong.organisation, "save"), manual_post(m_hotspots_fixed=-2, m_checks_hire="abc")
    )
    text = response.content.decode()
    assert response.status_code == 400
    assert "整治周边治安乱点数：不能小于0。" in text and "教职员工入职查询人数：须填写整数。" in text


def test_future_months_are_404(client, cast):
    client.force_login(cast.qingsong_lead)
    assert client.get(url(cast.qingsong.organisation, y=2026, m=12)).status_code == 404
    assert client.get(url(cast.qingsong.organisation, y=2026, m=13)).status_code == 404


def _more_schools(cast, n: int, start: int = 0):
    for i in range(start, start + n):
        make_school(
            f"蒲吕测试小学{i}",
            cast.pulv_community,
            own_unit=True,
            police_station=cast.pulv_police,
            school_district=cast.pulv_centre,
        )


# units (+ count), reports of own units, their last months and of the page, and the due day looked up once per
# region (3 regions here: 蒲吕街道, 蒲吕社区, 石龙村) — not per unit, not per school.
LIST_QUERIES = SIGNED_IN_PAGE_QUERIES + 5 + 3


def test_the_report_list_query_count_does_not_grow_with_schools(client, cast, django_assert_max_num_queries):
    client.force_login(cast.safety_officer)
    with django_assert_max_num_queries(LIST_QUERIES):
        assert client.get("/monthly/").status_code == 200
    _more_schools(cast, 12)
    with django_assert_max_num_queries(LIST_QUERIES):
        page = client.get("/monthly/")
    assert "蒲吕测试小学11" in page.content.decode()


def test_the_street_rollup_query_count_does_not_grow_with_schools(
    client, cast, django_assert_max_num_queries
):
    """A 街道's rows are its 学区, the schools without one, and its 派出所: adding schools to a
    学区 adds no row and no query."""
    client.force_login(cast.safety_officer)
    unit = cast.pulv_safety_office
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        assert client.get(url(unit, "rollup")).status_code == 200
    _more_schools(cast, 15)
    with django_assert_max_num_queries(len(before.captured_queries)):
        page = client.get(url(unit, "rollup"))
    assert page.status_code == 200 and "蒲吕学区管理中心" in page.content.decode()


def test_a_rollup_of_submitted_children_reads_their_snapshots(client, cast, clock):
    """Rows of submitted children cost no figure queries: their values are frozen."""
    clock.move_to(AFTER)
    _more_schools(cast, 6)
    client.force_login(cast.centre_officer)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from huxiao.monthly import services
    from huxiao.schools.models import School

    with CaptureQueriesContext(connection) as live:
        client.get(url(cast.pulv_centre, "rollup"))
    for school in School.objects.filter(school_district=cast.pulv_centre):
        services.report_submit(
            acting_user=None, unit=school.organisation, year=Y, month=M, expected_version=None
        )
    with CaptureQueriesContext(connection) as frozen:
        page = client.get(url(cast.pulv_centre, "rollup"))
    assert "已报送" in page.content.decode()
    assert len(frozen.captured_queries) < len(live.captured_queries) - 6


def test_the_xlsx_is_in_the_official_layout(client, cast):
    make_hazard(cast, state=State.OPEN)
    client.force_login(cast.safety_officer)
    mark = audit_mark()
    response = client.get(url(cast.pulv_safety_office, "xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb["统计表"]
    assert ws["A1"].value == "蒲吕街道护校安园工作月度统计表"
    assert any(str(r).startswith("A1:") for r in ws.merged_cells.ranges)
    assert ws["A2"].value == "填报单位（盖章）：蒲吕街道平安办"
    cells = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    assert any(isinstance(v, str) and v.startswith("统计期间：2026年11月1日—2026年11月30日") for v in cells)
    assert any(
        isinstance(v, str) and v.startswith("单位负责人：") and "填表人：" in v and "填报日期：" in v
        for v in cells
    )
    headers = [c.value for c in ws[5]]
    assert "发现隐患数（处）" in headers and any(h and h.startswith("※") for h in headers)
    assert ws.cell(row=6, column=headers.index("发现隐患数（处）") + 1).value == 1
    rate_col = headers.index("整改率（%）") + 1
    assert ws.cell(row=6, column=rate_col).number_format == "0.0%"
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$4:$5"
    detail = wb["下级单位明细"]
    names = [detail.cell(row=r, column=1).value for r in range(6, detail.max_row + 1)]
    assert "蒲吕学区管理中心" in names and "合计" in names
    assert [e.action for e in audit_since(mark)] == ["monthly.export"]


def test_the_late_list_groups_by_parent(client, cast, clock):
    clock.move_to(at(dt.date(2026, 11, 29)))  # October's report was due on the 28th
    client.force_login(cast.safety_officer)
    assert "蒲吕青松中学" not in client.get("/monthly/late/?month=2026-11").content.decode()  # not yet due
    page = client.get("/monthly/late/").content.decode()  # the month now due: October
    assert "报送对象：蒲吕学区管理中心" in page and "蒲吕青松中学" in page
    assert "报送对象：蒲吕街道平安办" in page and "蒲吕派出所" in page


def test_the_xlsx_opens_in_libreoffice(cast, tmp_path):
    """LibreOffice converts the workbook to PDF (skipped where LibreOffice is not installed)."""
    from huxiao.monthly.exports import report_xlsx
    from huxiao.testsupport.documents import libreoffice_pdf

    pdf = libreoffice_pdf(report_xlsx(cast.pulv_safety_office, Y, M), "report.xlsx", tmp_path)
    assert pdf.startswith(b"%PDF") and len(pdf) > 5000


def test_every_live_table_counts_up_to_today_as_submission_does(client, cast, clock, monkeypatch):
    """Mid-month (2026-11-20) the detail page, the roll-up and the .xlsx compute a draft's
    figures over 1–20 November — not days still to come — which is what submission freezes; once
    the month is over the live table and the frozen one both count to 30 November."""
    from huxiao.core import registry
    from huxiao.monthly import selectors, services

    real, real_groups = registry.figures, registry.figures_of_groups
    periods: list[tuple[dt.date, dt.date]] = []

    def recording(schools, start, end):
        periods.append((start, end))
        return real(schools, start, end)

    def recording_groups(groups, union, start, end):  # the roll-up's rows and total at once
        periods.append((start, end))
        return real_groups(groups, union, start, end)

    monkeypatch.setattr(registry, "figures", recording)
    monkeypatch.setattr(registry, "figures_of_groups", recording_groups)
    client.force_login(cast.centre_officer)
    for path in (url(cast.pulv_centre), url(cast.pulv_centre, "rollup"), url(cast.pulv_centre, "xlsx")):
        periods.clear()
        assert client.get(path).status_code == 200
        current = {p for p in periods if p[0] == dt.date(2026, 11, 1)}
        assert current == {(dt.date(2026, 11, 1), dt.date(2026, 11, 20))}, path
    page = client.get(url(cast.pulv_centre)).content.decode()
    assert "实时数据，截至2026年11月20日" in page
    assert "2026年11月尚未结束，月报须在月末之后报送（截止2026年12月28日）" in page
    assert url(cast.pulv_centre, "submit") not in page

    clock.move_to(AFTER)
    live = selectors.unit_table(cast.pulv_centre, Y, M)
    periods.clear()
    report = services.report_submit(
        acting_user=cast.centre_officer, unit=cast.pulv_centre, year=Y, month=M, expected_version=None
    )
    assert periods == [(dt.date(2026, 11, 1), dt.date(2026, 11, 30))]
    assert live.as_of == dt.date(2026, 11, 30) == dt.date.fromisoformat(report.snapshot["as_of"])
    assert selectors.unit_table(cast.pulv_centre, Y, M).values == live.values


def test_the_list_shows_the_month_now_due_by_default(client, cast, clock):
    """On 2026-11-29 the list opens on October (due 2026年11月28日, one day late), and November
    is in progress: due 2026年12月28日, not submittable yet."""
    clock.move_to(at(dt.date(2026, 11, 29)))
    client.force_login(cast.qingsong_lead)
    page = client.get("/monthly/").content.decode()
    assert "2026年10月" in page and "2026年11月28日" in page and "已逾期1天" in page
    november = client.get("/monthly/?month=2026-11").content.decode()
    assert "2026年12月28日" in november and "本月进行中，月末后报送" in november
    # the late October report can be submitted; the page says it is late and does not block
    detail = client.get(url(cast.qingsong.organisation, m=10)).content.decode()
    assert "已超过报送截止日（2026年11月28日）1天，仍可报送" in detail
    assert url(cast.qingsong.organisation, "submit", m=10) in detail
