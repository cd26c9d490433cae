"""Scope of the duty app (DESIGN §4.1): posts and records follow their school
(`school_scope_q`) — or the post's responsible station, which may differ from the school's;
patrol groups follow their leading station (its members, and the units whose regions hold it)."""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.db import models
from django.db.models import Q

from huxiao.accounts.roles import Cap
from huxiao.accounts.scope import scope_of
from huxiao.schools.querysets import school_scope_q


def _station_q(user, cap: str | None, prefix: str) -> Q:
    """Posts whose responsible station is one of the user's units carrying `cap`."""
    org_ids = sorted({g.org_id for g in scope_of(user).grants_with(cap)})
    return Q(**{f"{prefix}police_station_id__in": org_ids})


def post_scope_q(user, cap: str | None = Cap.SCHOOL_VIEW, prefix: str = "") -> Q:
    return school_scope_q(user, cap, prefix=f"{prefix}school__") | _station_q(user, cap, prefix)


class DutyPostQuerySet(models.QuerySet):
    def visible_to(self, user, cap: str | None = Cap.SCHOOL_VIEW):
        """Posts at schools the user reaches with `cap`, or run by the user's station."""
        return self.filter(post_scope_q(user, cap))

    def active(self):
        return self.filter(is_active=True, school__is_archived=False)


class DutyRecordQuerySet(models.QuerySet):
    def visible_to(self, user, cap: str | None = Cap.SCHOOL_VIEW):
        return self.filter(post_scope_q(user, cap, prefix="post__"))


def group_scope_q(user, cap: str | None = Cap.SCHOOL_VIEW, prefix: str = "") -> Q:
    """Groups led by one of the user's units, or by a station inside the user's regions."""
    grants = scope_of(user).grants_with(cap)
    org_ids = sorted({g.org_id for g in grants})
    parts = [Q(**{f"{prefix}station_id__in": org_ids})]
    parts += [
        Q(**{f"{prefix}station__region__path__startswith": p})
        for p in sorted({p for g in grants for p in g.region_paths})
    ]
    return reduce(or_, parts)


class PatrolGroupQuerySet(models.QuerySet):
    def visible_to(self, user, cap: str | None = Cap.SCHOOL_VIEW):
        return self.filter(group_scope_q(user, cap))


class PatrolLogQuerySet(models.QuerySet):
    def visible_to(self, user, cap: str | None = Cap.SCHOOL_VIEW):
        return self.filter(group_scope_q(user, cap, prefix="group__"))
