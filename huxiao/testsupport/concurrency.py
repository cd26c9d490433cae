"""Racing threads, for the tests of locks and gapless numbers."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

# --- Threads --------------------------------------------------------------------------------


def race(*calls: Callable[[], Any], timeout: float = 60) -> list[Any]:
    """Run the calls at the same moment, each in its own thread with its own database
    connection (closed afterwards); return each call's result or the exception it raised."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def worker(i: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout)
            results[i] = call()
        except Exception as exc:
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
    assert not any(t.is_alive() for t in threads), "a racing thread hung"
    return results


def skip_unless_parallel_connections() -> None:
    """Skip a threaded test where parallel connections cannot wait for each other's locks."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():  # type: ignore[attr-defined]
        pytest.skip(
            "the SQLite test database is in memory, where a second connection gets 'database table "
            "is locked' instead of waiting; runs on PostgreSQL and with HUXIAO_SQLITE_TEST_FILE=true"
        )
