"""Browser test at 375 px (headless Debian chromium): the demo police officer opens a post's QR
URL on his phone, checks in with the phone's position (geolocation granted in the browser
context), records who stood, checks out; the station page then shows that period staffed.

Screenshots go to test-artifacts/screenshots/duty-*.png. Every page: no console errors, no
request to another host, no CSP violation, no sideways scrolling.
"""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
import time_machine
from django.core.handlers.wsgi import WSGIHandler

from huxiao.accounts.models import User
from huxiao.dashboards.tests.test_browser import (  # the shared browser plumbing
    CONTEXTS,
    PHONE,
    Watch,
    _no_sideways_scroll,
    _shot,
    browser,  # noqa: F401  (fixture)
)
from huxiao.demo import data
from huxiao.duty.models import DutyCheckIn, DutyPost, DutyRecord
from huxiao.duty.tests.factories import at

pytestmark = pytest.mark.browser

GATE = {"latitude": 29.90542, "longitude": 106.11843, "accuracy": 15}


@pytest.fixture
def one_request_at_a_time(monkeypatch):
    """The in-memory SQLite test database is one connection shared by the live server's threads;
    serve one request at a time (as the hazard browser tests do)."""
    lock = threading.Lock()
    original = WSGIHandler.__call__

    def serial(self, environ, start_response):
        with lock:
            return original(self, environ, start_response)

    monkeypatch.setattr(WSGIHandler, "__call__", serial)


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


def test_the_officer_checks_in_and_out_at_the_gate(browser, live_server, demo):  # noqa: F811
    base, post = live_server.url, demo
    context = browser.new_context(
        locale="zh-CN", geolocation=GATE, permissions=["geolocation"], **CONTEXTS[PHONE]
    )
    page = context.new_page()
    watch = Watch(origin=base)
    watch.attach(page)
    try:
        page.goto(f"{base}/duty/p/{post.token}/")  # scanning the QR code; not logged in yet
        assert "/accounts/login/" in page.url
        page.fill("input[name=username]", "minjing")
        page.fill("input[name=password]", data.DEMO_PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(f"{base}/duty/p/{post.token}/")
        page.locator("[data-geo-status]", has_text="已获取位置").wait_for()
        _no_sideways_scroll(page, "check-in page")
        _shot(page, "duty", "checkin", PHONE)

        page.get_by_role("button", name="签到").click()
        page.locator(".msg-success", has_text="签到成功").wait_for()
        page.fill("input[name=aux_police]", "1")
        page.fill("input[name=guards]", "2")
        page.fill("input[name=teachers]", "2")
        page.fill("input[name=volunteers]", "3")
        page.fill("textarea[name=notes]", "秩序良好，学生有序入校。")
        page.get_by_role("button", name="保存执勤情况").click()
        page.locator(".msg-success", has_text="已保存执勤情况").wait_for()
        assert page.locator(".tag.ok", has_text="力量达标").is_visible()
        _no_sideways_scroll(page, "checked in")
        _shot(page, "duty", "checked-in", PHONE)

        page.locator("[data-geo-status]", has_text="已获取位置").wait_for()
        page.get_by_role("button", name="签退").click()
        page.locator(".msg-success", has_text="签退成功").wait_for()
        _shot(page, "duty", "checked-out", PHONE)

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
        _no_sideways_scroll(page, "station page")
        _shot(page, "duty", "station", PHONE)
        page.wait_for_load_state("networkidle")
        watch.assert_clean("minjing's duty pages")
    finally:
        context.close()
