"""Scope of the gate log, composed from the kernel (`schools.scope.school_scope_q`).

Three audiences, told apart by the kind of unit in which they hold the capability:

- the school keeps the log and reads it in full — `Cap.GATE_LOG` in a school or kindergarten
  unit: its 门卫, its safety lead, its principal (`visible_to`);
- the 学区 (a 学区管理中心) and the police (a 派出所 or 公安分局) reach the schools with
  `Cap.SCHOOL_VIEW` and see counts only, never a name (`counted_for`);
- the police may search a plate or a 身份证号 among their schools' entries (`searchable_by`),
  each search an audit event.

A 街道 leader, a 平安办 coordinator, the 系统管理员 and the 安全审计员 reach none of it.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils import timezone

from huxiao.accounts.roles import Cap
from huxiao.schools.scope import COUNTING_KINDS, POLICE_KINDS, SCHOOL_KINDS, school_scope_q


def log_scope_q(user, prefix: str = "") -> Q:
    """Rows of the schools whose gate log the user keeps (the school's own unit)."""
    return school_scope_q(user, Cap.GATE_LOG, prefix, kinds=SCHOOL_KINDS)


def counts_scope_q(user, prefix: str = "") -> Q:
    """Rows of the schools whose counts the user reads (their 学区, their 派出所/公安分局)."""
    return school_scope_q(user, Cap.SCHOOL_VIEW, prefix, kinds=COUNTING_KINDS)


def search_scope_q(user, prefix: str = "") -> Q:
    """Rows of the schools a police unit of the user's reaches (the plate / 身份证号 search)."""
    return school_scope_q(user, Cap.SCHOOL_VIEW, prefix, kinds=POLICE_KINDS)


def day_bounds(first: dt.date, last: dt.date | None = None) -> tuple[dt.datetime, dt.datetime]:
    """[start of `first`, start of the day after `last`) as aware local datetimes: a range on a
    datetime column compared with constants (no per-row date conversion)."""
    last = last or first
    start = timezone.make_aware(dt.datetime.combine(first, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min))
    return start, end


class GateQuerySet(models.QuerySet):
    """Shared by the three records; `TIME` names the column that says when (入校 or 登记)."""

    TIME = "entered_at"

    def visible_to(self, user):
        """The records in full: the school's own keepers only."""
        return self.filter(log_scope_q(user, prefix="school__"))

    def counted_for(self, user):
        """The records the user may count: their own school's, their 学区's or 派出所's schools'."""
        return self.filter(log_scope_q(user, prefix="school__") | counts_scope_q(user, prefix="school__"))

    def searchable_by(self, user):
        return self.filter(search_scope_q(user, prefix="school__"))

    def between(self, first: dt.date, last: dt.date):
        start, end = day_bounds(first, last)
        return self.filter(**{f"{self.TIME}__gte": start, f"{self.TIME}__lt": end})

    def on(self, day: dt.date):
        return self.between(day, day)


class EntryQuerySet(GateQuerySet):
    """Visitors and vehicles: they come in and (once 离校 is tapped) leave."""

    def still_in(self):
        return self.filter(left_at__isnull=True)


class PickupQuerySet(GateQuerySet):
    TIME = "at"
