"""Every change to a campaign and its 六项机制 records: keyword-only, `acting_user` required
(None = the system: demo loader, management command), one `transaction.atomic`, one audit
event, notifications after commit (DESIGN §4.2)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Min
from django.urls import reverse
from django.utils import timezone

from huxiao.accounts.roles import Cap
from huxiao.accounts.scope import scope_of
from huxiao.accounts.selectors import members
from huxiao.campaigns import gates as gate_checks
from huxiao.campaigns.access import can_complete, entry_applicants, require_manage, school_responders
from huxiao.campaigns.choices import CampaignStatus, EntryStatus, NotifyKind, TaskSource, TaskStatus
from huxiao.campaigns.dates import shift_years
from huxiao.campaigns.files import CheckedFile, check_attachments
from huxiao.campaigns.models import (
    AlertRecipient,
    Campaign,
    Circular,
    CircularAttachment,
    CircularReceipt,
    GroupMember,
    Meeting,
    Participant,
    Phase,
    PhaseEntry,
    PlanText,
    RiskAlert,
    Task,
    TaskAttachment,
)
from huxiao.core import audit
from huxiao.core.choices import SCHOOL_KINDS
from huxiao.core.errors import ConflictError
from huxiao.core.models import Organisation
from huxiao.core.versions import locked
from huxiao.lib.dates import cn_date, cn_datetime
from huxiao.notifications.services import notify, notify_on_commit
from huxiao.schools.models import School

# Notification kinds of this app (labels: see the report to the lead for notifications.Kind).
KIND_TASK = NotifyKind.CAMPAIGN_TASK
KIND_ALERT = NotifyKind.RISK_ALERT
KIND_ALERT_OVERDUE = NotifyKind.ALERT_OVERDUE
KIND_CIRCULAR = NotifyKind.CIRCULAR


def _acting_org(user, campaign: Campaign | None = None, cap: str | None = None) -> Organisation | None:
    if user is None:
        return None
    scope = scope_of(user)
    found = list(scope.org_ids(cap))
    if campaign is not None:
        hosting = scope.acting_orgs(cap, units=[campaign.office_org_id])
        covering = scope.acting_orgs(cap, path=campaign.region.path)
        found = hosting or covering or found
    return Organisation.objects.filter(pk=found[0]).first() if found else None


def _audit(actor, action: str, obj, campaign: Campaign, *, before=None, after=None, org=None) -> None:
    audit.record(
        actor=actor,
        action=action,
        obj=obj,
        before=before,
        after=after,
        region_path=campaign.region.path,
        organisation=org if org is not None else _acting_org(actor, campaign),
    )


def _check_manage(acting_user, campaign: Campaign) -> None:
    if acting_user is not None:
        require_manage(acting_user, campaign)


def campaign_url(campaign: Campaign) -> str:
    return reverse("campaigns:campaign-detail", args=[campaign.pk])


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


# --- Tasks ---------------------------------------------------------------------------------


@transaction.atomic
def task_create(
    *,
    acting_user,
    campaign: Campaign,
    title: str,
    organisation: Organisation,
    due: dt.date,
    phase: Phase | None = None,
    description: str = "",
    source: str = TaskSource.PLAN,
    meeting: Meeting | None = None,
    notify_owner: bool = True,
) -> Task:
    """A task for one unit; the unit's people are told after commit."""
    _check_manage(acting_user, campaign)
    if phase is not None and phase.campaign_id != campaign.pk:
        raise ValidationError({"phase": "阶段不属于本次行动。"})
    if phase is None:
        phase = campaign.phases.filter(start__lte=due, end__gte=due).order_by("order").first()
    order = (campaign.tasks.aggregate(m=Max("order"))["m"] or 0) + 1
    task = Task.objects.create(
        campaign=campaign,
        phase=phase,
        meeting=meeting,
        source=source,
        title=title,
        description=description,
        organisation=organisation,
        due=due,
        order=order,
    )
    _audit(acting_user, "campaign.task_create", task, campaign, after=audit.snapshot(task))
    if notify_owner and acting_user is not None:
        notify_on_commit(
            lambda: members([organisation.pk]),
            kind=KIND_TASK,
            title=f"专项任务：{title}（{cn_date(due)}前完成）",
            url=campaign_url(campaign),
        )
    return task


