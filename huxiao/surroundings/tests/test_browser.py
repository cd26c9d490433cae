"""The map on a 375 px phone (headless Debian chromium): the offline coordinate view draws the
schools, their 200 m circles, venues and gate points; tapping a school shows its popup with a
link; a layer toggle hides the venues. The venue register and a venue page stay within the
screen. Screenshots: test-artifacts/screenshots/surroundings-*.png. Every page: no console
error, no request to another host, no CSP violation."""

from __future__ import annotations

import math
from functools import partial

import pytest

from huxiao.surroundings import services
from huxiao.surroundings.tests.factories import build_world, make_point, make_venue
from huxiao.testsupport.browser import (
    PHONE,
    no_sideways_scroll,
    phone_session,
    shot,
)
from huxiao.testsupport.cast import PASSWORD, build_cast

pytestmark = pytest.mark.browser


@pytest.fixture
def places(transactional_db, settings, one_request_at_a_time):
    settings.HUXIAO_MAP_TILE_URL = ""
    world = build_world(build_cast())
    cafe = make_venue(world.qingsong, 120, 40, name="极速网咖")
    make_venue(world.qingsong, 0, 180, kind="entertainment", name="金嗓子KTV")
    make_venue(world.mingde, 0, 60, kind="shop", name="童趣小卖部")
    make_point(world.qingsong, "正门（青松路）")
    services.venue_check_record(
        acting_user=world.police,
        venue=cafe,
        checked_on=cafe.created_at.date(),
        result="problem",
        findings="接纳未成年人上网",
    )
    return {"world": world, "cafe": cafe}


phone = partial(phone_session, password=PASSWORD)


def test_the_offline_map_on_a_phone(browser, live_server, places):
    with phone(browser, live_server.url, "police") as page:
        page.goto(f"{live_server.url}/surroundings/")
        page.wait_for_selector("#sur-map svg .sur-m")
        assert page.locator("#sur-map").get_attribute("data-mode") == "offline"
        assert page.locator(".sur-m.layer-school").count() == 2
        assert page.locator(".sur-m.layer-venue").count() == 3
        assert page.locator(".sur-m.layer-venue.problem").count() == 1  # the 网吧 with a finding
        assert page.locator(".sur-m.layer-traffic").count() == 1
        assert page.locator(".sur-radius circle").count() == 2
        assert page.locator(".sur-gridline").count() >= 4  # the lat/lng grid of the offline view
        assert page.locator(".sur-scalelabel").text_content().endswith("米")
        no_sideways_scroll(page, "map")
        shot(page, "surroundings", "map", PHONE)

        page.locator(f"#school-{places['world'].qingsong.pk}").click()
        popup = page.locator(".sur-popup")
        popup.wait_for(state="visible")
        assert "蒲吕青松中学" in popup.inner_text()
        assert popup.get_by_role("link", name="查看详情 ›").get_attribute("href") == (
            f"/schools/{places['world'].qingsong.pk}/"
        )
        shot(page, "surroundings", "map-popup", PHONE)

        page.locator("input[data-layer=venue]").uncheck()
        assert not page.locator(".sur-m.layer-venue").first.is_visible()
        zoom_before = page.locator(".sur-scalelabel").text_content()
        page.get_by_role("button", name="放大").click()
        page.get_by_role("button", name="放大").click()
        assert page.locator(".sur-scalelabel").text_content() != zoom_before


def test_the_venue_register_and_page_on_a_phone(browser, live_server, places):
    with phone(browser, live_server.url, "police") as page:
        page.goto(f"{live_server.url}/surroundings/venues/")
        assert page.locator("td[data-label='联系电话']").first.inner_text() == "138****1234"
        no_sideways_scroll(page, "venue register")
        shot(page, "surroundings", "venues", PHONE)
        page.get_by_role("link", name="极速网咖").click()
        page.wait_for_url(f"**/surroundings/venues/{places['cafe'].pk}/")
        assert "转为隐患" in page.locator(".timeline").inner_text()
        no_sideways_scroll(page, "venue page")
        shot(page, "surroundings", "venue", PHONE)


def test_the_map_lays_configured_tiles_under_the_overlay(browser, live_server, places, settings):
    # a tile "server" the page may load under CSP (data: URLs), drawing its own z/x/y
    settings.HUXIAO_MAP_TILE_URL = (
        "data:image/svg+xml;utf8,<svg xmlns='http://www.w3.org/2000/svg' width='256' height='256'>"
        "<rect width='256' height='256' fill='%23dde8d0' stroke='%23999'/><text x='8' y='20'>{z}/{x}/{y}</text></svg>"
    )
    settings.HUXIAO_MAP_TILE_ATTRIBUTION = "测试底图"
    with phone(browser, live_server.url, "police") as page:
        page.goto(f"{live_server.url}/surroundings/")
        page.wait_for_selector("#sur-map svg .sur-m")
        assert page.locator("#sur-map").get_attribute("data-mode") == "tiles"
        tiles = page.locator(".sur-tiles image")
        assert tiles.count() >= 2
        href = tiles.first.get_attribute("href")
        z, x, y = (int(n) for n in href.split("<text x='8' y='20'>")[1].split("<")[0].split("/"))
        # 蒲吕 (29.90° N, 106.12° E) at zoom z lies in tile x ≈ (106.12 + 180) / 360 · 2^z
        assert abs(x - int((106.12 + 180) / 360 * 2**z)) <= 2 and 14 <= z <= 18
        phi = math.radians(29.90)
        assert abs(y - int((1 - math.log(math.tan(phi) + 1 / math.cos(phi)) / math.pi) / 2 * 2**z)) <= 2
        assert page.locator(".sur-gridline").count() == 0  # no offline grid over real tiles
        assert "测试底图" in page.locator(".sur-attrib").inner_text()
        shot(page, "surroundings", "map-tiles", PHONE)
