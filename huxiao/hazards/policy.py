"""Which deadline and escalation rules apply to a school: the nearest region with a policy."""

from __future__ import annotations

import datetime as dt

from huxiao.core.calendar import add_working_days
from huxiao.core.regions import nearest_setting
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
    found = nearest_setting(HazardPolicy.objects.select_related("region"), school.region.path)
    return found or DEFAULT_POLICY


def default_deadline(school: School, severity: str, found_on: dt.date) -> dt.date:
    """Found date + the policy's working days for this severity."""
    return add_working_days(found_on, policy_for(school).days_for(severity))
