"""pytest fixtures shared by every app's tests: the fixed cast, fast password hashing, and the
moved clock (HUXIAO_TEST_CLOCK) that keeps the suite honest about "today"."""

from __future__ import annotations

import datetime as dt
import os
import re

import pytest
import time_machine
from django.test import override_settings

from huxiao.testsupport import browser as browsing
from huxiao.testsupport.cast import Cast, build_cast
from huxiao.testsupport.keys import people_keys  # noqa: F401  (autouse: the registers' keys)

TEST_HASHERS = [
    "huxiao.testsupport.cast.FastArgon2PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def moved_clock(value: str | None = None, *, today: dt.date | None = None) -> dt.datetime | None:
    """Where HUXIAO_TEST_CLOCK sends the whole test session, or None to run on the real clock.

    `+365` / `-30` move the real date by that many days (same time of day); `2027-10-04` or
    `2027-10-04T09:30` go to that moment in Asia/Shanghai. A test that silently depends on the
    day it was written then fails today, not weeks later (README, "Tests")."""
    value = (os.environ.get("HUXIAO_TEST_CLOCK", "") if value is None else value).strip()
    if not value:
        return None
    now = dt.datetime.now(SHANGHAI)
    if today is not None:
        now = dt.datetime.combine(today, now.time(), tzinfo=SHANGHAI)
    if re.fullmatch(r"[+-]\d+", value):
        return now + dt.timedelta(days=int(value))
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise pytest.UsageError(
            f"HUXIAO_TEST_CLOCK={value!r}: give a day offset such as +365 or a date such as 2027-10-04"
        ) from None
    if len(value) == 10:  # a bare date: the same time of day as now, on that day
        moment = dt.datetime.combine(moment.date(), now.time())
    return moment if moment.tzinfo else moment.replace(tzinfo=SHANGHAI)


def pytest_report_header(config) -> str:
    destination = moved_clock()
    if destination is None:
        return "clock: real (set HUXIAO_TEST_CLOCK=+365 to run the suite a year from now)"
    return f"clock: moved to {destination:%Y-%m-%d %H:%M} Asia/Shanghai by HUXIAO_TEST_CLOCK (ticking)"


@pytest.fixture(autouse=True, scope="session")
def _moved_clock():
    """Travel the whole session to HUXIAO_TEST_CLOCK, ticking. A test's own
    `time_machine.travel` stacks on top of it and wins while it lasts."""
    destination = moved_clock()
    if destination is None:
        yield
        return
    with time_machine.travel(destination, tick=True):
        yield


def pytest_configure(config) -> None:
    config.addinivalue_line(
        "markers",
        "frozen(moment, tick=False): the test runs at `moment` (a date or an aware datetime) from its "
        "first fixture to its last assertion, the cast included",
    )


@pytest.fixture(autouse=True)
def _frozen_clock(request):
    """`@pytest.mark.frozen(moment)` (or `pytestmark = pytest.mark.frozen(moment)`): travel before any
    other function fixture is built, so the cast, the data and the assertions share one "today".
    (A Django TestCase class uses `@time_machine.travel(moment, tick=False)` instead, which also
    covers its setUpTestData.)"""
    marker = request.node.get_closest_marker("frozen")
    if marker is None:
        yield None
        return
    moment = marker.args[0]
    if type(moment) is dt.date:
        moment = dt.datetime.combine(moment, dt.time(10, 0), tzinfo=SHANGHAI)
    with time_machine.travel(moment, tick=marker.kwargs.get("tick", False)) as traveller:
        yield traveller


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    """Argon2 at production cost takes ~0.1 s a hash; the cast alone hashes twenty times.
    Tests of the production hasher override this back (see accounts/tests/test_password_hashing.py)."""
    with override_settings(PASSWORD_HASHERS=TEST_HASHERS):
        yield


# The apps' fixtures that freeze the clock (hazards' `frozen`, campaigns' `today`, monthly's
# `clock`). A test that asks for one of them and for the cast gets the clock first, whatever the
# order of its arguments: the cast, its passwords and its profiles are made on the test's day.
CLOCK_FIXTURES = ("frozen", "today", "clock")


@pytest.fixture
def cast(db, request) -> Cast:
    """The fixed cast (huxiao.testsupport.cast): regions, organisations, schools and users."""
    for name in CLOCK_FIXTURES:
        if name in request.fixturenames:
            request.getfixturevalue(name)
    return build_cast()


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploads go to a throw-away folder (ask for `media_root` or use
    `pytest.mark.usefixtures("media_root")`)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(scope="module")
def browser():
    """Headless Debian chromium for a module's browser tests (huxiao.testsupport.browser)."""
    yield from browsing.launch()


@pytest.fixture
def one_request_at_a_time():
    """The live server answers one request at a time (see `browsing.serial_requests`)."""
    with browsing.serial_requests():
        yield
