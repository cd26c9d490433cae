"""Browser test at 320 and 375 px (headless Debian chromium): the demo police officer opens a post's QR
URL on his phone, checks in with the phone's position (geolocation granted in the browser
context), records who stood, checks out; the station page then shows that period staffed.

Screenshots go to test-artifacts/screenshots/duty-*.png. Every page: no console errors, no
request to another host, no CSP violation, no sideways scrolling.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
import time_machine

from huxiao.accounts.models import User
from huxiao.duty.models import DutyCheckIn, DutyPost, DutyRecord
from huxiao.duty.tests.factories import at
from huxiao.testsupport.browser import PHONE, SMALL_PHONE, Watch, login, new_context, no_sideways_scroll, shot

pytestmark = pytest.mark.browser

GATE = {"latitude": 29.90542, "longitude": 106.11843, "accuracy": 15}


@pytest.fixture
def thursday_morning():
    """07:25 on Thursday 26 November 2026, a school day, in 早高峰's check-in window; time runs on."""
    with time_machine.travel(at(2026, 11, 26, 7, 25), tick=True):
        yield


@pytest.fixture
def demo(transactional_db, thursday_morning, one_request_at_a_time):
    from huxiao.demo.loader import load_demo

    load_demo()
    return DutyPost.objects.get(school__name="蒲吕青松中学", name="正门")


@pytest.mark.parametrize("width", [SMALL_PHONE, PHONE])
def test_the_officer_checks_in_and_out_at_the_gate(browser, live_server, demo, width):
    base, post = live_server.url, demo
    context = new_context(browser, width, geolocation=GATE, permissions=["geolocation"])
    page = context.new_page()
    watch = Watch(origin=base)
    watch.attach(page)
    try:
        # scanning the QR code, not logged in yet: the login page, then back to the post
        login(page, base, "minjing", start=f"/duty/p/{post.token}/", lands=f"/duty/p/{post.token}/")
        page.locator("[data-geo-status]", has_text="已获取位置").wait_for()
        no_sideways_scroll(page, "check-in page")
        shot(page, "duty", "checkin")

        page.get_by_role("button", name="签到").click()
        page.locator(".msg-success", has_text="签到成功").wait_for()
        no_sideways_scroll(page, "just checked in")
        page.fill("input[name=aux_police]", "1")
        page.fill("input[name=guards]", "2")
        page.fill("input[name=teachers]", "2")
        page.fill("input[name=volunteers]", "3")
        page.fill("textarea[name=notes]", "秩序良好，学生有序入校。")
        page.get_by_role("button", name="保存执勤情况").click()
        page.locator(".msg-success", has_text="已保存执勤情况").wait_for()
        assert page.locator(".tag.ok", has_text="力量达标").is_visible()
        no_sideways_scroll(page, "checked in")
        shot(page, "duty", "checked-in")

        page.locator("[data-geo-status]", has_text="已获取位置").wait_for()
        page.get_by_role("button", name="签退").click()
        page.locator(".msg-success", has_text="签退成功").wait_for()
        no_sideways_scroll(page, "checked out")
        shot(page, "duty", "checked-out")

        checkin = DutyCheckIn.objects.get(record__post=post, record__date="2026-11-26")
        assert checkin.user == User.objects.get(username="minjing")
        assert checkin.in_latitude == Decimal("29.905420") and checkin.in_accuracy == 15
        assert checkin.checked_out_at is not None and checkin.out_longitude == Decimal("106.118430")
        record = DutyRecord.objects.get(post=post, date="2026-11-26")
        assert (record.period.kind, record.police, record.guards) == ("morning", 1, 2)

        page.goto(f"{base}/duty/")
        slot = page.locator(".post-row", has_text="蒲吕青松中学 · 正门").locator(".slot").first
        assert "slot-staffed" in slot.get_attribute("class")
        assert "slot-running" in slot.get_attribute("class")
        assert "已到岗" in slot.inner_text()
        # the other posts' 早高峰 runs unstaffed: red while it runs
        assert page.locator(".slot-missing.slot-running").count() >= 1
        assert "2026年11月25日" in page.locator("#yesterday").inner_text()
        no_sideways_scroll(page, "station page")
        shot(page, "duty", "station")
        page.wait_for_load_state("networkidle")
        watch.assert_clean("minjing's duty pages")
    finally:
        context.close()
