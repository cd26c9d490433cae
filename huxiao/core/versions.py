"""Two people on one record: the first save wins, the second is told (DESIGN §4.4); one form
sent twice creates one record (`once`).

A record that can be edited by two people at once is `core.models.Versioned`: its form carries
the version it started from, and the service reads the row with `locked(...)` — `SELECT … FOR
UPDATE` on the row alone (`of=("self",)`: PostgreSQL refuses FOR UPDATE across an outer join) —
and compares. The message is the app's own, so it can say who changed what and when.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db import IntegrityError, models, transaction

from huxiao.core.errors import ConflictError

M = TypeVar("M", bound=models.Model)


def check_version(current: Any, expected_version: int | None, stale: Callable[[Any], str]) -> None:
    """ConflictError(stale(current)) unless the user's form started from `current`'s version
    (None: the caller checks nothing, e.g. the system itself)."""
    if expected_version is not None and current.version != expected_version:
        raise ConflictError(stale(current))


def locked(
    queryset: models.QuerySet[M],
    pk: Any,
    expected_version: int | None,
    *,
    stale: Callable[[M], str],
    gone: str | None = None,
) -> M:
    """The row `pk` of `queryset`, locked for this transaction and checked against the version
    the user's form started from. A row deleted meanwhile: ConflictError(gone) when `gone` is
    given, else the model's DoesNotExist (the caller's own 404)."""
    current = queryset.select_for_update(of=("self",)).filter(pk=pk).first()
    if current is None:
        if gone is not None:
            raise ConflictError(gone)
        raise queryset.model.DoesNotExist(f"{queryset.model._meta.label} {pk}")  # type: ignore[attr-defined]
    check_version(current, expected_version, stale)
    return current


def once(queryset: models.QuerySet[M], token: str, create: Callable[[], M]) -> tuple[M, bool]:
    """(record, created): the record a form with this one-time `token` already created, or the one
    `create()` makes now. A second request racing the first loses on the model's unique
    `submission` and gets the first one's record (`core.models.Submitted`)."""
    if token:
        existing = queryset.filter(submission=token).first()
        if existing is not None:
            return existing, False
    try:
        with transaction.atomic():
            return create(), True
    except IntegrityError:
        existing = queryset.filter(submission=token).first() if token else None
        if existing is None:
            raise
        return existing, False
