"""Registering a hazard (上报): the start of the loop."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from huxiao.accounts.roles import Cap
from huxiao.core import audit
from huxiao.core.models import Organisation
from huxiao.hazards.choices import EventKind, NotifyKind, Phase, Severity, State
from huxiao.hazards.models import Hazard
from huxiao.hazards.policy import default_deadline
from huxiao.hazards.services._common import _add_photos, _audit, _event, _school_side, hazard_url
from huxiao.hazards.sources import SOURCES
from huxiao.lib.dates import cn_date
from huxiao.notifications.services import notify_on_commit
from huxiao.schools.models import School
from huxiao.schools.scope import require_school_cap, school_org_ids


@transaction.atomic
def hazard_report(
    *,
    acting_user,
    school: School,
    title: str,
    category: str,
    description: str,
    severity: str = Severity.GENERAL,
    location: str = "",
    source: str = "self",
    source_ref: str = "",
    found_on: dt.date | None = None,
    responsible_person: str = "",
    measures: str = "",
    deadline: dt.date | None = None,
    photos=(),
    confirm: bool = False,
    acting_org_id: int | None = None,
    responsible_org: Organisation | None = None,
) -> Hazard:
    """Register a hazard at a school. A reviewer (police, 学区, 平安办) may confirm it at once;
    otherwise it waits in 待核实. The deadline defaults to the region's policy for its severity."""
    orgs = require_school_cap(acting_user, school, Cap.HAZARD_REPORT) if acting_user else []
    org_id = acting_org_id if acting_org_id in orgs else (orgs[0] if orgs else None)
    if school.organisation_id is None:
        raise ValidationError(
            {"school": f"{school}尚未关联本校单位，无法确定整改责任单位；请先在学校名录中为其关联单位。"}
        )
    found_on = found_on or timezone.localdate()
    can_confirm = confirm and (acting_user is None or school_org_ids(acting_user, school, Cap.HAZARD_REVIEW))
    hazard = Hazard(
        school=school,
        title=title,
        category=category,
        description=description,
        severity=severity,
        location=location,
        source=source,
        source_ref=source_ref,
        found_by=acting_user,
        found_by_org_id=org_id,
        found_on=found_on,
        # the school by default; a department (交巡警, 市场监管 …) for problems outside the campus
        responsible_org=responsible_org or school.organisation,
        responsible_person=responsible_person,
        measures=measures,
        deadline=deadline or default_deadline(school, severity, found_on),
        state=State.OPEN if can_confirm else State.REPORTED,
    )
    hazard.full_clean(exclude=["found_by", "responsible_org"])
    if source not in SOURCES:
        raise ValidationError({"source": f"来源：未知的隐患来源“{source}”。"})
    hazard.save()
    event = _event(
        hazard,
        actor=acting_user,
        org_id=org_id,
        kind=EventKind.REPORTED,
        to_state=State.REPORTED,
        note=description,
    )
    _add_photos(hazard, acting_user=acting_user, event=event, phase=Phase.BEFORE, photos=photos)
    if can_confirm:
        _event(
            hazard,
            actor=acting_user,
            org_id=org_id,
            kind=EventKind.CONFIRMED,
            from_state=State.REPORTED,
            to_state=State.OPEN,
            note=f"整改期限：{cn_date(hazard.deadline)}",
        )
    _audit(acting_user, "hazard.report", hazard, after=audit.snapshot(hazard), org_id=org_id)
    if hazard.state == State.OPEN:
        notify_on_commit(
            _school_side(hazard),
            kind=NotifyKind.ASSIGNED,
            url=hazard_url(hazard),
            title=f"新交办隐患：{hazard.school}·{hazard.title}，期限{cn_date(hazard.deadline)}",
        )
    return hazard
