"""Scoped querysets (DESIGN §4.1).

A venue is seen by a user whose jurisdiction reaches a school it is linked to
(`school_scope_q`), or whose organisation's jurisdiction regions contain the venue itself — a
平安办 sees a 网吧 in its subdistrict even before a school is near it. Traffic points and
observations follow their school.
"""

from __future__ import annotations

from django.apps import apps
from django.db import models
from django.db.models import Q

from huxiao.accounts.roles import Cap
from huxiao.accounts.scope import region_scope_q
from huxiao.schools.scope import school_scope_q


def venue_scope_q(user, cap: str | None = Cap.SCHOOL_VIEW, prefix: str = "") -> Q:
    """Q over venues the user reaches through memberships carrying `cap`."""
    VenueSchool = apps.get_model("surroundings", "VenueSchool")
    linked = VenueSchool.objects.filter(school_scope_q(user, cap, prefix="school__")).values("venue_id")
    return region_scope_q(user, cap, path=f"{prefix}region__path") | Q(**{f"{prefix}pk__in": linked})


class VenueQuerySet(models.QuerySet):
    def visible_to(self, user, cap: str | None = Cap.SCHOOL_VIEW):
        return self.filter(venue_scope_q(user, cap))

    def active(self):
        return self.filter(is_archived=False)


class VenueCheckQuerySet(models.QuerySet):
    def visible_to(self, user, cap: str | None = Cap.SCHOOL_VIEW):
        return self.filter(venue_scope_q(user, cap, prefix="venue__"))


class TrafficPointQuerySet(models.QuerySet):
    def visible_to(self, user, cap: str | None = Cap.SCHOOL_VIEW):
        return self.filter(school_scope_q(user, cap, prefix="school__"))

    def active(self):
        return self.filter(is_archived=False)


class TrafficObservationQuerySet(models.QuerySet):
    def visible_to(self, user, cap: str | None = Cap.SCHOOL_VIEW):
        return self.filter(school_scope_q(user, cap, prefix="point__school__"))
