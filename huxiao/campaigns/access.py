"""The only way a view gets one campaign, task, alert or circular (DESIGN §4.1): outside the
user's scope → 404 (existence is not leaked); in scope without the capability → 403."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from huxiao.accounts.roles import WRITE_CAPS, Cap
from huxiao.accounts.scope import scope_of
from huxiao.campaigns.models import AlertRecipient, Campaign, Circular, RiskAlert, Task


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
    return any(g.org_id == org_id and g.caps & WRITE_CAPS for g in scope_of(user).grants)


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
    return [
        g.org_id
        for g in scope_of(user).grants
        if g.org_id == school.organisation_id and g.caps & {Cap.REPORT_SUBMIT, Cap.HAZARD_RECTIFY}
    ]


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
