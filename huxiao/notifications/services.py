"""Sending to the inbox. Callers use `notify_on_commit` so nothing is sent for a rolled-back write."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from huxiao.notifications.kinds import KINDS
from huxiao.notifications.models import Notification


def notify(users: Iterable, *, kind: str, title: str, url: str = "", dedupe_key: str = "") -> int:
    """Put one message in each user's inbox; with `dedupe_key`, at most once per user. `kind` is
    a registered message kind (notifications.kinds) — an unknown one is a programming error."""
    KINDS.validate(kind)
    users = {u.pk: u for u in users if u is not None and u.is_active}
    if dedupe_key:
        seen = set(
            Notification.objects.filter(user_id__in=users, dedupe_key=dedupe_key).values_list(
                "user_id", flat=True
            )
        )
        users = {pk: u for pk, u in users.items() if pk not in seen}
    Notification.objects.bulk_create(
        [
            Notification(user=u, kind=kind, title=title[:200], url=url, dedupe_key=dedupe_key)
            for u in users.values()
        ],
        ignore_conflicts=bool(dedupe_key),
    )
    return len(users)


def notify_on_commit(users_fn, **kwargs) -> None:
    """Send after the current transaction commits; `users_fn` is called then (reads committed data)."""
    transaction.on_commit(lambda: notify(users_fn(), **kwargs))


def mark_read(*, acting_user, notification_ids: Iterable[int] | None = None) -> int:
    """Mark some (or all) of the user's unread messages read. Reading is not audited."""
    qs = Notification.objects.filter(user=acting_user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=list(notification_ids))
    return qs.update(read_at=timezone.now())
