"""The only way a view gets one campaign, task, alert or circular (DESIGN §4.1): outside the
user's scope → 404 (existence is not leaked); in scope without the capability → 403."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from huxiao.accounts.roles import WRITE_CAPS, Cap
from huxiao.accounts.scope import scope_of
from huxiao.campaigns.models import (
    AlertRecipient,
    Campaign,
    Circular,
    Participant,
    Phase,
    PlanText,
    RiskAlert,
    Task,
)
from huxiao.schools.models import School


def can_manage(user, campaign: Campaign) -> bool:
    return Campaign.objects.visible_to(user, Cap.CAMPAIGN_MANAGE).filter(pk=campaign.pk).exists()


def require_manage(user, campaign: Campaign) -> None:
    if not can_manage(user, campaign):
        raise PermissionDenied("您的角色不能管理该专项行动。")


def access_campaign(user, pk, *, manage: bool = False) -> Campaign:
    """The campaign if the user may see it (and, with `manage`, manage it)."""
    campaign = (
        Campaign.objects.visible_to(user)
        .select_related("region", "office_org", "issuer", "summary_recipient")
        .filter(pk=pk)
        .first()
    )
    if campaign is None:
        raise Http404("专项行动不存在或不在您的管辖范围内。")
    if manage:
        require_manage(user, campaign)
    return campaign


def acts_for(user, org_id: int | None) -> bool:
    """Whether the user holds a writing role in organisation `org_id`."""
    return scope_of(user).holds(org_id, *WRITE_CAPS)


def can_complete(user, task: Task, *, manager: bool | None = None) -> bool:
    """The task's own unit (any writing role) or a manager of the campaign."""
    if acts_for(user, task.organisation_id):
        return True
    return can_manage(user, task.campaign) if manager is None else manager


def access_task(user, pk, *, complete: bool = False) -> Task:
    task = Task.objects.select_related("campaign", "organisation", "phase").filter(pk=pk).first()
    if task is None:
        raise Http404("任务不存在。")
    access_campaign(user, task.campaign_id)
    if complete and not can_complete(user, task):
        raise PermissionDenied("只有责任单位或行动管理人员可以填报该任务。")
    return task


def access_alert(user, pk) -> RiskAlert:
    alert = RiskAlert.objects.select_related("campaign", "issuer", "issued_by").filter(pk=pk).first()
    if alert is None:
        raise Http404("风险提示不存在。")
    access_campaign(user, alert.campaign_id)
    return alert


def school_responders(user, school) -> list[int]:
    """The user's organisations that may acknowledge and answer for `school`: the school's own
    unit, with 报送 (report.submit) or 整改 (hazard.rectify)."""
    own = school.organisation_id
    return [own] if scope_of(user).holds(own, Cap.REPORT_SUBMIT, Cap.HAZARD_RECTIFY) else []


def access_recipient(user, pk) -> AlertRecipient:
    """A school's copy of an alert, for that school's own staff (404 for anybody else who cannot
    see the campaign; 403 for someone who sees it but does not act for the school)."""
    recipient = (
        AlertRecipient.objects.select_related("alert__campaign", "school__organisation", "school__region")
        .filter(pk=pk)
        .first()
    )
    if recipient is None:
        raise Http404("风险提示不存在。")
    access_campaign(user, recipient.alert.campaign_id)
    if not school_responders(user, recipient.school):
        raise PermissionDenied("只有该校的安全负责人或校长可以签收和反馈。")
    return recipient


def access_circular(user, pk) -> Circular:
    circular = Circular.objects.select_related("campaign", "issuer", "issued_by").filter(pk=pk).first()
    if circular is None:
        raise Http404("通报不存在。")
    access_campaign(user, circular.campaign_id)
    return circular


def access_participant(user, pk) -> Participant:
    """A participating unit, for a manager of its campaign (404 outside scope, 403 otherwise)."""
    participant = Participant.objects.select_related("organisation").filter(pk=pk).first()
    campaign = access_campaign(user, participant.campaign_id if participant else None, manage=True)
    assert participant is not None
    participant.campaign = campaign
    return participant


def access_plan_text(user, pk) -> PlanText:
    """A 工作措施/工作要求 item, for a manager of its campaign."""
    text = PlanText.objects.filter(pk=pk).first()
    campaign = access_campaign(user, text.campaign_id if text else None, manage=True)
    assert text is not None
    text.campaign = campaign
    return text


def access_phase(user, campaign_pk, phase_pk, *, manage: bool = False) -> Phase:
    """A phase of a campaign the user sees (and, with `manage`, manages)."""
    campaign = access_campaign(user, campaign_pk, manage=manage)
    phase = Phase.objects.filter(pk=phase_pk, campaign=campaign).first()
    if phase is None:
        raise Http404("阶段不存在。")
    phase.campaign = campaign
    return phase


def entry_applicants(user, school) -> list[int]:
    """The user's organisations that may apply for `school` to enter a gated phase: the
    school's own unit, with 报送 (report.submit) — its safety lead or principal."""
    own = school.organisation_id
    return [own] if scope_of(user).holds(own, Cap.REPORT_SUBMIT) else []


def access_entry_school(user, campaign_pk, phase_pk, school_pk, *, action: str) -> tuple[Phase, School]:
    """The phase and school of an entry action: 404 unless the user sees the campaign and the
    school (an active school of the campaign's region); 403 unless the user may act — `apply`:
    the school's own staff with 报送; `decide` (通过/退回): a manager of the campaign."""
    phase = access_phase(user, campaign_pk, phase_pk)
    school = (
        School.objects.visible_to(user)
        .active()
        .filter(pk=school_pk, region__path__startswith=phase.campaign.region.path)
        .select_related("organisation")
        .first()
    )
    if school is None:
        raise Http404("学校不存在或不在您的管辖范围内。")
    if action == "apply" and not entry_applicants(user, school):
        raise PermissionDenied("只有该校的安全负责人或校长可以申请进入。")
    if action == "decide" and not can_manage(user, phase.campaign):
        raise PermissionDenied("只有行动管理人员可以办理验收。")
    return phase, school