def _lock_task(task: Task, expected_version: int | None) -> Task:
    def stale(current: Task) -> str:
        who = (
            f"{current.completed_by}于{cn_datetime(current.completed_at)}" if current.completed_at else "他人"
        )
        return (
            f"该任务已被{who}更新（当前状态：{current.get_status_display()}），您的填报未保存。请刷新后重试。"
        )

    current = locked(
        Task.objects.select_related("campaign__region", "completed_by", "phase", "organisation"),
        task.pk,
        expected_version,
        stale=stale,
    )
    return current


def _store_files(model, files: list[CheckedFile], acting_user, **owner) -> int:
    for f in files:
        model.objects.create(
            file=f.content,
            name=f.name,
            kind=f.kind,
            size=f.size,
            sha256=f.sha256,
            uploaded_by=acting_user,
            **owner,
        )
    return len(files)


def _require_task_gates(task: Task) -> None:
    """A school's task in a gated phase (验收) is work *in* that phase: it cannot be marked done
    while the school fails the phase's gates (checked with the school's hazards locked)."""
    if task.phase is None or not task.phase.gates or task.organisation.kind not in SCHOOL_KINDS:
        return
    school = School.objects.filter(organisation_id=task.organisation_id).first()
    if school is not None:
        gate_checks.require_pass(task.phase, school, action=f"完成任务“{task.title}”")


@transaction.atomic
def task_complete(
    *,
    acting_user,
    task: Task,
    expected_version: int | None,
    evidence: str,
    files: Iterable = (),
    done: bool = True,
) -> Task:
    """Record what was done (text + attachments) and mark the task done (or in progress)."""
    if acting_user is not None and not can_complete(acting_user, task):
        raise PermissionDenied("只有责任单位或行动管理人员可以填报该任务。")
    evidence = (evidence or "").strip()
    if done and not evidence:
        raise ValidationError({"evidence": "标记完成时须填写完成情况。"})
    checked = check_attachments(files, field="佐证材料")  # before anything is written
    current = _lock_task(task, expected_version)
    if done:
        _require_task_gates(current)
    before = audit.snapshot(current)
    current.evidence = evidence
    current.status = TaskStatus.DONE if done else TaskStatus.DOING
    current.completed_at = timezone.now() if done else None
    current.completed_by = acting_user if done else None
    current.version += 1
    current.save()
    stored = _store_files(TaskAttachment, checked, acting_user, task=current)
    after = audit.snapshot(current)
    after["attachments_added"] = stored
    _audit(
        acting_user,
        "campaign.task_complete" if done else "campaign.task_progress",
        current,
        current.campaign,
        before=before,
        after=after,
    )
    return current


@transaction.atomic
def task_reopen(*, acting_user, task: Task, expected_version: int | None, reason: str) -> Task:
    """A manager sends a done task back (the evidence stays, the reason is audited)."""
    _check_manage(acting_user, task.campaign)
    if not reason.strip():
        raise ValidationError({"reason": "请填写退回理由。"})
    current = _lock_task(task, expected_version)
    before = audit.snapshot(current)
    current.status, current.completed_at, current.completed_by = TaskStatus.DOING, None, None
    current.version += 1
    current.save()
    after = audit.snapshot(current)
    after["reason"] = reason
    _audit(acting_user, "campaign.task_reopen", current, current.campaign, before=before, after=after)
    return current


# --- Schools entering a gated phase (申请进入验收 / 验收通过 / 退回) ------------------------------


def gates_url(campaign: Campaign) -> str:
    return reverse("campaigns:campaign-gates", args=[campaign.pk])


def _lock_phase(phase: Phase) -> Phase:
    """Lock the phase row: the entry records of one phase change one at a time, so a school's
    first record cannot be created twice and two decisions on one school cannot interleave."""
    return Phase.objects.select_for_update(of=("self",)).select_related("campaign__region").get(pk=phase.pk)


