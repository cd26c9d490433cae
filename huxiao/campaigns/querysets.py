"""Campaign scope and derived task flags.

A campaign is visible to a user when one of their memberships (with `school.view`):
* has a jurisdiction that covers the campaign's region (a district official sees a
  subdistrict's campaign), or
* belongs to a unit located inside the campaign's region — a 派出所, a 学区管理中心, a school
  of that subdistrict (the seed addresses "辖区中小学、幼儿园"), or
* belongs to a participating unit or the unit hosting the office.

Managing (`campaign.manage`) needs a membership with that capability whose jurisdiction covers
the region, or that belongs to the office's host unit.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import BooleanField, Case, Exists, OuterRef, Q, Value, When
from django.utils import timezone

from huxiao.accounts.roles import Cap
from huxiao.accounts.scope import region_scope_q, scope_of


def campaign_scope_q(user, cap: str = Cap.SCHOOL_VIEW, prefix: str = "") -> Q:
    from huxiao.campaigns.models import Participant
    from huxiao.core.models import Organisation

    q = region_scope_q(user, cap, path=f"{prefix}region__path", units=[f"{prefix}office_org"])
    org_ids = scope_of(user).org_ids(cap)
    if org_ids and cap != Cap.CAMPAIGN_MANAGE:
        # seen also by the participating units and the units located inside the campaign's region
        # (a 派出所, a 学区, a school of the subdistrict)
        campaign_ref = OuterRef(f"{prefix}pk" if prefix else "pk")
        q |= Q(Exists(Participant.objects.filter(campaign_id=campaign_ref, organisation_id__in=org_ids)))
        located = Organisation.objects.filter(
            pk__in=org_ids, region__path__startswith=OuterRef(f"{prefix}region__path")
        )
        q |= Q(Exists(located))
    return q


class CampaignQuerySet(models.QuerySet):
    def visible_to(self, user, cap: str = Cap.SCHOOL_VIEW):
        """Campaigns the user may see (or, with `campaign.manage`, manage)."""
        return self.filter(campaign_scope_q(user, cap))

    def covering(self, start: dt.date, end: dt.date):
        """Campaigns whose dates overlap [start, end]."""
        return self.filter(start_date__lte=end, end_date__gte=start)


class TaskQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status="done")

    def overdue(self, today: dt.date | None = None):
        """Not done and the due date has passed (derived, never stored)."""
        today = today or timezone.localdate()
        return self.open().filter(due__lt=today)

    def with_flags(self, today: dt.date | None = None):
        today = today or timezone.localdate()
        return self.annotate(
            is_overdue=Case(
                When(~Q(status="done") & Q(due__lt=today), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
