"""Hazard querysets: scope, and overdue / due-soon derived from the deadline (never stored)."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import BooleanField, Case, Q, Value, When
from django.utils import timezone

from huxiao.accounts.roles import Cap
from huxiao.core.calendar import add_working_days
from huxiao.hazards.choices import LIVE_STATES
from huxiao.schools.scope import school_scope_q

DUE_SOON_WORKING_DAYS = 3


def due_soon_until(today: dt.date, days: int = DUE_SOON_WORKING_DAYS) -> dt.date:
    """The last deadline that counts as "due soon" today (today + 3 working days)."""
    return add_working_days(today, days)


class HazardQuerySet(models.QuerySet):
    def visible_to(self, user, cap: str | None = Cap.SCHOOL_VIEW):
        """Hazards at the schools the user can see (DESIGN §4.1)."""
        return self.filter(school_scope_q(user, cap, prefix="school__"))

    def live(self):
        return self.filter(state__in=LIVE_STATES)

    def overdue(self, today: dt.date | None = None):
        """deadline < today and not closed or dismissed (DESIGN §5)."""
        today = today or timezone.localdate()
        return self.live().filter(deadline__lt=today)

    def due_soon(self, today: dt.date | None = None):
        today = today or timezone.localdate()
        return self.live().filter(deadline__gte=today, deadline__lte=due_soon_until(today))

    def with_flags(self, today: dt.date | None = None):
        """Annotate `is_overdue` and `is_due_soon` for lists (computed in SQL, one query)."""
        today = today or timezone.localdate()
        live = Q(state__in=LIVE_STATES)
        return self.annotate(
            is_overdue=Case(
                When(live & Q(deadline__lt=today), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            is_due_soon=Case(
                When(live & Q(deadline__gte=today, deadline__lte=due_soon_until(today)), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )


class NoticeQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Notices to schools the user can see."""
        return self.filter(school_scope_q(user, Cap.SCHOOL_VIEW, prefix="school__"))


class HazardChildQuerySet(models.QuerySet):
    """Rows hanging off a hazard (escalation rungs, extension requests): they follow its school."""

    def visible_to(self, user, cap: str | None = Cap.SCHOOL_VIEW):
        return self.filter(school_scope_q(user, cap, prefix="hazard__school__"))
