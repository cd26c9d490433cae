"""Scope of the education registers, composed from the kernel (`schools.scope.school_scope_q`).

Activities, appointments and visits are the school's records and carry no one's private data:
everyone who reaches the school with `school.view` reads them (the school, its 学区, its 派出所,
the 街道, the district). The 系统管理员, the auditor and the 安全管理员 hold no `school.view` and
reach none.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q

from huxiao.accounts.roles import Cap
from huxiao.core.choices import OrgKind
from huxiao.schools.scope import school_scope_q

STATION_KINDS = frozenset({OrgKind.POLICE_STATION})  # who appoints 法治辅导员 (`counsellor.appoint`)


def current_q(day: dt.date, prefix: str = "") -> Q:
    """Appointments whose term holds `day`."""
    return Q(**{f"{prefix}starts_on__lte": day, f"{prefix}ends_on__gte": day})


class ActivityQuerySet(models.QuerySet):
    def visible_to(self, user, cap: str = Cap.SCHOOL_VIEW):
        return self.filter(school_scope_q(user, cap, prefix="school__"))

    def held_between(self, start: dt.date, end: dt.date):
        return self.filter(held_on__gte=start, held_on__lte=end)


class AppointmentQuerySet(models.QuerySet):
    def visible_to(self, user, cap: str = Cap.SCHOOL_VIEW):
        return self.filter(school_scope_q(user, cap, prefix="school__"))

    def current(self, day: dt.date):
        return self.filter(current_q(day))


class VisitQuerySet(models.QuerySet):
    def visible_to(self, user, cap: str = Cap.SCHOOL_VIEW):
        return self.filter(school_scope_q(user, cap, prefix="appointment__school__"))

    def between(self, start: dt.date, end: dt.date):
        return self.filter(visited_on__gte=start, visited_on__lte=end)
