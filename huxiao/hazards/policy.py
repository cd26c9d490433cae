"""Which deadline and escalation rules apply to a school: the nearest region with a policy."""

from __future__ import annotations

import datetime as dt

from huxiao.core.calendar import add_working_days
from huxiao.hazards.models import HazardPolicy
from huxiao.schools.models import School

DEFAULT_POLICY = HazardPolicy(
    general_days=7,
    larger_days=15,
    major_days=30,
    supervise_after=1,
    interview_after=5,
    listed_after=10,
)


def policy_for(school: School) -> HazardPolicy:
    """The policy of the school's region or its nearest ancestor; the platform default
    (7/15/30 working days — a platform default, not a norm; research §1.5) otherwise."""
    codes = [c for c in school.region.path.split("/") if c]
    policies = {
        p.region.code: p for p in HazardPolicy.objects.filter(region__code__in=codes).select_related("region")
    }
    for code in reversed(codes):
        if code in policies:
            return policies[code]
    return DEFAULT_POLICY


def default_deadline(school: School, severity: str, found_on: dt.date) -> dt.date:
    """Found date + the policy's working days for this severity."""
    return add_working_days(found_on, policy_for(school).days_for(severity))
