"""Reads for the hazard register pages: the register in the user's scope, its counts by state,
and everything the detail page shows about one hazard — each a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from huxiao.core.calendar import estimate_warning, working_days_between
from huxiao.hazards.choices import ExtensionState, Phase, State
from huxiao.hazards.models import (
    ExtensionRequest,
    Hazard,
    HazardAttachment,
    HazardEscalation,
    HazardEvent,
    RectificationNotice,
    RectificationPlan,
)


def hazard_register(user):
    """The user's hazards with overdue/due-soon flags and what a register row shows."""
    return (
        Hazard.objects.visible_to(user)
        .with_flags()
        .select_related("school", "responsible_org")
        .order_by("-found_on", "-pk")
    )


def state_counts(hazards) -> dict[str, int]:
    """How many of `hazards` stand in each state — one aggregate query."""
    return hazards.order_by().aggregate(
        **{state.value: Count("pk", filter=Q(state=state)) for state in State}
    )


@dataclass
class DeadlineStatus:
    """The deadline as the detail page explains it."""

    overdue: bool = False
    due_soon: bool = False
    overdue_days: int = 0  # working days past the deadline
    days_left: int = 0  # working days until the deadline
    warning: str = ""  # core.calendar.estimate_warning when the year's 调休 is not yet published


def deadline_status(hazard: Hazard, today: dt.date | None = None) -> DeadlineStatus:
    """Overdue and due-soon as the register computes them (HazardQuerySet.with_flags), plus days."""
    today = today or timezone.localdate()
    if hazard.deadline is None:
        return DeadlineStatus()
    flags = Hazard.objects.with_flags(today).filter(pk=hazard.pk).values("is_overdue", "is_due_soon").first()
    flags = flags or {"is_overdue": False, "is_due_soon": False}
    return DeadlineStatus(
        overdue=flags["is_overdue"],
        due_soon=flags["is_due_soon"],
        overdue_days=working_days_between(hazard.deadline, today) if flags["is_overdue"] else 0,
        days_left=working_days_between(today, hazard.deadline) if flags["is_due_soon"] else 0,
        warning=estimate_warning(hazard.deadline),
    )


@dataclass
class HazardFile:
    """Everything hanging off one hazard, read in a fixed number of queries."""

    photos: dict[str, list[HazardAttachment]] = field(default_factory=dict)
    events: list[HazardEvent] = field(default_factory=list)
    escalations: list[HazardEscalation] = field(default_factory=list)
    notices: list[RectificationNotice] = field(default_factory=list)
    plan: RectificationPlan | None = None
    extensions: list[ExtensionRequest] = field(default_factory=list)

    @property
    def pending_extensions(self) -> list[ExtensionRequest]:
        return [e for e in self.extensions if e.state == ExtensionState.PENDING]

    @property
    def has_after_photos(self) -> bool:
        return bool(self.photos.get(Phase.AFTER))


def hazard_file(hazard: Hazard) -> HazardFile:
    """The photos by phase, the timeline (each event with its photos and the document it
    produced), escalation rungs, notices, the plan with its tasks, and extension requests."""
    attachments = list(hazard.attachments.order_by("uploaded_at", "pk"))
    photos: dict[str, list[HazardAttachment]] = {phase: [] for phase in Phase.values}
    for a in attachments:
        photos.setdefault(a.phase, []).append(a)
    escalations = list(hazard.escalations.select_related("issuer").order_by("level"))
    by_level = {e.level: e for e in escalations}
    by_pk = {e.pk: e for e in escalations}
    events = list(
        hazard.events.select_related("actor", "actor_org")
        .prefetch_related(Prefetch("attachments", queryset=HazardAttachment.objects.order_by("pk")))
        .order_by("at", "pk")
    )
    notices = list(hazard.notices.select_related("issuer").order_by("issued_at"))
    notice_by_pk = {n.pk: n for n in notices}
    for event in events:
        data = event.data or {}
        # the document an event produced, if any: a notice, or a rung of the 督办 ladder
        notice, interview, level = data.get("notice"), data.get("interview"), data.get("level")
        event.notice = notice_by_pk.get(notice) if notice else None  # type: ignore[attr-defined]
        event.escalation = by_pk.get(interview) if interview else by_level.get(level) if level else None  # type: ignore[attr-defined]
    plan = (
        RectificationPlan.objects.filter(hazard=hazard)
        .select_related("lead_org", "created_by")
        .prefetch_related("tasks")
        .first()
    )
    extensions = list(
        hazard.extensions.select_related("requested_by", "decided_by").order_by("-requested_at")
    )
    return HazardFile(
        photos=photos,
        events=events,
        escalations=escalations,
        notices=notices,
        plan=plan,
        extensions=extensions,
    )
