"""Browser test of the 数据看板 and the 数据大屏 in headless Debian chromium, for the demo
subdistrict leader (jiedao) and the district leader (quzhengfa): the dashboard at 375 px and
1920 px, the 大屏 at 1920×1080 (and stacked at 375 px). Charts are rendered (svg images with
the expected labels), nothing is blocked by the CSP, nothing comes from another host, the
phone never scrolls sideways, and the 大屏 reloads its data fragment by itself.

Screenshots: test-artifacts/screenshots/<username>-dashboard-<width>.png and -screen-….png.
"""

from __future__ import annotations

import pytest

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

WIDE = DESKTOP_WIDE
DASHBOARD_CHARTS = ["隐患状态分布", "在办隐患等级", "整改率", "按期整改率", "近12个月隐患发现与销号"]


def _chart_labels(page) -> list[str]:
    return page.locator("svg[role=img]").evaluate_all("els => els.map(e => e.getAttribute('aria-label'))")


def _assert_charts(page, where: str) -> None:
    labels = _chart_labels(page)
    for title in DASHBOARD_CHARTS:
        assert any(lb.startswith(title) for lb in labels), f"{where}: no chart {title} in {labels}"
    # drawn, not just present: every chart has a size on screen and its text in a Chinese font
    # (the sparklines beside the big figures are small on purpose)
    sizes = page.locator("svg[role=img]:not(.bf-spark *)").evaluate_all(
        "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.width, r.height]; })"
    )
    assert all(w > 40 and h > 20 for w, h in sizes), f"{where}: a chart has no size: {sizes}"
    assert page.locator("svg[role=img] text", has_text="重大").count() >= 1, f"{where}: severity labels"
    assert page.locator(".bf-spark svg polyline").count() == 1, f"{where}: no sparkline beside 在办隐患"


@pytest.fixture
def demo(transactional_db):
    from huxiao.demo.loader import load_demo

    load_demo()


@pytest.mark.parametrize("username", ["jiedao", "quzhengfa"])
def test_the_dashboard_and_the_big_screen_render_for_leaders(
    username,
    browser,
    live_server,
    demo,
    monkeypatch,
):
    # the 大屏 refreshes every 60 s; the test does not wait a minute to see it happen
    monkeypatch.setattr("huxiao.dashboards.views.SCREEN_REFRESH_SECONDS", 2)
    base = live_server.url
    for width in (PHONE, WIDE):
        context = new_context(browser, width, timezone_id="Asia/Shanghai")
        page = context.new_page()
        watch = Watch(origin=base)
        watch.attach(page)
        try:
            login(page, base, username)
            where = f"{username} @ {width}px"

            page.goto(f"{base}/dashboard/")
            assert page.locator("main h1").inner_text() == "数据看板"
            shot(page, username, "dashboard", width)
            _assert_charts(page, f"{where} 数据看板")
            if width == PHONE:
                no_sideways_scroll(page, f"{where} 数据看板")

            page.get_by_role("link", name="数据大屏").click()
            page.wait_for_url(f"{base}/screen/")
            assert page.locator("h1").inner_text() == "护校安园 · 数据大屏"
            assert page.locator("#mainnav").count() == 0
            shot(page, username, "screen", width)
            _assert_charts(page, f"{where} 数据大屏")
            # the clock runs in Beijing time, written 2026年11月29日
            page.wait_for_function(
                "() => /\\d{4}年\\d{1,2}月\\d{1,2}日 星期. \\d\\d:\\d\\d:\\d\\d/.test(document.querySelector('[data-clock]').textContent)"
            )
            if width == PHONE:
                no_sideways_scroll(page, f"{where} 数据大屏")

            if width == WIDE:
                # the data fragment reloads by itself (every 2 s here): the stamp changes, the page stays
                first = page.locator("[data-refreshed]").get_attribute("datetime")
                page.evaluate("window.__notReloaded = true")
                response = page.wait_for_event("response", lambda r: r.url.endswith("/screen/data/"))
                assert response.status == 200
                page.wait_for_function(
                    "first => document.querySelector('[data-refreshed]').getAttribute('datetime') !== first",
                    arg=first,
                )
                assert page.evaluate("window.__notReloaded") is True, (
                    f"{where}: the 大屏 reloaded the whole page"
                )
                _assert_charts(page, f"{where} 数据大屏 refreshed")
            watch.assert_clean(where)
        finally:
            context.close()
