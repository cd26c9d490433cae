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

import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings

from huxiao.accounts.roles import ROLES, Cap
from huxiao.demo import data

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(settings.BASE_DIR) / "test-artifacts" / "screenshots"
PHONE, DESKTOP = 375, 1440
CONTEXTS = {
    # A police officer at a school gate: a phone that honours <meta name=viewport>.
    PHONE: dict(viewport={"width": PHONE, "height": 812}, is_mobile=True, has_touch=True),
    # A district official at a desk.
    DESKTOP: dict(viewport={"width": DESKTOP, "height": 900}),
}

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
# The security auditor (三员分立) reads the audit log only: no school registry at all.
NO_SCHOOL_LIST = {"shenji"}


def _ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _has_cjk_font() -> bool:
    try:
        found = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, check=False)
    except FileNotFoundError:
        return False
    return bool(found.stdout.strip())


@pytest.fixture(scope="module")
def browser():
    missing = None
    if not Path(CHROMIUM).exists():
        missing = f"{CHROMIUM} is missing"
    elif not _has_cjk_font():
        missing = "no Chinese font (fc-list :lang=zh is empty), every character would be a box"
    if missing:
        reason = f"{missing}: apt-get install -y chromium fonts-noto-cjk"
        if _ci():
            pytest.fail(f"CI is set but {reason}", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop registered on this thread, which makes
    # Django refuse ORM calls here (load_demo, the database flush after each test). The
    # server side runs in live_server's own thread and is unaffected. Set only while this
    # module's browser is up, so other tests in the same xdist worker keep Django's guard.
    env = pytest.MonkeyPatch()
    env.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        env.undo()


@dataclass
class Watch:
    """Everything a page did that a smoke test cares about."""

    origin: str
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    csp: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    expected_statuses: dict[str, int] = field(default_factory=dict)

    def attach(self, page) -> None:
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.console_errors.append(f"pageerror: {e}"))
        page.on("requestfailed", lambda r: self.failed.append(f"{r.url} ({r.failure})"))
        page.on("response", self._response)

    def _console(self, msg) -> None:
        if "Content Security Policy" in msg.text:
            self.csp.append(msg.text)
        if msg.type == "error":
            url = (msg.location or {}).get("url", "")
            # Chromium logs every 4xx document as "Failed to load resource"; a 403 we asked for
            # on purpose is not an error.
            if "Failed to load resource" in msg.text and url in self.expected_statuses:
                return
            self.console_errors.append(f"{msg.text} @ {url}")

    def _response(self, response) -> None:
        if response.status >= 400 and self.expected_statuses.get(response.url) != response.status:
            self.failed.append(f"{response.url} → HTTP {response.status}")

    def assert_clean(self, where: str) -> None:
        foreign = [u for u in self.requests if not u.startswith(self.origin + "/")]
        assert not foreign, f"{where}: requests to other hosts: {foreign}"
        assert not self.csp, f"{where}: Content-Security-Policy blocked: {self.csp}"
        assert not self.console_errors, f"{where}: console errors: {self.console_errors}"
        assert not self.failed, f"{where}: failed requests: {self.failed}"


def _no_sideways_scroll(page, where: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    wide = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
             .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
             .slice(0, 5).map(e => e.tagName + '.' + e.className + ': ' + (e.textContent || '').trim().slice(0, 30))"""
    )
    assert width <= PHONE + 1, f"{where}: page is {width}px wide on a {PHONE}px phone; too wide: {wide}"


def _shot(page, username: str, name: str, width: int) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{username}-{name}-{width}.png"), full_page=True)


def _login(page, base: str, username: str) -> None:
    page.goto(f"{base}/")  # not logged in: the login page, with ?next=/
    assert "/accounts/login/" in page.url
    if page.viewport_size["width"] == PHONE:
        _no_sideways_scroll(page, f"{username} login page")
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

    for width, options in CONTEXTS.items():
        context = browser.new_context(locale="zh-CN", **options)
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
                _no_sideways_scroll(page, f"{where} home")
            _shot(page, username, "home", width)

            if width == PHONE:
                # The menu is folded away on a phone and opens with a tap.
                menu = page.get_by_role("button", name="菜单")
                assert not page.locator("#mainnav").is_visible(), f"{where}: menu open before tapping"
                menu.click()
                assert menu.get_attribute("aria-expanded") == "true"
                assert page.locator("#mainnav a").first.is_visible(), f"{where}: menu did not open"
                _no_sideways_scroll(page, f"{where} open menu")
                _shot(page, username, "menu", width)

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
                _no_sideways_scroll(page, f"{where} school list")
            _shot(page, username, "schools", width)

            watch.assert_clean(where)
        finally:
            context.close()