def _entry_allowed(phase: Phase, school: School) -> None:
    campaign = phase.campaign
    if campaign.status != CampaignStatus.ACTIVE:
        raise ValidationError(f"本次行动{campaign.get_status_display()}，不能办理学校进入阶段。")
    if not phase.gates:
        raise ValidationError(f"{phase.name}阶段没有设置进入条件，无需申请和验收。")
    if not School.objects.filter(pk=school.pk, region__path__startswith=campaign.region.path).exists():
        raise ValidationError(f"{school.name}不在本次行动的区域内。")


def _entry_for(phase: Phase, school: School, expected_version: int | None) -> PhaseEntry | None:
    """The school's record for the phase (None: 未申请), checked against the version the page
    showed (0 for none): if somebody acted in between, the user is told who, when and what."""
    entry = (
        PhaseEntry.objects.select_related("applied_by", "decided_by")
        .filter(phase=phase, school=school)
        .first()
    )
    if entry is not None:
        entry.phase = phase
    if expected_version is not None and (entry.version if entry else 0) != expected_version:
        assert entry is not None  # records are never deleted, so only a newer one can differ
        by, at = (
            (entry.applied_by, entry.applied_at)
            if entry.status == EntryStatus.APPLIED
            else (entry.decided_by, entry.decided_at)
        )
        raise ConflictError(
            f"{school.name}的{phase.name}记录已由{by or '系统'}于{cn_datetime(at)}更新（当前：{entry.label}），"
            "您的操作未执行。请刷新页面后重试。"
        )
    return entry


def _save_entry(entry: PhaseEntry | None, phase: Phase, school: School, **values: Any) -> PhaseEntry:
    entry = entry or PhaseEntry(phase=phase, school=school, version=0)
    for key, value in values.items():
        setattr(entry, key, value)
    entry.version += 1
    entry.save()
    return entry


def _school_staff_later(school: School):
    return lambda: members([school.organisation_id], Cap.REPORT_SUBMIT)


@transaction.atomic
def entry_apply(
    *, acting_user, phase: Phase, school: School, expected_version: int | None, application: str
) -> PhaseEntry:
    """申请进入: the school (its staff with 报送) asks to enter a gated phase, e.g. 申请进入验收.
    Refused while the school fails a gate of the phase — re-checked here, with the school's
    hazards locked, whatever the page showed."""
    application = (application or "").strip()
    if not application:
        raise ValidationError({"application": "请填写申请说明（本校自查整改情况）。"})
    org = school.organisation
    if acting_user is not None and not entry_applicants(acting_user, school):
        raise PermissionDenied("只有该校的安全负责人或校长可以申请进入。")
    phase = _lock_phase(phase)
    _entry_allowed(phase, school)
    entry = _entry_for(phase, school, expected_version)
    if entry is not None and entry.status in (EntryStatus.APPLIED, EntryStatus.PASSED):
        raise ValidationError(f"{school.name}{entry.label}，无需重复申请。")
    gate_checks.require_pass(phase, school, action=f"申请进入{phase.name}阶段")
    before = audit.snapshot(entry) if entry else None
    entry = _save_entry(
        entry,
        phase,
        school,
        status=EntryStatus.APPLIED,
        application=application,
        applied_at=timezone.now(),
        applied_by=acting_user,
        decision_note="",
        decided_at=None,
        decided_by=None,
    )
    campaign = phase.campaign
    _audit(
        acting_user,
        "campaign.entry_apply",
        entry,
        campaign,
        before=before,
        after=audit.snapshot(entry),
        org=org,
    )
    notify_on_commit(
        lambda: members([campaign.office_org_id], Cap.CAMPAIGN_MANAGE),
        kind=KIND_TASK,
        title=f"{school.name}申请进入{phase.name}阶段",
        url=gates_url(campaign),
    )
    return entry


