"""School querysets and the scope filter every school-keyed model reuses.

`school_scope_q(user, cap, prefix)` is the one place that turns a user's memberships into a
filter over schools; a hazard, an inspection or a duty log filters with
`school_scope_q(user, cap, prefix="school__")`.
"""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.db import models
from django.db.models import Q

from huxiao.accounts.roles import Cap
from huxiao.accounts.scope import scope_of

NOTHING = Q(pk__in=[])


def school_scope_q(user, cap: str | None = Cap.SCHOOL_VIEW, prefix: str = "") -> Q:
    """Q over schools the user reaches through memberships that carry `cap`."""
    grants = scope_of(user).grants_with(cap)
    if not grants:
        return Q(**{f"{prefix}pk__in": []}) if prefix else NOTHING
    paths = sorted({p for g in grants for p in g.region_paths})
    org_ids = sorted({g.org_id for g in grants})
    parts = [Q(**{f"{prefix}region__path__startswith": p}) for p in paths]
    parts += [
        Q(**{f"{prefix}police_station_id__in": org_ids}),
        Q(**{f"{prefix}school_district_id__in": org_ids}),
        Q(**{f"{prefix}organisation_id__in": org_ids}),
    ]
    return reduce(or_, parts)


class SchoolQuerySet(models.QuerySet):
    def visible_to(self, user, cap: str | None = Cap.SCHOOL_VIEW):
        """Schools in the user's scope (DESIGN §4.1). Archived schools included; see `active()`."""
        return self.filter(school_scope_q(user, cap))

    def active(self):
        return self.filter(is_archived=False)

    def search(self, text: str):
        text = text.strip()
        if not text:
            return self
        return self.filter(Q(name__icontains=text) | Q(code__icontains=text) | Q(address__icontains=text))


class SecurityProfileQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(school_scope_q(user, Cap.SCHOOL_VIEW, prefix="school__"))

    def current_for(self, school):
        """The newest version of one school's profile, or None before the first is filed."""
        return self.filter(school=school).order_by("-version").first()
