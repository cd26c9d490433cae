"""Services of inspection plans (Cap.INSPECTION_PLAN): a plan per semester and owner, its
entries, and the reminders `manage.py inspection_reminders` sends once per entry, 3 days ahead.
An entry is marked done by `services.inspection_submit` when its school and kind are inspected."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from huxiao.accounts.roles import Cap
from huxiao.accounts.scope import scope_of
from huxiao.accounts.selectors import members
from huxiao.core import audit
from huxiao.core.semesters import Semester, semester_of
from huxiao.inspections.choices import NotifyKind
from huxiao.inspections.models import InspectionPlan, PlanEntry
from huxiao.lib.dates import cn_date
from huxiao.notifications.services import notify

REMIND_DAYS = 3


def planning_semester(on: dt.date) -> Semester:
    """The semester holding `on`, or (in a vacation) the next one."""
    for days in range(0, 200):
        found = semester_of(on + dt.timedelta(days=days))
        if found:
            return found
    raise ValidationError("未配置学期（HUXIAO_SEMESTERS）。")


def _require(user, org_id: int) -> None:
    if org_id not in scope_of(user).org_ids(Cap.INSPECTION_PLAN):
        raise PermissionDenied("只有制定计划的单位可以修改该计划。")


@transaction.atomic
def plan_create(*, acting_user, title: str, owner_org, on: dt.date | None = None) -> InspectionPlan:
    _require(acting_user, owner_org.pk)
    semester = planning_semester(on or timezone.localdate())
    plan = InspectionPlan.objects.create(
        title=title.strip(),
        owner_org=owner_org,
        semester_start=semester.start,
        semester_end=semester.end,
        semester_label=semester.label,
        created_by=acting_user,
    )
    audit.record(
        actor=acting_user,
        action="inspection_plan.create",
        obj=plan,
        after=audit.snapshot(plan),
        region_path=owner_org.region.path,
        organisation=owner_org,
    )
    return plan


@transaction.atomic
def plan_entry_add(*, acting_user, plan: InspectionPlan, inspectors=(), **fields) -> PlanEntry:
    _require(acting_user, plan.owner_org_id)
    entry = PlanEntry(plan=plan, **fields)
    entry.full_clean()
    entry.save()
    entry.inspectors.set(inspectors)
    audit.record(
        actor=acting_user,
        action="inspection_plan.entry_add",
        obj=plan,
        after={**audit.snapshot(entry), "inspectors": sorted(u.pk for u in inspectors)},
        region_path=entry.school.region.path,
        organisation=plan.owner_org,
    )
    return entry


@transaction.atomic
def plan_entry_remove(*, acting_user, entry: PlanEntry) -> None:
    _require(acting_user, entry.plan.owner_org_id)
    if entry.done_by_id:
        raise ValidationError("该计划条目已完成，不能删除。")
    audit.record(
        actor=acting_user,
        action="inspection_plan.entry_remove",
        obj=entry.plan,
        before=audit.snapshot(entry),
        region_path=entry.school.region.path,
        organisation=entry.plan.owner_org,
    )
    entry.delete()


def send_plan_reminders(today: dt.date | None = None) -> int:
    """Remind the inspectors of every open entry planned within the next 3 days (or, with none
    named, the inspecting organisation's inspectors) — once per entry, however often it runs."""
    today = today or timezone.localdate()
    due = (
        PlanEntry.objects.open()
        .filter(
            reminded_at__isnull=True,
            planned_on__gte=today,
            planned_on__lte=today + dt.timedelta(days=REMIND_DAYS),
        )
        .select_related("school__region", "plan__owner_org")
        .prefetch_related("inspectors")
    )
    sent = 0
    for entry in due:
        with transaction.atomic():
            claimed = PlanEntry.objects.filter(pk=entry.pk, reminded_at__isnull=True).update(
                reminded_at=timezone.now()
            )
            if not claimed:  # another run got it first
                continue
            people = list(entry.inspectors.all()) or members(
                [entry.inspecting_org_id], Cap.INSPECTION_PERFORM
            )
            notify(
                people,
                kind=NotifyKind.INSPECTION_PLAN,
                title=f"检查提醒：{cn_date(entry.planned_on)}{entry.get_kind_display()}{entry.school.name}（{entry.plan.title}）",
                url=reverse("inspections:inspection-create") + f"?school={entry.school_id}",
                dedupe_key=f"inspections.plan_entry:{entry.pk}",
            )
            audit.record(
                actor=None,
                action="inspection_plan.remind",
                obj=entry.plan,
                after={"entry": entry.pk, "users": sorted(u.pk for u in people)},
                region_path=entry.school.region.path,
            )
            sent += 1
    return sent
