"""School querysets. The scope filter (`school_scope_q`, schools/scope.py) is the school-keyed
half of the scope kernel; a hazard, an inspection or a duty log filters with
`school_scope_q(user, cap, prefix="school__")`.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from huxiao.accounts.roles import Cap
from huxiao.schools.scope import school_scope_q


class SchoolQuerySet(models.QuerySet):
    def visible_to(self, user, cap: str | None = Cap.SCHOOL_VIEW):
        """Schools in the user's scope (DESIGN §4.1). Archived schools included; see `active()`."""
        return self.filter(school_scope_q(user, cap))

    def active(self):
        return self.filter(is_archived=False)

    def within(self, region):
        """Schools located in `region` or below it (narrowing a list to a drilled-down region)."""
        return self.filter(region__path__startswith=region.path)

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
