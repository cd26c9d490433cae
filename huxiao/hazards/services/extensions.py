"""Extension requests (延期申请): the school asks for more time, the issuing organisation decides."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from huxiao.accounts.roles import Cap
from huxiao.core.errors import ConflictError
from huxiao.hazards.access import extension_decider_orgs
from huxiao.hazards.choices import FINAL_STATES, EventKind, ExtensionState, NotifyKind, State
from huxiao.hazards.models import ExtensionRequest, Hazard
from huxiao.hazards.services._common import _audit, _event, _lock, _reviewers, _school_side, hazard_url
from huxiao.lib.dates import cn_date
from huxiao.notifications.services import notify_on_commit
from huxiao.schools.scope import school_org_ids


@transaction.atomic
def extension_request(*, acting_user, hazard: Hazard, new_deadline: dt.date, reason: str) -> ExtensionRequest:
    """The school asks for more time; the issuing organisation decides."""
    current = _lock(hazard, None)
    orgs = school_org_ids(acting_user, current.school, Cap.HAZARD_RECTIFY)
    if not orgs:
        raise PermissionDenied("只有整改单位可以申请延期。")
    if current.state not in (State.OPEN, State.RECTIFYING):
        raise ValidationError("只有待整改或整改中的隐患可以申请延期。")
    if not reason.strip():
        raise ValidationError({"reason": "申请延期须填写理由。"})
    if current.deadline is None:
        raise ValidationError("该隐患尚未设定整改期限，无需申请延期。")
    if new_deadline <= current.deadline:
        raise ValidationError(
            {"new_deadline": f"申请延至的日期须晚于现期限（{cn_date(current.deadline)}）。"}
        )
    if current.extensions.filter(state=ExtensionState.PENDING).exists():
        raise ConflictError("该隐患已有待审批的延期申请。")
    req = ExtensionRequest.objects.create(
        hazard=current,
        requested_by=acting_user,
        old_deadline=current.deadline,
        new_deadline=new_deadline,
        reason=reason.strip(),
    )
    _event(
        current,
        actor=acting_user,
        org_id=orgs[0],
        kind=EventKind.EXTENSION_REQUESTED,
        note=f"申请延至{cn_date(new_deadline)}：{reason.strip()}",
        data={"extension": req.pk},
    )
    _audit(
        acting_user,
        "hazard.extension_request",
        current,
        after={"new_deadline": new_deadline.isoformat()},
        org_id=orgs[0],
    )
    notify_on_commit(
        _reviewers(current),
        kind=NotifyKind.EXTENSION,
        url=hazard_url(current),
        title=f"延期申请待审批：{current.school}·{current.title}",
    )
    return req


def extension_deciders(hazard: Hazard) -> set[int]:
    """Organisations that may decide: the issuers of the hazard's notices, else its reviewers."""
    issuers = set(hazard.notices.values_list("issuer_id", flat=True))
    return issuers


@transaction.atomic
def extension_decide(
    *, acting_user, request: ExtensionRequest, approve: bool, note: str = ""
) -> ExtensionRequest:
    """Approve (the deadline moves) or reject an extension request."""
    req = (
        ExtensionRequest.objects.select_for_update()
        .select_related("hazard__school__region")
        .get(pk=request.pk)
    )
    if req.state != ExtensionState.PENDING:
        raise ConflictError(f"该延期申请已由{req.decided_by}处理（{req.get_state_display()}）。")
    hazard = _lock(req.hazard, None)
    orgs = extension_decider_orgs(acting_user, hazard, extension_deciders(hazard))
    if not orgs:
        raise PermissionDenied("延期申请由下发整改通知书的单位审批。")
    if approve and hazard.state in FINAL_STATES:
        raise ValidationError(
            f"该隐患已“{hazard.get_state_display()}”，不能再延期；如需处理该申请请选择驳回。"
        )
    if not approve and not note.strip():
        raise ValidationError({"note": "驳回延期须填写理由。"})
    req.state = ExtensionState.APPROVED if approve else ExtensionState.REJECTED
    req.decided_by, req.decided_at, req.decision_note = acting_user, timezone.now(), note.strip()
    req.save()
    before = {"deadline": hazard.deadline.isoformat() if hazard.deadline else None}
    if approve:
        hazard.deadline = req.new_deadline
        hazard.version += 1
        hazard.save(update_fields=["deadline", "version", "updated_at"])
    _event(
        hazard,
        actor=acting_user,
        org_id=orgs[0],
        kind=EventKind.EXTENSION_APPROVED if approve else EventKind.EXTENSION_REJECTED,
        note=note.strip() or f"期限延至{cn_date(req.new_deadline)}",
        data={"extension": req.pk},
    )
    _audit(
        acting_user,
        "hazard.extension_" + ("approve" if approve else "reject"),
        hazard,
        before=before,
        after={"deadline": hazard.deadline.isoformat() if hazard.deadline else None},
        org_id=orgs[0],
    )
    notify_on_commit(
        _school_side(hazard),
        kind=NotifyKind.EXTENSION,
        url=hazard_url(hazard),
        title=f"延期申请{'已批准' if approve else '被驳回'}：{hazard.title}",
    )
    return req
