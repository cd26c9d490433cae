"""Inspection querysets: scope through the school (DESIGN §4.1) and the counts the frequency
rule, the standards engine and the monthly report read."""

from __future__ import annotations

from django.db import models

from huxiao.accounts.roles import Cap
from huxiao.inspections.choices import State
from huxiao.schools.querysets import school_scope_q


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
