"""Tasks of the member units (from the plan or a meeting's decisions): created, reported done with
evidence, sent back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from huxiao.accounts.selectors import members
from huxiao.campaigns import gates as gate_checks
from huxiao.campaigns.access import can_complete
from huxiao.campaigns.choices import TaskSource, TaskStatus
from huxiao.campaigns.files import check_attachments
from huxiao.campaigns.models import Campaign, Meeting, Phase, Task, TaskAttachment
from huxiao.campaigns.services._common import KIND_TASK, _audit, _check_manage, _store_files, campaign_url
from huxiao.core import audit
from huxiao.core.choices import SCHOOL_KINDS
from huxiao.core.models import Organisation
from huxiao.core.versions import locked
from huxiao.lib.dates import cn_date, cn_datetime
from huxiao.notifications.services import notify_on_commit
from huxiao.schools.models import School

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
