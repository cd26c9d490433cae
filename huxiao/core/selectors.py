"""Reads over core data that apply the user's scope."""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.db.models import Q

from huxiao.accounts.roles import Cap, RoleCode
from huxiao.accounts.scope import scope_of
from huxiao.core.models import AuditEvent


def audit_events_visible_to(user):
    """Audit events for the regions the user audits. Events without a place (accounts,
    logins) are for the security auditor (安全审计员) only."""
    grants = scope_of(user).grants_with(Cap.AUDIT_VIEW)
    if not grants:
        return AuditEvent.objects.none()
    paths = sorted({p for g in grants for p in g.region_paths})
    parts = [Q(region_path__startswith=p) for p in paths]
    if any(g.role == RoleCode.AUDITOR for g in grants):
        parts.append(Q(region_path=""))
    if not parts:
        return AuditEvent.objects.none()
    return AuditEvent.objects.filter(reduce(or_, parts))
