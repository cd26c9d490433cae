"""Point Django at the benchmark database (never the project's own) before it is set up.

SQLite: `var/bench.sqlite3` (its own file). PostgreSQL: the database `huxiao_bench` on
127.0.0.1:5432 as user postgres (trust authentication), created and dropped here. The
`huxiao` and `test_*` databases are never touched.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SQLITE_PATH = ROOT / "var" / "bench.sqlite3"
PG_HOST = os.environ.get("BENCH_PG_HOST", "127.0.0.1")
PG_PORT = os.environ.get("BENCH_PG_PORT", "5432")
PG_USER = os.environ.get("BENCH_PG_USER", "postgres")
PG_NAME = "huxiao_bench"  # fixed on purpose: the benchmark may drop it, so it may not be configurable


def database_url(database: str) -> str:
    if database == "sqlite":
        return f"sqlite:///{SQLITE_PATH}"
    if database == "postgres":
        return f"postgres://{PG_USER}@{PG_HOST}:{PG_PORT}/{PG_NAME}"
    raise SystemExit(f"unknown database {database!r}: use sqlite or postgres")


def recreate(database: str) -> None:
    """Start from an empty benchmark database."""
    if database == "sqlite":
        SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    with psycopg.connect(
        host=PG_HOST, port=PG_PORT, user=PG_USER, dbname="postgres", autocommit=True
    ) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{PG_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{PG_NAME}"')


def configure(database: str) -> None:
    """Set DATABASE_URL for the benchmark database and set Django up."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = database_url(database)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huxiao.settings")
    # the synthetic registers' keys (fixed, so a generated province stays readable across runs)
    os.environ.setdefault("HUXIAO_PEOPLE_KEYS", "YmVuY2gtb25seS1rZXktMDEyMzQ1Njc4OWFiY2RlZmc=")
    os.environ.setdefault("HUXIAO_PEOPLE_INDEX_KEY", "bench-only-index-key-0123456789abcdef")
    os.environ.setdefault("HUXIAO_AUDIT_KEYS", "bench:bench-only-audit-key-0123456789abcdef")
    import django

    django.setup()
