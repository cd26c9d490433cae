"""The work of rectifying (整改): evidence photos, the temporary protective measures, and the
rectification plan of a 重大 hazard."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from huxiao.accounts.roles import Cap
from huxiao.hazards.access import plan_orgs
from huxiao.hazards.choices import LIVE_STATES, EventKind
from huxiao.hazards.models import Hazard, PlanTask, RectificationPlan
from huxiao.hazards.services._common import _add_photos, _audit, _event, _lock
from huxiao.schools.scope import school_org_ids


@transaction.atomic
def hazard_add_evidence(*, acting_user, hazard: Hazard, phase: str, photos, caption: str = "") -> int:
    """Attach photos (before/after/other) to a live hazard."""
    current = _lock(hazard, None)
    if current.state not in LIVE_STATES:
        raise ValidationError("已销号或不予立案的隐患不能再上传材料；如需继续整改请先“重新打开”。")
    orgs = school_org_ids(acting_user, current.school, Cap.HAZARD_RECTIFY) or school_org_ids(
        acting_user, current.school, Cap.HAZARD_REPORT
    )
    if not orgs:
        raise PermissionDenied("您的角色不能为该隐患上传材料。")
    if not photos:
        raise ValidationError({"photos": "请选择至少一张照片。"})
    event = _event(
        current,
        actor=acting_user,
        org_id=orgs[0],
        kind=EventKind.EVIDENCE,
        note=caption,
        data={"phase": phase},
    )
    count = _add_photos(
        current, acting_user=acting_user, event=event, phase=phase, photos=photos, caption=caption
    )
    event.data = {"phase": phase, "count": count}
    event.save(update_fields=["data"])
    _audit(acting_user, "hazard.evidence", current, after={"phase": phase, "count": count}, org_id=orgs[0])
    return count


@transaction.atomic
def hazard_record_temp_measures(*, acting_user, hazard: Hazard, text: str) -> Hazard:
    """Record the temporary protective measures of a (重大) hazard."""
    current = _lock(hazard, None)
    orgs = school_org_ids(acting_user, current.school, Cap.HAZARD_RECTIFY) or school_org_ids(
        acting_user, current.school, Cap.HAZARD_PLAN
    )
    if not orgs:
        raise PermissionDenied("您的角色不能记录该隐患的临时防护措施。")
    if current.state not in LIVE_STATES:
        raise ValidationError("已销号或不予立案的隐患不能再修改；如需继续整改请先“重新打开”。")
    if not text.strip():
        raise ValidationError({"text": "临时防护措施：请填写已采取的措施。"})
    before = {"temp_measures": current.temp_measures}
    current.temp_measures = text.strip()
    current.save(update_fields=["temp_measures", "updated_at"])
    _event(
        current, actor=acting_user, org_id=orgs[0], kind=EventKind.TEMP_MEASURES, note=current.temp_measures
    )
    _audit(
        acting_user,
        "hazard.temp_measures",
        current,
        before=before,
        after={"temp_measures": current.temp_measures},
        org_id=orgs[0],
    )
    return current


@transaction.atomic
def plan_record(
    *, acting_user, hazard: Hazard, summary: str, tasks: list[tuple[str, str, dt.date]]
) -> RectificationPlan:
    """The 学区管理中心 records the rectification plan of a 重大 hazard (replacing tasks of an earlier draft)."""
    current = _lock(hazard, None)
    orgs = plan_orgs(acting_user, current.school)
    if not orgs:
        raise PermissionDenied("重大隐患整改方案由学区管理中心牵头制定。")
    if current.state not in LIVE_STATES:
        raise ValidationError("已销号或不予立案的隐患不能再修改；如需继续整改请先“重新打开”。")
    if not summary.strip():
        raise ValidationError({"summary": "方案概要：必填。"})
    if not tasks:
        raise ValidationError({"tasks": "请至少列出一项任务（任务、责任人、时限）。"})
    plan, _ = RectificationPlan.objects.update_or_create(
        hazard=current,
        defaults={"lead_org_id": orgs[0], "summary": summary.strip(), "created_by": acting_user},
    )
    plan.tasks.all().delete()  # tasks of a plan draft are replaced wholesale; the timeline keeps each version
    PlanTask.objects.bulk_create([PlanTask(plan=plan, task=t, owner=o, deadline=d) for t, o, d in tasks])
    data = {"tasks": [[t, o, d.isoformat()] for t, o, d in tasks]}
    _event(current, actor=acting_user, org_id=orgs[0], kind=EventKind.PLAN, note=summary.strip(), data=data)
    _audit(acting_user, "hazard.plan", current, after={"summary": summary.strip(), **data}, org_id=orgs[0])
    return plan
