"""A user's scope: which organisations they act for, with which capabilities, over which regions.

Computed once per request (cached on the user object) from active memberships. Querysets turn
it into filters (`School.objects.visible_to(user)`); nothing here touches a domain model.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from huxiao.accounts.models import Membership
from huxiao.accounts.roles import ROLES


@dataclass(frozen=True)
class Grant:
    """One membership, flattened: the unit, its kind, its region paths and the role's caps."""

    org_id: int
    org_kind: str
    region_paths: tuple[str, ...]
    role: str
    caps: frozenset[str]


@dataclass
class Scope:
    grants: list[Grant] = field(default_factory=list)

    def has(self, cap: str) -> bool:
        return any(cap in g.caps for g in self.grants)

    def grants_with(self, cap: str | None) -> list[Grant]:
        return [g for g in self.grants if cap is None or cap in g.caps]

    @property
    def roles(self) -> set[str]:
        return {g.role for g in self.grants}

    @property
    def org_ids(self) -> set[int]:
        return {g.org_id for g in self.grants}


def scope_of(user) -> Scope:
    """The user's scope; empty for anonymous or inactive users."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope()
    cached = getattr(user, "_huxiao_scope", None)
    if cached is not None:
        return cached
    memberships = (
        Membership.objects.active()
        .filter(user=user)
        .select_related("organisation")
        .prefetch_related("organisation__jurisdiction_regions")
    )
    grants = [
        Grant(
            org_id=m.organisation_id,
            org_kind=m.organisation.kind,
            region_paths=tuple(
                r.path for r in m.organisation.jurisdiction_regions.all() if not r.is_archived
            ),
            role=m.role,
            caps=ROLES[m.role].caps,
        )
        for m in memberships
    ]
    scope = Scope(grants)
    user._huxiao_scope = scope
    return scope


def forget_scope(user) -> None:
    """Drop the cached scope (after memberships change within one request or test)."""
    if hasattr(user, "_huxiao_scope"):
        del user._huxiao_scope
