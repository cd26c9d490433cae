"""The board of a large scope served from a snapshot no older than a minute, refreshed in the
background — so a province or district leader's 数据看板 opens at once instead of waiting for
two dozen aggregates over hundreds of thousands of rows (docs/performance.md).

* A scope of at most `LIVE_LIMIT` schools (a school, a 学区, a 街道) is computed on every
  request: its aggregates take tens of milliseconds and its users act on what they see.
* A larger scope is served from the snapshot stored under the user's own key (the user, the
  exact grants of their scope and the date — a snapshot is never shared between users and dies
  when a membership changes or the day turns). Younger than `FRESH_SECONDS`: served as is. Up to
  `STALE_SECONDS`: served, and one background refresh starts (a cache lock keeps a second
  request from starting another). Older or missing: computed in the request and stored.
* The page says when its figures were computed (数据更新于 …) and offers 立即刷新, which
  computes in the request (once at a time per key).

Snapshots live in Django's default cache: per process with the default local-memory cache (each
gunicorn worker computes at most once a minute per leader), shared with a Redis or database
cache configured through `CACHES`. Nothing here writes to the database.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import hashlib
import logging
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from huxiao.accounts.scope import scope_of
from huxiao.dashboards.boards import Board, board

logger = logging.getLogger(__name__)

LIVE_LIMIT = 300  # schools; up to this many the board is computed on every request
FRESH_SECONDS = 60  # the 大屏 refreshes every 60 s: it never sees figures older than two minutes
STALE_SECONDS = 600
LOCK_SECONDS = 120  # a refresh that died (a worker restart) blocks others for at most this long


def snapshot_key(user, today: dt.date) -> str:
    """The user's own key: their id, the exact grants of their scope, the date."""
    grants = scope_of(user).fingerprint()
    digest = hashlib.sha256(repr((user.pk, grants)).encode()).hexdigest()[:32]
    return f"huxiao:board:{user.pk}:{today.isoformat()}:{digest}"


def board_for(user, *, refresh: bool = False, today: dt.date | None = None) -> Board:
    """The board the page shows: live for a small scope, from the snapshot for a large one."""
    today = today or timezone.localdate()
    key = snapshot_key(user, today)
    stored: Board | None = cache.get(key)
    if stored is None or stored.schools <= LIVE_LIMIT:
        # nothing stored yet, or a small scope (never stored): compute now
        fresh = board(user, today)
        if fresh.schools > LIVE_LIMIT:
            cache.set(key, fresh, STALE_SECONDS)
        return fresh
    age = (timezone.now() - stored.generated_at).total_seconds()
    if refresh or age > STALE_SECONDS:
        if cache.add(f"{key}:lock", 1, LOCK_SECONDS):
            try:
                return _compute_and_store(user, today, key)
            finally:
                cache.delete(f"{key}:lock")
        return stored  # someone is computing it right now
    if age > FRESH_SECONDS and cache.add(f"{key}:lock", 1, LOCK_SECONDS):
        _in_background(lambda: _refresh(user, today, key))
    return stored


def _compute_and_store(user, today: dt.date, key: str) -> Board:
    fresh = board(user, today)
    cache.set(key, fresh, STALE_SECONDS)
    return fresh


def _refresh(user, today: dt.date, key: str) -> None:
    started = time.monotonic()
    try:
        _compute_and_store(user, today, key)
        logger.info("board snapshot %s refreshed in %.0f ms", key, (time.monotonic() - started) * 1000)
    finally:
        cache.delete(f"{key}:lock")


def _in_background(work: Callable[[], None]) -> None:
    """Run `work` in a daemon thread with its own database connection (inline under the test
    settings' HUXIAO_JOBS_INLINE, like core.jobs)."""
    if getattr(settings, "HUXIAO_JOBS_INLINE", False):
        work()
        return
    context = contextvars.copy_context()

    def main() -> None:
        try:
            work()
        except Exception:
            logger.exception("board snapshot refresh failed")
        finally:
            connection.close()  # this thread's own connection

    threading.Thread(target=context.run, args=(main,), name="huxiao-board-refresh", daemon=True).start()
