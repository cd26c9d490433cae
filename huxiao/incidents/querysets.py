"""Scope of the incident register, composed from the kernel (`schools.scope.school_scope_q`).

An incident is a school's record: everyone who reaches the school with `school.view` reads it (the
school, its 学区, its 派出所, the 街道, the district) — its text carries no names. The people
involved (victims, suspects, witnesses, often minors: PIPL art. 28/31) are read only by the police
and 政法 units holding `sensitive.view` over the school and by the school that reported them
(`incident.report` in the school's own unit); the 系统管理员 and the auditor reach neither.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from huxiao.accounts.roles import Cap
from huxiao.core.choices import SCHOOL_KINDS, OrgKind
from huxiao.schools.scope import POLICE_KINDS, school_scope_q

PERSON_READER_KINDS = POLICE_KINDS | {OrgKind.POLITICAL_LEGAL}
# The units a 较大 or graver incident is reported to at once, each of which must sign for it.
RECIPIENT_KINDS = (
    OrgKind.SCHOOL_DISTRICT,
    OrgKind.POLICE_STATION,
    OrgKind.SUBDISTRICT_OFFICE,
    OrgKind.POLITICAL_LEGAL,
    OrgKind.EDUCATION_BUREAU,
)


def person_scope_q(user, prefix: str = "") -> Q:
    """Rows about the people involved: the police and 政法 over the school, and the reporting school."""
    return school_scope_q(user, Cap.SENSITIVE_VIEW, prefix, kinds=PERSON_READER_KINDS) | school_scope_q(
        user, Cap.INCIDENT_REPORT, prefix, kinds=SCHOOL_KINDS
    )


class IncidentQuerySet(models.QuerySet):
    def visible_to(self, user, cap: str = Cap.SCHOOL_VIEW):
        return self.filter(school_scope_q(user, cap, prefix="school__"))

    def open(self):
        return self.filter(state="open")

    def occurred_between(self, start: dt.date, end: dt.date):
        """Incidents that happened on a day of [start, end] (local days)."""
        return self.filter(_within("occurred_at", start, end))


class IncidentChildQuerySet(models.QuerySet):
    """Notices and 三同步 entries follow their incident."""

    def visible_to(self, user, cap: str = Cap.SCHOOL_VIEW):
        return self.filter(school_scope_q(user, cap, prefix="incident__school__"))


class IncidentNoticeQuerySet(IncidentChildQuerySet):
    def unacknowledged(self):
        return self.filter(acknowledged_at__isnull=True)

    def to_escalate(self, now: dt.datetime | None = None):
        """Not signed for within `HUXIAO_INCIDENT_ACK_MINUTES` and not yet escalated."""
        limit = (now or timezone.now()) - dt.timedelta(minutes=settings.HUXIAO_INCIDENT_ACK_MINUTES)
        return self.unacknowledged().filter(notified_at__lt=limit, escalated_at__isnull=True)


class IncidentPersonQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(person_scope_q(user, prefix="incident__school__"))


class AlarmQuerySet(models.QuerySet):
    def visible_to(self, user, cap: str = Cap.SCHOOL_VIEW):
        return self.filter(school_scope_q(user, cap, prefix="school__"))

    def raised_between(self, start: dt.date, end: dt.date):
        return self.filter(_within("raised_at", start, end))


class DrillQuerySet(models.QuerySet):
    def visible_to(self, user, cap: str = Cap.SCHOOL_VIEW):
        return self.filter(school_scope_q(user, cap, prefix="school__"))


def _within(field: str, start: dt.date, end: dt.date) -> Q:
    """`field` (a moment) on a local day of [start, end]; an end of 9999-12-31 has no upper bound."""

    def at(day: dt.date) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time.min), timezone.get_current_timezone())

    q = Q(**{f"{field}__gte": at(start)})
    return q & Q(**{f"{field}__lt": at(end + dt.timedelta(days=1))}) if end < dt.date.max else q