@transaction.atomic
def entry_pass(
    *, acting_user, phase: Phase, school: School, expected_version: int | None, note: str = ""
) -> PhaseEntry:
    """The office records that the school has entered (for 验收: 验收通过), with or without an
    application (the joint inspection may find it ready on the spot). Refused while the school
    fails a gate of the phase — checked here, with the school's hazards locked."""
    campaign = phase.campaign
    _check_manage(acting_user, campaign)
    phase = _lock_phase(phase)
    _entry_allowed(phase, school)
    entry = _entry_for(phase, school, expected_version)
    if entry is not None and entry.status == EntryStatus.PASSED:
        raise ValidationError(f"{school.name}已{phase.pass_label}，无需重复办理。")
    gate_checks.require_pass(phase, school, action=f"记录{phase.pass_label}")
    before = audit.snapshot(entry) if entry else None
    entry = _save_entry(
        entry,
        phase,
        school,
        status=EntryStatus.PASSED,
        decision_note=(note or "").strip(),
        decided_at=timezone.now(),
        decided_by=acting_user,
    )
    _audit(acting_user, "campaign.entry_pass", entry, campaign, before=before, after=audit.snapshot(entry))
    notify_on_commit(
        _school_staff_later(school),
        kind=KIND_TASK,
        title=f"{phase.campaign.name}：{school.name}{phase.pass_label}",
        url=gates_url(campaign),
    )
    return entry


@transaction.atomic
def entry_return(
    *, acting_user, phase: Phase, school: School, expected_version: int | None, reason: str
) -> PhaseEntry:
    """The office sends an application (or an earlier pass) back with its reason; the school
    may apply again once it has dealt with it."""
    campaign = phase.campaign
    _check_manage(acting_user, campaign)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写退回理由。"})
    phase = _lock_phase(phase)
    _entry_allowed(phase, school)
    entry = _entry_for(phase, school, expected_version)
    if entry is None or entry.status == EntryStatus.RETURNED:
        raise ValidationError(f"{school.name}当前{entry.label if entry else '未申请'}，无可退回的申请。")
    before = audit.snapshot(entry)
    entry = _save_entry(
        entry,
        phase,
        school,
        status=EntryStatus.RETURNED,
        decision_note=reason,
        decided_at=timezone.now(),
        decided_by=acting_user,
    )
    _audit(acting_user, "campaign.entry_return", entry, campaign, before=before, after=audit.snapshot(entry))
    notify_on_commit(
        _school_staff_later(school),
        kind=KIND_TASK,
        title=f"{school.name}进入{phase.name}阶段的申请被退回：{reason[:60]}",
        url=gates_url(campaign),
    )
    return entry


# --- Next year's campaign -------------------------------------------------------------------


def _next_name(name: str, year: int) -> str:
    return name.replace(str(year), str(year + 1)) if str(year) in name else f"{name}（{year + 1}年）"


@transaction.atomic
def campaign_copy_next_year(*, acting_user, campaign: Campaign) -> Campaign:
    """Next year's campaign from this one: every date one year later (29 February → 28
    February, see `dates.shift_years`), the plan (phases and gates, leading group, office,
    units and duties, measures, plan tasks) copied; evidence, meetings, alerts and circulars
    are not. The copy starts as 筹备中 without a document number."""
    _check_manage(acting_user, campaign)
    src = Campaign.objects.select_related("region").get(pk=campaign.pk)
    name = _next_name(src.name, src.year)
    if Campaign.objects.filter(region=src.region, name=name).exists():
        raise ValidationError({"name": f"“{name}”已存在，不能重复生成。"})
    new = Campaign.objects.create(
        name=name,
        year=src.year + 1,
        region=src.region,
        status=CampaignStatus.DRAFT,
        issuer=src.issuer,
        document_number="",
        issued_on=None,
        goals=src.goals,
        office_name=src.office_name,
        office_org=src.office_org,
        office_duty=src.office_duty,
        schools_duty=src.schools_duty,
        start_date=shift_years(src.start_date),
        end_date=shift_years(src.end_date),
        monthly_due_day=src.monthly_due_day,
        monthly_report_content=src.monthly_report_content,
        summary_due=shift_years(src.summary_due) if src.summary_due else None,
        summary_recipient=src.summary_recipient,
        copied_from=src,
        created_by=acting_user,
    )
    phase_map: dict[int, Phase] = {}
    for p in src.phases.order_by("order", "pk"):
        phase_map[p.pk] = Phase.objects.create(
            campaign=new,
            order=p.order,
            name=p.name,
            start=shift_years(p.start),
            end=shift_years(p.end),
            start_label=p.start_label,
            description=p.description,
            gates=p.gates,
        )
    GroupMember.objects.bulk_create(
        GroupMember(
            campaign=new,
            role=m.role,
            person_name=m.person_name,
            title=m.title,
            organisation_id=m.organisation_id,
            user_id=m.user_id,
            order=m.order,
        )
        for m in src.group.all()
    )
    Participant.objects.bulk_create(
        Participant(
            campaign=new,
            organisation_id=p.organisation_id,
            duty=p.duty,
            reports_monthly=p.reports_monthly,
            order=p.order,
        )
        for p in src.participants.all()
    )
    PlanText.objects.bulk_create(
        PlanText(campaign=new, kind=t.kind, order=t.order, title=t.title, body=t.body)
        for t in src.texts.all()
    )
    Task.objects.bulk_create(
        Task(
            campaign=new,
            phase=phase_map.get(t.phase_id) if t.phase_id else None,
            source=t.source,
            title=t.title,
            description=t.description,
            organisation_id=t.organisation_id,
            due=shift_years(t.due),
            order=t.order,
        )
        for t in src.tasks.filter(source=TaskSource.PLAN)
    )
    _audit(
        acting_user,
        "campaign.copy_next_year",
        new,
        new,
        after={**audit.snapshot(new), "copied_from": src.pk},
    )
    return new


