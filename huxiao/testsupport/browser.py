"""The browser tests' plumbing: headless Debian chromium driven by Playwright, page sizes, a
`Watch` on what a page did, screenshots, the sideways-scroll check and the demo login.

Waits are for what the user waits for — a URL, an element, a text — never a bare navigation
event, and every wait has CI's timeout (`TIMEOUT_MS`): the 2-core CI machine runs the suite on
both cores with the load average at 4–11, where a page that takes 2 s on a laptop takes 20.
The fixtures (`browser`, `one_request_at_a_time`) are in the root conftest.
"""

from __future__ import annotations

import os
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler

from huxiao.demo import data

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
# Every action and wait: long enough for a loaded CI machine, short enough to fail a dead page.
TIMEOUT_MS = int(os.environ.get("HUXIAO_BROWSER_TIMEOUT_MS", "90000"))

SMALL_PHONE, PHONE, DESKTOP, DESKTOP_WIDE = 320, 375, 1440, 1920


def sized(width: int) -> dict:
    """Context options for a window `width` px wide: a phone honouring <meta name=viewport>
    (police at a school gate) up to 700 px, a desk screen above."""
    if width < 700:
        return dict(viewport={"width": width, "height": 812}, is_mobile=True, has_touch=True)
    return dict(viewport={"width": width, "height": 1080 if width >= DESKTOP_WIDE else 900})


def ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _has_cjk_font() -> bool:
    try:
        found = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, check=False)
    except FileNotFoundError:
        return False
    return bool(found.stdout.strip())


def launch() -> Iterator:
    """Yield a running chromium (skip without one on a developer machine; fail under CI)."""
    missing = None
    if not Path(CHROMIUM).exists():
        missing = f"{CHROMIUM} is missing"
    elif not _has_cjk_font():
        missing = "no Chinese font (fc-list :lang=zh is empty), every character would be a box"
    if missing:
        reason = f"{missing}: apt-get install -y chromium fonts-noto-cjk"
        if ci():
            pytest.fail(f"CI is set but {reason}", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop registered on this thread, which makes
    # Django refuse ORM calls here (load_demo, the database flush after each test). The
    # server side runs in live_server's own thread and is unaffected. Set only while the
    # browser is up, so other tests in the same xdist worker keep Django's guard.
    env = pytest.MonkeyPatch()
    env.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        env.undo()


def new_context(browser, width: int = PHONE, **options):
    """A fresh browser context (own cookies) `width` px wide, zh-CN, with CI's timeouts."""
    context = browser.new_context(**{"locale": "zh-CN", **sized(width), **options})
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    return context


@contextmanager
def serial_requests() -> Iterator[None]:
    """The in-memory SQLite test database is one connection shared by the live server's
    threads: two requests at once (thumbnails, an autosave beside a click) both save the session
    and one gets "database table is locked". A deployment (file SQLite in WAL mode, or
    PostgreSQL) waits instead; here the server answers one request at a time."""
    lock = threading.Lock()
    original = WSGIHandler.__call__

    def serial(self, environ, start_response):
        with lock:
            return original(self, environ, start_response)

    WSGIHandler.__call__ = serial  # type: ignore[method-assign]
    try:
        yield
    finally:
        WSGIHandler.__call__ = original  # type: ignore[method-assign]


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


def no_sideways_scroll(page, where: str) -> None:
    """The page fits its window: nothing sticks out to the right (names the first offenders).

    Measured once the page's stylesheets have loaded: an element waited for can be in the DOM
    while the one-request-at-a-time test server is still sending huxiao.css, and an unstyled
    page is wider (two 40-column textareas made the check-in page 378 px on a 375 px phone)."""
    page.wait_for_load_state("load")
    width = page.viewport_size["width"]
    scroll = page.evaluate("document.documentElement.scrollWidth")
    wide = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
             .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
             .slice(0, 5).map(e => e.tagName + '.' + e.className + ': ' + (e.textContent || '').trim().slice(0, 30))"""
    )
    assert scroll <= width + 1, f"{where}: page is {scroll}px wide on a {width}px screen; too wide: {wide}"


def shot(page, username: str, name: str, width: int | None = None) -> None:
    """A full-page screenshot in test-artifacts/screenshots/<username>-<name>-<width>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    width = width or page.viewport_size["width"]
    page.screenshot(path=str(SCREENSHOTS / f"{username}-{name}-{width}.png"), full_page=True)


def login(
    page,
    base: str,
    username: str,
    *,
    password: str = data.DEMO_PASSWORD,
    start: str = "/accounts/login/",
    lands: str = "/",
) -> None:
    """Sign an account (a demo one by default) in through the real form, from `start`, and wait
    to land on `lands`."""
    page.goto(f"{base}{start}")
    assert "/accounts/login/" in page.url, f"{start} did not ask for a login: {page.url}"
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}{lands}")


@contextmanager
def phone_session(
    browser,
    base: str,
    username: str,
    expected: dict[str, int] | None = None,
    *,
    password: str = data.DEMO_PASSWORD,
    accept_dialogs: bool = False,
) -> Iterator:
    """A fresh phone (its own cookies) signed in as `username`; its page must stay clean (no
    console error, no foreign request, no unexpected status — `expected`: URL part → status)."""
    context = new_context(browser, PHONE)
    page = context.new_page()
    if accept_dialogs:
        page.on("dialog", lambda dialog: dialog.accept())  # 确定报送？
    watch = Watch(origin=base, expected_statuses=expected or {})
    watch.attach(page)
    try:
        login(page, base, username, password=password)
        yield page
        page.wait_for_load_state("networkidle")
        watch.assert_clean(f"{username}'s pages")
    finally:
        context.close()
