"""The campaign as its work plan: the campaign itself, its phases (with their gates), the leading
group, the member units and their duties, and the 工作措施/工作要求 texts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max, Min

from huxiao.accounts.roles import Cap
from huxiao.accounts.scope import scope_of
from huxiao.campaigns import gates as gate_checks
from huxiao.campaigns.choices import CampaignStatus
from huxiao.campaigns.models import Campaign, GroupMember, Participant, Phase, PlanText, Task
from huxiao.campaigns.services._common import _audit, _check_manage
from huxiao.core import audit
from huxiao.core.models import Organisation
from huxiao.core.versions import locked

# --- The campaign and its plan -----------------------------------------------------------------


def _validate_phases(phases: Sequence[dict[str, Any]]) -> None:
    if not phases:
        raise ValidationError({"phases": "至少需要一个阶段。"})
    for i, p in enumerate(phases, start=1):
        if not p.get("name"):
            raise ValidationError({"phases": f"第{i}个阶段：请填写阶段名称。"})
        if p["end"] < p["start"]:
            raise ValidationError({"phases": f"第{i}个阶段（{p['name']}）：结束日期不能早于开始日期。"})
        try:
            gate_checks.validate_gates(p.get("gates") or [])
        except ValueError as exc:
            raise ValidationError({"phases": f"第{i}个阶段（{p['name']}）：{exc}"}) from exc


def _refresh_dates(campaign: Campaign) -> None:
    span = campaign.phases.aggregate(start=Min("start"), end=Max("end"))
    if span["start"] is not None:
        Campaign.objects.filter(pk=campaign.pk).update(start_date=span["start"], end_date=span["end"])
        campaign.start_date, campaign.end_date = span["start"], span["end"]


CAMPAIGN_FIELDS = (
    "name",
    "year",
    "status",
    "issuer",
    "document_number",
    "issued_on",
    "goals",
    "office_name",
    "office_org",
    "office_duty",
    "schools_duty",
    "monthly_due_day",
    "monthly_report_content",
    "summary_due",
    "summary_recipient",
)


@transaction.atomic
def campaign_create(
    *, acting_user, region, name: str, year: int, phases: Sequence[dict[str, Any]], **fields: Any
) -> Campaign:
    """A campaign with its phases (each {name, start, end, start_label?, description?, gates?})."""
    unknown = set(fields) - set(CAMPAIGN_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    _validate_phases(phases)
    if acting_user is not None:
        probe = Campaign(region=region, office_org=fields.get("office_org"))
        if not _region_manageable(acting_user, probe):
            raise PermissionDenied("您不能在该区划创建专项行动。")
    if Campaign.objects.filter(region=region, name=name).exists():
        raise ValidationError({"name": "该区划已有同名专项行动。"})
    campaign = Campaign.objects.create(
        region=region,
        name=name,
        year=year,
        start_date=min(p["start"] for p in phases),
        end_date=max(p["end"] for p in phases),
        created_by=acting_user,
        **fields,
    )
    for order, p in enumerate(phases, start=1):
        Phase.objects.create(
            campaign=campaign,
            order=order,
            name=p["name"],
            start=p["start"],
            end=p["end"],
            start_label=p.get("start_label", ""),
            description=p.get("description", ""),
            gates=p.get("gates") or [],
        )
    _audit(acting_user, "campaign.create", campaign, campaign, after=audit.snapshot(campaign))
    return campaign


def _region_manageable(user, campaign: Campaign) -> bool:
    return bool(
        scope_of(user).acting_orgs(
            Cap.CAMPAIGN_MANAGE, path=campaign.region.path, units=[campaign.office_org_id]
        )
    )


def _lock_campaign(campaign: Campaign, expected_version: int | None) -> Campaign:
    return locked(
        Campaign.objects.select_related("region"),
        campaign.pk,
        expected_version,
        stale=lambda _: "该专项行动已被他人修改，您的修改未保存。请刷新页面后重试。",
    )


@transaction.atomic
def campaign_update(
    *, acting_user, campaign: Campaign, expected_version: int | None, **fields: Any
) -> Campaign:
    """Change the campaign's own fields (not phases)."""
    unknown = set(fields) - set(CAMPAIGN_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    _check_manage(acting_user, campaign)
    current = _lock_campaign(campaign, expected_version)
    if (
        "name" in fields
        and Campaign.objects.filter(region=current.region, name=fields["name"])
        .exclude(pk=current.pk)
        .exists()
    ):
        raise ValidationError({"name": "该区划已有同名专项行动。"})
    before = audit.snapshot(current)
    for key, value in fields.items():
        setattr(current, key, value)
    current.version += 1
    current.save()
    _audit(acting_user, "campaign.update", current, current, before=before, after=audit.snapshot(current))
    return current


def _check_open(campaign: Campaign) -> None:
    """A campaign 已总结 is a record of what was done: its plan is no longer edited."""
    if campaign.status == CampaignStatus.CLOSED:
        raise ValidationError(
            "本次行动已总结，方案内容不再修改。如需更正，请先在“编辑”中把行动状态改回“实施中”。"
        )


def _lock_versioned(model, obj, expected_version: int | None, what: str):
    """Lock a plan row (phase, unit, measure) and check the version its form started from:
    two people editing one record — the first save wins, the second is told."""
    return locked(
        model.objects.select_related("campaign__region"),
        obj.pk,
        expected_version,
        stale=lambda _: f"该{what}已被他人修改，您的修改未保存、删除也未执行。请刷新页面后重试。",
        gone=f"该{what}已被他人删除。请返回专项行动页面查看。",
    )


@transaction.atomic
def phase_save(
    *,
    acting_user,
    campaign: Campaign,
    phase: Phase | None = None,
    expected_version: int | None = None,
    name: str,
    start: dt.date,
    end: dt.date,
    start_label: str = "",
    description: str = "",
    gates: list | None = None,
) -> Phase:
    """Add a phase (phase=None) or change one (name, dates, gates); the campaign's span follows
    its phases. A change carries the version its form started from."""
    _check_manage(acting_user, campaign)
    _check_open(campaign)
    _validate_phases([{"name": name, "start": start, "end": end, "gates": gates or []}])
    if phase is not None:
        if phase.campaign_id != campaign.pk:
            raise ValidationError({"phase": "阶段不属于本次行动。"})
        phase = _lock_versioned(Phase, phase, expected_version, "阶段")
        before = audit.snapshot(phase)
        phase.version += 1
    else:
        order = (campaign.phases.aggregate(m=Max("order"))["m"] or 0) + 1
        phase, before = Phase(campaign=campaign, order=order), None
    phase.name, phase.start, phase.end = name, start, end
    phase.start_label, phase.description, phase.gates = start_label, description, gates or []
    phase.save()
    _refresh_dates(campaign)
    _audit(acting_user, "campaign.phase_save", phase, campaign, before=before, after=audit.snapshot(phase))
    return phase


@transaction.atomic
def phase_remove(*, acting_user, phase: Phase, expected_version: int | None) -> None:
    """Remove a phase that holds nothing: refused while it still has tasks or schools' entry
    records, and for a campaign's last phase (its dates come from its phases)."""
    campaign = phase.campaign
    _check_manage(acting_user, campaign)
    _check_open(campaign)
    current = _lock_versioned(Phase, phase, expected_version, "阶段")
    tasks = current.tasks.count()
    if tasks:
        raise ValidationError(
            f"“{current.name}”阶段还有 {tasks} 项任务，不能删除。可修改阶段的名称和日期，或先处理这些任务。"
        )
    entries = current.entries.count()
    if entries:
        raise ValidationError(f"“{current.name}”阶段已有 {entries} 所学校的申请或验收记录，不能删除。")
    if not campaign.phases.exclude(pk=current.pk).exists():
        raise ValidationError("专项行动至少需要保留一个阶段。")
    _audit(acting_user, "campaign.phase_remove", current, campaign, before=audit.snapshot(current))
    current.delete()
    _refresh_dates(campaign)


@transaction.atomic
def group_member_add(
    *,
    acting_user,
    campaign: Campaign,
    role: str,
    title: str,
    person_name: str = "",
    organisation: Organisation | None = None,
    user=None,
) -> GroupMember:
    _check_manage(acting_user, campaign)
    order = (campaign.group.aggregate(m=Max("order"))["m"] or 0) + 1
    member = GroupMember.objects.create(
        campaign=campaign,
        role=role,
        title=title,
        person_name=person_name,
        organisation=organisation,
        user=user,
        order=order,
    )
    _audit(acting_user, "campaign.group_add", member, campaign, after=audit.snapshot(member))
    return member


@transaction.atomic
def group_member_remove(*, acting_user, member: GroupMember) -> None:
    campaign = member.campaign
    _check_manage(acting_user, campaign)
    _check_open(campaign)
    before = audit.snapshot(member)
    _audit(acting_user, "campaign.group_remove", member, campaign, before=before)
    member.delete()


@transaction.atomic
def participant_add(
    *, acting_user, campaign: Campaign, organisation: Organisation, duty: str, reports_monthly: bool = False
) -> Participant:
    _check_manage(acting_user, campaign)
    if campaign.participants.filter(organisation=organisation).exists():
        raise ValidationError({"organisation": "该单位已是本次行动的成员单位。"})
    order = (campaign.participants.aggregate(m=Max("order"))["m"] or 0) + 1
    participant = Participant.objects.create(
        campaign=campaign, organisation=organisation, duty=duty, reports_monthly=reports_monthly, order=order
    )
    _audit(acting_user, "campaign.participant_add", participant, campaign, after=audit.snapshot(participant))
    return participant


@transaction.atomic
def participant_update(
    *, acting_user, participant: Participant, expected_version: int | None, duty: str, reports_monthly: bool
) -> Participant:
    """Change a unit's duty text and whether it reports monthly (the unit itself stays)."""
    campaign = participant.campaign
    _check_manage(acting_user, campaign)
    _check_open(campaign)
    duty = (duty or "").strip()
    if not duty:
        raise ValidationError({"duty": "请填写该单位在本次行动中的职责。"})
    current = _lock_versioned(Participant, participant, expected_version, "成员单位")
    before = audit.snapshot(current)
    current.duty, current.reports_monthly = duty, reports_monthly
    current.version += 1
    current.save()
    _audit(
        acting_user,
        "campaign.participant_update",
        current,
        campaign,
        before=before,
        after=audit.snapshot(current),
    )
    return current


@transaction.atomic
def participant_remove(*, acting_user, participant: Participant, expected_version: int | None) -> None:
    """Remove a unit from the campaign — refused while it owns tasks that are not done."""
    campaign = participant.campaign
    _check_manage(acting_user, campaign)
    _check_open(campaign)
    current = _lock_versioned(Participant, participant, expected_version, "成员单位")
    org = current.organisation
    open_tasks = Task.objects.filter(campaign=campaign, organisation=org).open().count()
    if open_tasks:
        raise ValidationError(
            f"{org.name}还有 {open_tasks} 项未完成的任务，不能移除。请待这些任务完成后再移除。"
        )
    _audit(acting_user, "campaign.participant_remove", current, campaign, before=audit.snapshot(current))
    current.delete()


def _clean_text(title: str, body: str) -> tuple[str, str]:
    title, body = (title or "").strip(), (body or "").strip()
    if not title:
        raise ValidationError({"title": "请填写标题。"})
    if not body:
        raise ValidationError({"body": "请填写内容。"})
    return title, body


@transaction.atomic
def plan_text_add(*, acting_user, campaign: Campaign, kind: str, title: str, body: str) -> PlanText:
    """A 工作措施/工作要求 item, numbered after the last of its kind."""
    _check_manage(acting_user, campaign)
    title, body = _clean_text(title, body)
    order = (campaign.texts.filter(kind=kind).aggregate(m=Max("order"))["m"] or 0) + 1
    text = PlanText.objects.create(campaign=campaign, kind=kind, order=order, title=title, body=body)
    _audit(acting_user, "campaign.text_add", text, campaign, after=audit.snapshot(text))
    return text


@transaction.atomic
def plan_text_update(
    *, acting_user, text: PlanText, expected_version: int | None, title: str, body: str
) -> PlanText:
    """Change the title and wording of a measure or requirement."""
    campaign = text.campaign
    _check_manage(acting_user, campaign)
    _check_open(campaign)
    title, body = _clean_text(title, body)
    current = _lock_versioned(PlanText, text, expected_version, "条目")
    before = audit.snapshot(current)
    current.title, current.body = title, body
    current.version += 1
    current.save()
    _audit(
        acting_user, "campaign.text_update", current, campaign, before=before, after=audit.snapshot(current)
    )
    return current


@transaction.atomic
def plan_text_remove(*, acting_user, text: PlanText, expected_version: int | None) -> None:
    """Remove a measure or requirement; the later items of its kind move up one number, as
    the plan's （一）（二）… would be renumbered (their versions change, so an open edit form
    of one of them is told)."""
    campaign = text.campaign
    _check_manage(acting_user, campaign)
    _check_open(campaign)
    current = _lock_versioned(PlanText, text, expected_version, "条目")
    _audit(acting_user, "campaign.text_remove", current, campaign, before=audit.snapshot(current))
    current.delete()
    campaign.texts.filter(kind=current.kind, order__gt=current.order).update(
        order=F("order") - 1, version=F("version") + 1
    )