# --- 六项机制: joint meetings -------------------------------------------------------------


@transaction.atomic
def meeting_record(
    *,
    acting_user,
    campaign: Campaign,
    held_on: dt.date,
    title: str,
    topics: str,
    kind: str = "joint",
    location: str = "",
    attendee_orgs: Iterable[Organisation] = (),
    attendee_people: str = "",
    decisions: Sequence[dict[str, Any]] = (),
) -> Meeting:
    """A 联席会议/月度会商; each decision {title, organisation, due} becomes a task of its owner."""
    _check_manage(acting_user, campaign)
    attendee_orgs = list(attendee_orgs)
    if not attendee_orgs:
        raise ValidationError({"attendee_orgs": "请选择参会单位。"})
    for i, d in enumerate(decisions, start=1):
        if not d.get("title") or d.get("organisation") is None or d.get("due") is None:
            raise ValidationError({"decisions": f"第{i}项议定事项：事项、责任单位和完成时限都须填写。"})
        if d["due"] < held_on:
            raise ValidationError({"decisions": f"第{i}项议定事项：完成时限不能早于会议日期。"})
    meeting = Meeting.objects.create(
        campaign=campaign,
        kind=kind,
        held_on=held_on,
        title=title,
        location=location,
        attendee_people=attendee_people,
        topics=topics,
        recorded_by=acting_user,
    )
    meeting.attendee_orgs.set(attendee_orgs)
    for d in decisions:
        task_create(
            acting_user=acting_user,
            campaign=campaign,
            title=d["title"],
            organisation=d["organisation"],
            due=d["due"],
            description=d.get("description", ""),
            source=TaskSource.MEETING,
            meeting=meeting,
        )
    after = audit.snapshot(meeting)
    after["attendee_orgs"] = [o.pk for o in attendee_orgs]
    after["decisions"] = len(decisions)
    _audit(acting_user, "campaign.meeting_record", meeting, campaign, after=after)
    return meeting


# --- 六项机制: risk alerts ----------------------------------------------------------------


def school_staff(school_org_ids: Iterable[int | None]):
    """The people who answer for schools: the schools' own units, with 报送 or 整改 rights."""
    ids = list(school_org_ids)
    return {u.pk: u for cap in (Cap.REPORT_SUBMIT, Cap.HAZARD_RECTIFY) for u in members(ids, cap)}.values()


