"""Browser test of the campaign page in headless Debian chromium, at a 375 px phone and a
1920 px desktop: the demo's campaign in progress shows its phase timeline with today's red marker in
the 验收/巩固提高 rows, progress per phase and the units' cards; no console errors, no CSP
violation, nothing from another host, no sideways scrolling on the phone. A school's safety lead
opens the risk alert and answers it on the phone.

Screenshots: test-artifacts/screenshots/<username>-campaign-<width>.png (and -alert-375).
"""

from __future__ import annotations

import pytest

from huxiao.campaigns.choices import CampaignStatus
from huxiao.campaigns.models import Campaign, RiskAlert
from huxiao.testsupport.browser import (
    DESKTOP_WIDE,
    PHONE,
    Watch,
    login,
    new_context,
    no_sideways_scroll,
    shot,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(transactional_db, settings, tmp_path, one_request_at_a_time):
    from huxiao.demo.loader import load_demo

    settings.MEDIA_ROOT = tmp_path / "media"
    load_demo()


@pytest.mark.parametrize("width", [PHONE, DESKTOP_WIDE])
def test_campaign_page_shows_the_timeline_with_today(browser, live_server, demo, width):
    campaign = Campaign.objects.get(status=CampaignStatus.ACTIVE)
    context = new_context(browser, width)
    page = context.new_page()
    watch = Watch(live_server.url)
    watch.attach(page)
    try:
        login(page, live_server.url, "xuequ")
        page.goto(f"{live_server.url}/campaigns/")
        page.get_by_role("link", name=campaign.name).click()
        page.wait_for_url(f"{live_server.url}/campaigns/{campaign.pk}/")
        where = f"campaign page at {width}px"
        assert page.locator("main h1").inner_text() == campaign.name
        timeline = page.locator(".cp-timeline")
        assert timeline.is_visible(), where
        rows = page.locator(".cp-timeline .cp-row")
        assert rows.count() == 4
        current = page.locator(".cp-timeline .cp-row.cp-current .cp-label b").all_text_contents()
        assert current == ["验收", "巩固提高"], where
        today_label = page.locator("[data-today]")
        assert today_label.is_visible() and "今天" in today_label.inner_text()
        marker = page.locator(".cp-current .cp-today").first
        box = marker.bounding_box()
        bar = page.locator(".cp-current .cp-bar").first.bounding_box()
        assert box is not None and bar is not None and box["height"] > 0, where
        # today (3–9 days into 验收: the story is moved by whole weeks) sits just inside the start of the
        # 验收 bar (67 days)
        assert bar["x"] <= box["x"] <= bar["x"] + bar["width"] * 0.2, (where, box, bar)
        assert "验收" in page.locator(".cp-phase-now").inner_text()
        assert page.locator(".cp-unit").count() >= 6
        assert page.locator(".cp-phases progress").count() == 4
        if width == PHONE:
            no_sideways_scroll(page, where)
        shot(page, "xuequ", "campaign", width)
        watch.assert_clean(where)
    finally:
        context.close()


def test_a_school_answers_the_risk_alert_on_a_phone(browser, live_server, demo):
    alert = RiskAlert.objects.get(title__startswith="冬季校园消防")
    context = new_context(browser, PHONE)
    page = context.new_page()
    watch = Watch(live_server.url)
    watch.attach(page)
    try:
        login(page, live_server.url, "shilong")
        page.goto(f"{live_server.url}/campaigns/alerts/{alert.pk}/")
        assert page.locator(".cp-recipient").count() == 1  # its own school only
        page.fill("textarea[name=response]", "已清理教室取暖电器，检查灭火器4具。")
        page.get_by_role("button", name="反馈落实情况").click()
        page.locator(".cp-recipient", has_text="已反馈").wait_for()
        no_sideways_scroll(page, "alert page")
        shot(page, "shilong", "alert", PHONE)
        watch.assert_clean("alert page")
    finally:
        context.close()
    assert alert.recipients.get(school__name="蒲吕石龙村小学").response.startswith("已清理")
