"""Schools entering a gated phase (申请进入验收 / 验收通过 / 退回), one record per school and phase."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from huxiao.accounts.roles import Cap
from huxiao.accounts.selectors import members
from huxiao.campaigns import gates as gate_checks
from huxiao.campaigns.access import entry_applicants
from huxiao.campaigns.choices import CampaignStatus, EntryStatus
from huxiao.campaigns.models import Campaign, Phase, PhaseEntry
from huxiao.campaigns.services._common import KIND_TASK, _audit, _check_manage
from huxiao.core import audit
from huxiao.core.errors import ConflictError
from huxiao.lib.dates import cn_datetime
from huxiao.notifications.services import notify_on_commit
from huxiao.schools.models import School

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
        if entry is None:  # records are never deleted: a version without one is a tampered page
            raise ConflictError(
                f"页面与{school.name}的{phase.name}记录不符，您的操作未执行。请刷新页面后重试。"
            )
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