@transaction.atomic
def alert_issue(
    *,
    acting_user,
    campaign: Campaign,
    title: str,
    text: str,
    level: str,
    respond_by: dt.date,
    schools: Iterable[School],
    issuer: Organisation | None = None,
) -> RiskAlert:
    """Push a 风险提示 to chosen schools (each within the campaign's region and the user's scope)."""
    _check_manage(acting_user, campaign)
    schools = list(schools)
    if not schools:
        raise ValidationError({"schools": "请至少选择一所学校。"})
    outside = [s.name for s in schools if not s.region.path.startswith(campaign.region.path)]
    if outside:
        raise ValidationError({"schools": f"不在本次行动区域内：{'、'.join(outside)}。"})
    if acting_user is not None:
        visible = set(
            School.objects.visible_to(acting_user)
            .filter(pk__in=[s.pk for s in schools])
            .values_list("pk", flat=True)
        )
        if len(visible) != len({s.pk for s in schools}):
            raise ValidationError({"schools": "所选学校超出您的管辖范围。"})
    issuer = (
        issuer
        or _acting_org(acting_user, campaign, Cap.CAMPAIGN_MANAGE)
        or campaign.office_org
        or campaign.issuer
    )
    if issuer is None:
        raise ValidationError({"issuer": "请指定发布单位。"})
    alert = RiskAlert.objects.create(
        campaign=campaign,
        title=title,
        text=text,
        level=level,
        respond_by=respond_by,
        issuer=issuer,
        issued_by=acting_user,
    )
    AlertRecipient.objects.bulk_create(AlertRecipient(alert=alert, school=s) for s in schools)
    after = audit.snapshot(alert)
    after["schools"] = sorted(s.pk for s in schools)
    _audit(acting_user, "campaign.alert_issue", alert, campaign, after=after, org=issuer)
    url = reverse("campaigns:alert-detail", args=[alert.pk])
    notify_on_commit(
        lambda: school_staff(s.organisation_id for s in schools),
        kind=KIND_ALERT,
        title=f"风险提示（{alert.get_level_display()}）：{title}，请于{cn_date(respond_by)}前反馈",
        url=url,
        dedupe_key=f"alert:{alert.pk}",
    )
    return alert


def _lock_recipient(recipient: AlertRecipient) -> AlertRecipient:
    return (
        AlertRecipient.objects.select_for_update(of=("self",))
        .select_related("alert__campaign__region", "school__organisation", "responded_by")
        .get(pk=recipient.pk)
    )


def _require_responder(acting_user, recipient: AlertRecipient) -> Organisation | None:
    if acting_user is None:
        return None
    orgs = school_responders(acting_user, recipient.school)
    if not orgs:
        raise PermissionDenied("只有该校的安全负责人或校长可以签收和反馈。")
    return recipient.school.organisation


@transaction.atomic
def alert_acknowledge(*, acting_user, recipient: AlertRecipient) -> AlertRecipient:
    """签收: the school has received the alert (idempotent: a second 签收 changes nothing)."""
    current = _lock_recipient(recipient)
    org = _require_responder(acting_user, current)
    if current.acknowledged_at is not None:
        return current
    current.acknowledged_at, current.acknowledged_by = timezone.now(), acting_user
    current.save(update_fields=["acknowledged_at", "acknowledged_by"])
    _audit(
        acting_user,
        "campaign.alert_acknowledge",
        current,
        current.alert.campaign,
        after=audit.snapshot(current),
        org=org,
    )
    return current


@transaction.atomic
def alert_respond(*, acting_user, recipient: AlertRecipient, response: str) -> AlertRecipient:
    """Record the school's response (落实情况), acknowledging first if needed. Once recorded,
    a response stands; a second one is refused with who answered and when."""
    response = (response or "").strip()
    if not response:
        raise ValidationError({"response": "请填写落实情况。"})
    current = _lock_recipient(recipient)
    org = _require_responder(acting_user, current)
    if current.responded_at is not None:
        raise ConflictError(
            f"该校已由{current.responded_by}于{cn_datetime(current.responded_at)}反馈，不能重复反馈。"
        )
    before = audit.snapshot(current)
    now = timezone.now()
    if current.acknowledged_at is None:
        current.acknowledged_at, current.acknowledged_by = now, acting_user
    current.response, current.responded_at, current.responded_by = response, now, acting_user
    current.save()
    _audit(
        acting_user,
        "campaign.alert_respond",
        current,
        current.alert.campaign,
        before=before,
        after=audit.snapshot(current),
        org=org,
    )
    return current


def _notify_overdue(org_ids: list[int | None], title: str, url: str, key: str) -> None:
    notify(members(org_ids), kind=KIND_ALERT_OVERDUE, title=title, url=url, dedupe_key=key)


