"""Scope of the duty app (DESIGN §4.1), composed from the kernel: posts and records follow their
school (`school_scope_q`) — or the post's responsible station, which may differ from the
school's; patrol groups follow their leading station (its members, and the units whose regions
hold it)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from huxiao.accounts.roles import Cap
from huxiao.accounts.scope import region_scope_q
from huxiao.schools.scope import school_scope_q


def post_scope_q(user, cap: str | None = Cap.SCHOOL_VIEW, prefix: str = "") -> Q:
    """Posts at the user's schools, or run by one of the user's stations."""
    station = region_scope_q(user, cap, path=None, units=[f"{prefix}police_station"])
    return school_scope_q(user, cap, prefix=f"{prefix}school__") | station


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
    return region_scope_q(user, cap, path=f"{prefix}station__region__path", units=[f"{prefix}station"])


class PatrolGroupQuerySet(models.QuerySet):
    def visible_to(self, user, cap: str | None = Cap.SCHOOL_VIEW):
        return self.filter(group_scope_q(user, cap))


class PatrolLogQuerySet(models.QuerySet):
    def visible_to(self, user, cap: str | None = Cap.SCHOOL_VIEW):
        return self.filter(group_scope_q(user, cap, prefix="group__"))
