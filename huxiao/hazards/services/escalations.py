"""The records of the 督办 ladder: which document each rung issues, and the 约谈 record.
(The ladder itself — which hazard earns which rung — is `hazards/escalation.py`.)"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from huxiao.core import audit
from huxiao.hazards.access import interview_recorders
from huxiao.hazards.choices import DocKind, Escalation, EventKind
from huxiao.hazards.models import HazardEscalation
from huxiao.hazards.services._common import _event

ESCALATION_KIND = {
    Escalation.SUPERVISE: DocKind.SUPERVISION,
    Escalation.INTERVIEW: DocKind.INTERVIEW,
    Escalation.LISTED: DocKind.LISTING,
}


@transaction.atomic
def escalation_record_interview(
    *, acting_user, escalation: HazardEscalation, attendees: str, minutes: str
) -> HazardEscalation:
    """Record who attended a 约谈 and what was said (again to correct it), by the supervising
    organisation: a member of the rung's issuer with HAZARD_REVIEW or CAMPAIGN_MANAGE."""
    current = (
        HazardEscalation.objects.select_for_update()
        .select_related("hazard__school__region", "issuer")
        .get(pk=escalation.pk)
    )
    if current.level != Escalation.INTERVIEW:
        raise ValidationError(f"“{current.get_level_display()}”不是约谈，无需记录约谈情况。")
    if current.issuer_id not in interview_recorders(acting_user):
        raise PermissionDenied(f"约谈记录由督办单位（{current.issuer}）填写。")
    errors = {}
    if not attendees.strip():
        errors["attendees"] = "参加人员：请填写约谈双方参加人员。"
    if not minutes.strip():
        errors["minutes"] = "约谈记录：请填写约谈内容。"
    if errors:
        raise ValidationError(errors)
    before = {"attendees": current.attendees, "minutes": current.minutes}
    current.attendees, current.minutes = attendees.strip(), minutes.strip()
    current.recorded_by = acting_user
    current.save(update_fields=["attendees", "minutes", "recorded_by"])
    _event(
        current.hazard,
        actor=acting_user,
        org_id=current.issuer_id,
        kind=EventKind.ESCALATED,
        note=f"约谈记录（{current.number}）：{current.minutes}",
        data={"level": current.level, "number": current.number, "interview": current.pk},
    )
    audit.record(
        actor=acting_user,
        action="hazard.interview_record",
        obj=current,
        before=before,
        after={"attendees": current.attendees, "minutes": current.minutes},
        region_path=current.hazard.school.region.path,
        organisation=current.issuer,
    )
    return current
