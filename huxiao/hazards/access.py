"""Single hazards and notices for views (404 outside scope, 403 without the capability). "For
which of my units do I act at this school?" is the schools' question (`schools.scope`)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from huxiao.accounts.roles import Cap
from huxiao.accounts.scope import scope_of
from huxiao.core.choices import OrgKind
from huxiao.hazards.models import Hazard, HazardEscalation, RectificationNotice
from huxiao.schools.scope import can_act_at, school_org_ids


def plan_orgs(user, school) -> list[int]:
    """The user's 学区管理中心 units holding HAZARD_PLAN at `school`: who leads a 重大 hazard's plan."""
    centres = set(scope_of(user).org_ids(Cap.HAZARD_PLAN, kind=OrgKind.SCHOOL_DISTRICT))
    return [o for o in school_org_ids(user, school, Cap.HAZARD_PLAN) if o in centres]


def extension_decider_orgs(user, hazard: Hazard, issuers: set[int]) -> list[int]:
    """The user's units that decide an extension of `hazard`: the issuers of its notices (else a
    reviewer), never the unit that rectifies."""
    cap = Cap.NOTICE_ISSUE if issuers else Cap.HAZARD_REVIEW
    return [
        o
        for o in school_org_ids(user, hazard.school, cap)
        if o != hazard.responsible_org_id and (o in issuers if issuers else True)
    ]


def interview_recorders(user) -> set[int]:
    """The user's units that may record a 约谈 of a rung they issued (HAZARD_REVIEW or CAMPAIGN_MANAGE)."""
    scope = scope_of(user)
    return {*scope.org_ids(Cap.HAZARD_REVIEW), *scope.org_ids(Cap.CAMPAIGN_MANAGE)}


def access_hazard(user, pk, *, cap: str | None = None) -> Hazard:
    """The hazard if its school is in the user's scope; with `cap`, 403 unless the user holds it there."""
    hazard = (
        Hazard.objects.visible_to(user)
        .select_related(
            "school__region", "school__organisation", "responsible_org", "found_by", "found_by_org"
        )
        .filter(pk=pk)
        .first()
    )
    if hazard is None:
        raise Http404("隐患不存在或不在您的管辖范围内。")
    if cap is not None and not can_act_at(user, hazard.school, cap):
        raise PermissionDenied("您的角色不能对该隐患进行此项操作。")
    return hazard


def access_notice(user, pk, *, cap: str | None = None) -> RectificationNotice:
    notice = (
        RectificationNotice.objects.visible_to(user)
        .select_related("issuer", "school__region", "school__organisation", "issued_by", "signed_by")
        .filter(pk=pk)
        .first()
    )
    if notice is None:
        raise Http404("通知书不存在或不在您的管辖范围内。")
    if cap is not None and not can_act_at(user, notice.school, cap):
        raise PermissionDenied("您的角色不能对该通知书进行此项操作。")
    return notice


def access_escalation(user, pk) -> HazardEscalation:
    """One rung (督办/约谈/挂牌督办), if its hazard's school is in the user's scope (404 otherwise)."""
    rung = (
        HazardEscalation.objects.visible_to(user)
        .select_related("hazard__school__region", "issuer", "recorded_by")
        .filter(pk=pk)
        .first()
    )
    if rung is None:
        raise Http404("督办记录不存在或不在您的管辖范围内。")
    return rung
