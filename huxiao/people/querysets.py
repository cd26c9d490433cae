"""Scope of the sensitive registers, composed from the kernel (`accounts.scope.region_scope_q`).

A key person or a dispute is seen only through `Cap.SENSITIVE_VIEW` held in a police or 政法
unit (`PEOPLE_UNIT_KINDS`): the responsible 派出所 (its own records — a station has no regions,
so `units=["station"]`), the 公安分局 and the 区委政法委 over their district (the record's region
inside their jurisdiction). A 街道, a 学区, a school, the system administrator and the auditor see
nothing personal, whatever their role carries; they get counts from `selectors`.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from huxiao.accounts.roles import Cap
from huxiao.accounts.scope import RegionSettingQuerySet, region_scope_q, scope_of
from huxiao.core.choices import OrgKind

PEOPLE_UNIT_KINDS = frozenset(
    {OrgKind.POLICE_STATION, OrgKind.PUBLIC_SECURITY_BUREAU, OrgKind.POLITICAL_LEGAL}
)


def people_scope_q(user, cap: str = Cap.SENSITIVE_VIEW, prefix: str = "") -> Q:
    """Records of the user's stations, or located in the regions of the user's police/政法 units."""
    # only a 派出所 is a record's station: for a 政法委 or 公安分局 user the unit clause could never
    # match, and leaving it out lets the database use the region path alone
    stations = scope_of(user).org_ids(cap, kind=OrgKind.POLICE_STATION)
    units = [f"{prefix}station"] if stations else []
    return region_scope_q(user, cap, path=f"{prefix}region__path", units=units, kinds=PEOPLE_UNIT_KINDS)


class PersonQuerySet(models.QuerySet):
    def visible_to(self, user, cap: str = Cap.SENSITIVE_VIEW):
        return self.filter(people_scope_q(user, cap))

    def live(self):
        """在册 and 失控 (not de-listed)."""
        return self.exclude(status="delisted")

    def overdue(self, today=None):
        """Live persons whose next 走访核查 has passed."""
        return self.live().filter(review_due__lt=today or timezone.localdate())

    def due(self, today=None, within_days: int = 3):
        """Live persons to be visited within `within_days` (not yet overdue)."""
        import datetime as dt

        today = today or timezone.localdate()
        return self.live().filter(
            review_due__gte=today, review_due__lte=today + dt.timedelta(days=within_days)
        )


class PersonChildQuerySet(models.QuerySet):
    """Visits, measures and events follow their person."""

    def visible_to(self, user, cap: str = Cap.SENSITIVE_VIEW):
        return self.filter(people_scope_q(user, cap, prefix="person__"))


class DisputeQuerySet(models.QuerySet):
    def visible_to(self, user, cap: str = Cap.SENSITIVE_VIEW):
        return self.filter(people_scope_q(user, cap))

    def open(self):
        return self.filter(outcome="open")

    def stabilise_overdue(self, now=None):
        """Flagged 扬言报复, no 稳控措施 yet, past its deadline."""
        return self.filter(threat=True, stabilised_at__isnull=True, stabilise_due__lt=now or timezone.now())


class ReviewIntervalQuerySet(RegionSettingQuerySet):
    """走访核查 periods: a region's own and those set above it that apply (the kernel's settings rule)."""
