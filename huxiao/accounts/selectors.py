"""Reads about people — who works where (used to address notifications) — and the audit log the
user may read."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from huxiao.accounts.models import User
from huxiao.accounts.roles import ROLES, Cap, RoleCode
from huxiao.accounts.scope import region_scope_q, scope_of
from huxiao.core import audit
from huxiao.core.models import AuditEvent


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


def audit_events_visible_to(user):
    """Audit events for the regions the user audits. Events without a place (accounts,
    logins) are for the security auditor (安全审计员) only."""
    q = region_scope_q(user, Cap.AUDIT_VIEW, path="region_path")
    scope = scope_of(user)
    if RoleCode.AUDITOR in scope.roles and scope.has(Cap.AUDIT_VIEW):
        q |= Q(region_path="")
    events = AuditEvent.objects.filter(q)
    hidden = audit.hidden_actions(user)  # e.g. the sensitive registers' events, for a 街道 leader
    return events.exclude(action__in=hidden) if hidden else events
