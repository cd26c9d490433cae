"""Browser smoke test: every demo account logs in through the real login form, then the home
page (工作台) and the school list are loaded in headless Debian chromium at a phone width
(375 px) and a desktop width (1440 px).

Screenshots go to test-artifacts/screenshots/<username>-<page>-<width>.png so a person can look
at them. Each page must: render without console errors, load nothing from another host (no
CDN), trip no Content-Security-Policy rule, and not scroll sideways on a phone.

Skipped only when /usr/bin/chromium (or a Chinese font) is missing on a developer machine; with
CI set, that fails the test instead of hiding it.
"""

from __future__ import annotations

import pytest

from huxiao.accounts.roles import ROLES, Cap
from huxiao.demo import data
from huxiao.testsupport.browser import DESKTOP, PHONE, Watch, new_context, no_sideways_scroll, shot

pytestmark = pytest.mark.browser

ACCOUNTS = {username: role for username, _name, _org, role, _title, _shows in data.ACCOUNTS}
SCHOOL_NAMES = [str(s["name"]) for s in data.SCHOOLS]
PULV_STATION_SCHOOLS = {str(s["name"]) for s in data.SCHOOLS if s["police_station"] == "蒲吕派出所"}
BACHUAN_SCHOOLS = {n for n in SCHOOL_NAMES if n.startswith("巴川")}
KINDERGARTENS = {str(s["name"]) for s in data.SCHOOLS if s["school_type"] == "kindergarten"}
# Accounts whose school list is known exactly from the demo data (README's table).
EXPECTED_SCHOOLS = {
    "minjing": PULV_STATION_SCHOOLS,
    "bachuan": BACHUAN_SCHOOLS,
    "anquan": {"蒲吕青松中学"},
    "xiaozhang": {"蒲吕青松中学"},
    "yuanzhang": {"蒲吕小橡树幼儿园"},
}
# The three administrators (三员分立) read no business record: no school registry at all; nor does
# the 门卫, whose only page is the gate log.
NO_SCHOOL_LIST = {"shenji", "admin", "anguan", "menwei"}


def _login(page, base: str, username: str) -> None:
    page.goto(f"{base}/")  # not logged in: the login page, with ?next=/
    assert "/accounts/login/" in page.url
    if page.viewport_size["width"] == PHONE:
        no_sideways_scroll(page, f"{username} login page")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", data.DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/")
    assert page.locator("main h1").inner_text() == "工作台", f"{username}: login did not land on 工作台"
    assert page.title().startswith("工作台")


def _school_names(page) -> set[str]:
    return set(page.locator("#school-results td[data-label='学校'] a").all_text_contents())


@pytest.mark.parametrize("username", list(ACCOUNTS))
def test_demo_account_home_and_school_list(username, browser, live_server, transactional_db):
    from huxiao.demo.loader import load_demo

    load_demo()
    base = live_server.url
    sees_schools = Cap.SCHOOL_VIEW in ROLES[ACCOUNTS[username]].caps
    assert sees_schools == (username not in NO_SCHOOL_LIST), f"{username}: role {ACCOUNTS[username]}"

    for width in (PHONE, DESKTOP):
        context = new_context(browser, width)
        page = context.new_page()
        watch = Watch(origin=base)
        watch.attach(page)
        try:
            _login(page, base, username)
            where = f"{username} @ {width}px"

            # Home page (工作台).
            nav = page.locator("#mainnav a").all_text_contents()
            assert nav[0] == "工作台", f"{where}: nav is {nav}"
            assert ("学校名录" in nav) == sees_schools, f"{where}: nav is {nav}"
            assert page.locator(".cards .card").count() >= 1, f"{where}: home shows no cards"
            if width == PHONE:
                no_sideways_scroll(page, f"{where} home")
            shot(page, username, "home", width)

            if width == PHONE:
                # The menu is folded away on a phone and opens with a tap.
                menu = page.get_by_role("button", name="菜单")
                assert not page.locator("#mainnav").is_visible(), f"{where}: menu open before tapping"
                menu.click()
                assert menu.get_attribute("aria-expanded") == "true"
                assert page.locator("#mainnav a").first.is_visible(), f"{where}: menu did not open"
                no_sideways_scroll(page, f"{where} open menu")
                shot(page, username, "menu", width)

            # School list: reached through the menu like a user would.
            if sees_schools:
                page.locator("#mainnav a", has_text="学校名录").click()
                page.wait_for_url(f"{base}/schools/")
                assert page.locator("main h1").inner_text() == "学校名录"
                names = _school_names(page)
                assert names, f"{where}: the school list is empty"
                if username in EXPECTED_SCHOOLS:
                    assert names == EXPECTED_SCHOOLS[username], f"{where}: sees {sorted(names)}"
                if width == DESKTOP and len(names) > 1:
                    # The filters update the list in place through htmx (no reload, CSP intact).
                    page.evaluate("window.__notReloaded = true")
                    page.select_option("select[name=school_type]", "kindergarten")
                    page.wait_for_url("**/schools/?*school_type=kindergarten*")
                    page.wait_for_function(
                        """want => {
                            const got = [...document.querySelectorAll("#school-results td[data-label='学校'] a")]
                                .map(a => a.textContent);
                            return got.length === want.length && got.every(n => want.includes(n));
                        }""",
                        arg=sorted(names & KINDERGARTENS),
                    )
                    assert page.evaluate("window.__notReloaded") is True, f"{where}: filter reloaded the page"
                    filtered = _school_names(page)
                    assert filtered and filtered == names & KINDERGARTENS, f"{where}: filtered to {filtered}"
                    page.goto(f"{base}/schools/")
                if username == "bachuan":
                    assert not [n for n in names if n.startswith("蒲吕")], f"{where}: sees 蒲吕 {names}"
                    assert "蒲吕" not in page.locator("main").inner_text(), f"{where}: page mentions 蒲吕"
            else:
                # No link, and typing the address is refused.
                watch.expected_statuses[f"{base}/schools/"] = 403
                response = page.goto(f"{base}/schools/")
                assert response is not None and response.status == 403, f"{where}: /schools/ not refused"
            if width == PHONE:
                no_sideways_scroll(page, f"{where} school list")
            shot(page, username, "schools", width)

            watch.assert_clean(where)
        finally:
            context.close()
