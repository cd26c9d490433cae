"""Single hazards and notices for views (404 outside scope, 403 without the capability). "For
which of my units do I act at this school?" is the schools' question (`schools.scope`)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from huxiao.accounts.roles import Cap
from huxiao.accounts.scope import scope_of, units_of
from huxiao.core.choices import OrgKind
from huxiao.core.validation import is_db_integer
from huxiao.hazards.choices import Escalation
from huxiao.hazards.models import Hazard, HazardEscalation, RectificationNotice
from huxiao.schools.models import School
from huxiao.schools.scope import can_act_at, require_school_cap, school_org_ids


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


def issuing_orgs(user) -> list[tuple[int, str]]:
    """The user's own organisations that issue notices, as (id, name)."""
    return list(units_of(user, Cap.NOTICE_ISSUE).values_list("pk", "name"))


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


def access_interview(user, pk) -> HazardEscalation:
    """A 约谈 rung whose record the user may write: 404 outside the scope or for another rung,
    403 unless one of the user's units is the supervising organisation that issued it."""
    rung = access_escalation(user, pk)
    if rung.level != Escalation.INTERVIEW:
        raise Http404("只有约谈需要填写约谈记录。")
    if rung.issuer_id not in interview_recorders(user):
        raise PermissionDenied(f"约谈记录由督办单位（{rung.issuer}）填写。")
    return rung


def access_issue_school(user, school_id: str) -> tuple[School, list[int]]:
    """The school a notice is issued to (404 outside scope) and the user's organisations that
    may issue to it (403 if none)."""
    school = (
        School.objects.visible_to(user).select_related("region").filter(pk=school_id).first()
        if is_db_integer(school_id)
        else None
    )
    if school is None:
        raise Http404("学校不存在或不在您的管辖范围内。")
    return school, require_school_cap(user, school, Cap.NOTICE_ISSUE)


def can_sign_notice(user, notice: RectificationNotice) -> bool:
    """Whether the user may sign for (签收) the notice now: not signed yet, and the user
    rectifies at its school."""
    return notice.signed_at is None and can_act_at(user, notice.school, Cap.HAZARD_RECTIFY)
