"""A large scope's board comes from a snapshot at most a minute old, refreshed in the background;
a small scope's is computed on every request; a snapshot is never another user's."""

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from huxiao.accounts.models import Membership
from huxiao.accounts.roles import RoleCode
from huxiao.accounts.scope import forget_scope
from huxiao.dashboards import snapshots
from huxiao.hazards.choices import State
from huxiao.testsupport.hazards import make_hazard

pytestmark = pytest.mark.usefixtures("media_root")

NOW = dt.datetime(2026, 11, 29, 10, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture(autouse=True)
def clean_cache(settings):
    settings.HUXIAO_JOBS_INLINE = True  # the background refresh runs in the caller
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def large(monkeypatch):
    """Every scope counts as large (the cast oversees a handful of schools, not 300)."""
    monkeypatch.setattr(snapshots, "LIVE_LIMIT", 0)


def live_count(board) -> int:
    return board.raw["hazards"]["live"]


def test_a_small_scope_is_computed_on_every_request_and_never_stored(cast):
    with time_machine.travel(NOW, tick=False):
        first = snapshots.board_for(cast.official)
        make_hazard(cast, state=State.OPEN)
        second = snapshots.board_for(cast.official)
    assert live_count(second) == live_count(first) + 1
    assert cache.get(snapshots.snapshot_key(cast.official, NOW.date())) is None


def test_a_large_scope_is_served_from_its_snapshot_then_refreshed_after_a_minute(cast, large):
    with time_machine.travel(NOW, tick=False) as clock:
        first = snapshots.board_for(cast.official)
        make_hazard(cast, state=State.OPEN)
        clock.shift(dt.timedelta(seconds=30))
        assert live_count(snapshots.board_for(cast.official)) == live_count(first)  # fresh: as stored
        clock.shift(dt.timedelta(seconds=40))  # 70 s old: served once more, refreshed behind it
        stale = snapshots.board_for(cast.official)
        assert live_count(stale) == live_count(first)
        refreshed = snapshots.board_for(cast.official)
        assert live_count(refreshed) == live_count(first) + 1
        assert refreshed.generated_at == timezone.now()


def test_a_snapshot_older_than_ten_minutes_is_recomputed_in_the_request(cast, large):
    with time_machine.travel(NOW, tick=False) as clock:
        first = snapshots.board_for(cast.official)
        make_hazard(cast, state=State.OPEN)
        clock.shift(dt.timedelta(seconds=snapshots.STALE_SECONDS + 1))
        assert live_count(snapshots.board_for(cast.official)) == live_count(first) + 1


def test_refresh_recomputes_at_once_and_the_page_says_when(cast, large, client):
    client.force_login(cast.official)
    url = reverse("dashboards:overview")
    with time_machine.travel(NOW, tick=False) as clock:
        client.get(url)
        make_hazard(cast, state=State.OPEN)
        clock.shift(dt.timedelta(seconds=5))
        cached = client.get(url).content.decode()
        assert "数据更新于" in cached and "10:00:00" in cached and "立即刷新" in cached
        before = live_count(snapshots.board_for(cast.official))
        fresh = client.get(url, {"refresh": "1"}).context["board"]
        assert fresh.generated_at == NOW + dt.timedelta(seconds=5)
        assert live_count(fresh) == before + 1
        # and the next plain request is served the refreshed snapshot
        assert client.get(url).context["board"].generated_at == fresh.generated_at


def test_while_someone_refreshes_the_stored_board_is_served(cast, large):
    with time_machine.travel(NOW, tick=False) as clock:
        first = snapshots.board_for(cast.official)
        key = snapshots.snapshot_key(cast.official, NOW.date())
        cache.add(f"{key}:lock", 1, 3600)  # another request is computing
        make_hazard(cast, state=State.OPEN)
        clock.shift(dt.timedelta(seconds=90))
        assert snapshots.board_for(cast.official, refresh=True).generated_at == first.generated_at


def test_snapshots_are_per_user_scope_and_day(cast, large):
    key = snapshots.snapshot_key(cast.official, NOW.date())
    assert key != snapshots.snapshot_key(cast.safety_officer, NOW.date())
    assert key != snapshots.snapshot_key(cast.official, NOW.date() + dt.timedelta(days=1))
    # a membership change gives the same user a new key: the old snapshot is never served
    Membership.objects.create(user=cast.official, organisation=cast.pulv_police, role=RoleCode.OBSERVER)
    forget_scope(cast.official)
    assert snapshots.snapshot_key(cast.official, NOW.date()) != key


def test_a_user_of_another_subdistrict_never_sees_a_stored_board(cast, large):
    with time_machine.travel(NOW, tick=False):
        mine = snapshots.board_for(cast.official)
        theirs = snapshots.board_for(cast.outsider)
    assert theirs.schools != mine.schools or theirs.raw != mine.raw


def _redis_up() -> bool:
    import socket

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _redis_up(), reason="no Redis on 127.0.0.1:6379")
def test_a_shared_redis_cache_serves_the_snapshot_to_every_worker(cast, large, settings):
    """With HUXIAO_CACHE_URL the snapshot lives in Redis: what one worker stored (a pickled
    Board) another reads back whole."""
    from django.core.cache import caches

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
            "KEY_PREFIX": f"huxiao-test-{cast.official.pk}",
        }
    }
    redis_cache = caches["default"]
    try:
        with time_machine.travel(NOW, tick=False):
            stored = snapshots.board_for(cast.official)
            key = snapshots.snapshot_key(cast.official, NOW.date())
            again = redis_cache.get(key)
        assert again is not None and again.generated_at == stored.generated_at
        assert live_count(again) == live_count(stored) and again.schools == stored.schools
    finally:
        redis_cache.clear()
