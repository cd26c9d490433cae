"""Reads about people: who works where (used to address notifications)."""

from __future__ import annotations

from collections.abc import Iterable

from huxiao.accounts.models import User
from huxiao.accounts.roles import ROLES


def members(org_ids: Iterable[int | None], cap: str | None = None) -> list[User]:
    """Active users with an active membership in these organisations (whose role carries `cap`)."""
    ids = [i for i in org_ids if i]
    if not ids:
        return []
    roles = [code for code, r in ROLES.items() if cap is None or cap in r.caps]
    return list(
        User.objects.filter(
            is_active=True,
            memberships__is_active=True,
            memberships__organisation_id__in=ids,
            memberships__role__in=roles,
        ).distinct()
    )
