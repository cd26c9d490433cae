"""Inspection querysets: scope through the school (DESIGN §4.1) and the counts the frequency
rule, the standards engine and the monthly report read."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from huxiao.accounts.roles import Cap
from huxiao.accounts.scope import region_scope_q
from huxiao.inspections.choices import State
from huxiao.schools.scope import school_scope_q


class InspectionQuerySet(models.QuerySet):
    def visible_to(self, user, cap: str | None = Cap.SCHOOL_VIEW):
        """Inspections of the schools the user can see."""
        return self.filter(school_scope_q(user, cap, prefix="school__"))

    def submitted(self):
        return self.filter(state=State.SUBMITTED)

    def between(self, start, end):
        return self.filter(date__gte=start, date__lte=end)


class PlanEntryQuerySet(models.QuerySet):
    def visible_to(self, user, cap: str | None = Cap.SCHOOL_VIEW):
        return self.filter(school_scope_q(user, cap, prefix="school__"))

    def open(self):
        return self.filter(done_by__isnull=True)


class InspectionPlanQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Plans of the user's own units, and plans with an entry at a school the user sees."""
        from huxiao.inspections.models import PlanEntry

        entries = PlanEntry.objects.visible_to(user).values("plan_id")
        return self.filter(region_scope_q(user, None, path=None, units=["owner_org"]) | Q(pk__in=entries))
