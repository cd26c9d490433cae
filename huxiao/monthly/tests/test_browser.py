"""Browser test of the Done-when path on a 375 px phone (headless Debian chromium): the school's
safety lead `anquan` fills in and submits 蒲吕青松中学's monthly 统计表, and the 学区 (`xuequ`)
accepts it; the roll-up table scrolls inside its box, never the page.

Screenshots go to test-artifacts/screenshots/monthly-*.png. Every page: no console errors, no
request to another host, no CSP violation, no sideways scrolling.
"""

from __future__ import annotations

from functools import partial

import pytest
from django.utils import timezone

from huxiao.monthly.choices import ReportState
from huxiao.monthly.due import due_date, month_now_due
from huxiao.monthly.models import MonthlyReport
from huxiao.schools.models import School
from huxiao.testsupport.browser import (
    PHONE,
    no_sideways_scroll,
    phone_session,
    shot,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(transactional_db, settings, tmp_path, one_request_at_a_time):
    from huxiao.demo.loader import load_demo

    settings.MEDIA_ROOT = tmp_path / "media"
    load_demo()
    return School.objects.get(name="蒲吕青松中学")


phone = partial(phone_session, accept_dialogs=True)


def test_the_school_submits_and_the_xuequ_accepts_on_a_phone(browser, live_server, demo):
    today = timezone.localdate()
    year, month = month_now_due(today)  # last month: its report is due this month
    unit = demo.organisation
    with phone(browser, live_server.url, "anquan") as page:
        page.goto(f"{live_server.url}/monthly/")
        no_sideways_scroll(page, "report list")
        shot(page, "monthly", "list-school", PHONE)
        page.locator("a.btn", has_text="填报").first.click()
        page.wait_for_url(f"**/monthly/{unit.pk}/{year}/{month}/")
        no_sideways_scroll(page, "report page")
        page.fill("#id_m_hotspots_fixed", "2")
        page.get_by_role("button", name="保存手填数据").click()
        page.locator(".messages", has_text="手填数据已保存。").wait_for()
        shot(page, "monthly", "draft", PHONE)
        if today > due_date(unit.region, year, month):  # late: said plainly, not blocked
            assert "仍可报送" in page.locator("[data-late]").inner_text()
        button = page.get_by_role("button", name=f"报送{year}年{month}月统计表")
        box = button.bounding_box()
        assert box is not None and box["height"] >= 44
        button.click()
        page.locator(".messages", has_text="已报送").wait_for()
        report = MonthlyReport.objects.get(unit=unit, year=year, month=month)
        assert page.locator("[data-hash]").inner_text() == report.content_hash
        no_sideways_scroll(page, "submitted report")
        shot(page, "monthly", "submitted", PHONE)
    assert report.state == ReportState.SUBMITTED and report.snapshot["values"]["m_hotspots_fixed"] == 2

    with phone(browser, live_server.url, "xuequ") as page:
        page.goto(f"{live_server.url}/monthly/")
        page.get_by_role("link", name="蒲吕青松中学").first.click()
        page.wait_for_url(f"**/monthly/{unit.pk}/{year}/{month}/")
        page.get_by_role("button", name="审核通过").click()
        page.locator(".messages", has_text="已审核通过。").wait_for()
        assert page.locator("[data-report-state]").inner_text() == "已审核通过"
        shot(page, "monthly", "accepted", PHONE)
        page.goto(f"{live_server.url}/monthly/{report.unit.school.school_district_id}/{year}/{month}/rollup/")
        no_sideways_scroll(page, "roll-up")
        wrap = page.locator(".rollup-wrap")
        assert wrap.evaluate("e => e.scrollWidth > e.clientWidth")  # the table scrolls inside its box
        first = page.locator(".rollup tbody th.sticky").first
        before = first.bounding_box()
        wrap.evaluate("e => { e.scrollLeft = 600; }")
        after = first.bounding_box()
        assert before and after and abs(before["x"] - after["x"]) < 1  # the unit column stays put
        shot(page, "monthly", "rollup", PHONE)
        page.goto(f"{live_server.url}/monthly/late/")
        no_sideways_scroll(page, "late list")
        shot(page, "monthly", "late", PHONE)
    assert MonthlyReport.objects.get(pk=report.pk).state == ReportState.ACCEPTED