def alert_escalate_overdue(*, today: dt.date | None = None) -> int:
    """Each recipient that has not responded by its alert's deadline is reported once to its
    school's 学区管理中心 (and the alert's issuer): `escalated_at` is set in the same
    transaction as the audit event, so running this twice escalates nobody twice."""
    today = today or timezone.localdate()
    count = 0
    pending = AlertRecipient.objects.filter(
        responded_at__isnull=True, escalated_at__isnull=True, alert__respond_by__lt=today
    ).values_list("pk", flat=True)
    for pk in list(pending):
        with transaction.atomic():
            r = (
                AlertRecipient.objects.select_for_update(of=("self",))
                .select_related("alert__campaign__region", "school__school_district", "alert__issuer")
                .get(pk=pk)
            )
            if r.responded_at is not None or r.escalated_at is not None:
                continue
            r.escalated_at = timezone.now()
            r.save(update_fields=["escalated_at"])
            district = r.school.school_district
            _audit(
                None,
                "campaign.alert_escalate",
                r,
                r.alert.campaign,
                after={
                    "school": r.school_id,
                    "district": district.pk if district else None,
                    "respond_by": r.alert.respond_by.isoformat(),
                },
                org=district,
            )
            title = f"逾期未反馈：{r.school.name} 未在{cn_date(r.alert.respond_by)}前反馈风险提示“{r.alert.title}”"
            url = reverse("campaigns:alert-detail", args=[r.alert_id])
            ids = [district.pk if district else None, r.alert.issuer_id]
            transaction.on_commit(partial(_notify_overdue, ids, title, url, f"alert-overdue:{r.pk}"))
            count += 1
    return count


# --- 六项机制: circulars ------------------------------------------------------------------


@transaction.atomic
def circular_issue(
    *,
    acting_user,
    campaign: Campaign,
    title: str,
    body: str,
    recipients: Iterable[Organisation],
    number: str = "",
    files: Iterable = (),
    issuer: Organisation | None = None,
) -> Circular:
    """A 通报 with attachments (all checked before any is stored) to recipient units."""
    _check_manage(acting_user, campaign)
    recipients = list(recipients)
    if not recipients:
        raise ValidationError({"recipients": "请选择主送单位。"})
    checked = check_attachments(files, field="附件")
    issuer = issuer or _acting_org(acting_user, campaign, Cap.CAMPAIGN_MANAGE) or campaign.issuer
    if issuer is None:
        raise ValidationError({"issuer": "请指定发文单位。"})
    circular = Circular.objects.create(
        campaign=campaign, number=number, title=title, body=body, issuer=issuer, issued_by=acting_user
    )
    circular.recipients.set(recipients)
    stored = _store_files(CircularAttachment, checked, acting_user, circular=circular)
    after = audit.snapshot(circular)
    after.update({"recipients": [o.pk for o in recipients], "attachments": stored})
    _audit(acting_user, "campaign.circular_issue", circular, campaign, after=after, org=issuer)
    notify_on_commit(
        lambda: members([o.pk for o in recipients]),
        kind=KIND_CIRCULAR,
        title=f"通报：{title}",
        url=reverse("campaigns:circular-detail", args=[circular.pk]),
        dedupe_key=f"circular:{circular.pk}",
    )
    return circular


def circular_mark_read(*, acting_user, circular: Circular) -> int:
    """A read receipt for each recipient unit the reader belongs to that has none yet."""
    recipient_ids = set(circular.recipients.values_list("pk", flat=True))
    mine = sorted(set(scope_of(acting_user).org_ids()) & recipient_ids)
    missing = set(mine) - set(circular.receipts.values_list("organisation_id", flat=True))
    count = 0
    for org_id in sorted(missing):
        try:
            with transaction.atomic():
                receipt = CircularReceipt.objects.create(
                    circular=circular, organisation_id=org_id, user=acting_user
                )
                _audit(
                    acting_user,
                    "campaign.circular_read",
                    receipt,
                    circular.campaign,
                    after=audit.snapshot(receipt),
                    org=Organisation.objects.get(pk=org_id),
                )
                count += 1
        except IntegrityError:  # a colleague of the same unit read it at the same moment
            continue
    return count
