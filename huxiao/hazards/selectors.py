"""Reads for the hazard register pages: the register in the user's scope, its counts by state,
and everything the detail page shows about one hazard — each a fixed number of queries; and
for the notice pages (notice_views.py): the notice list, the preset of a new notice, the
挂牌督办 page, and which register exports a user may still download."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from huxiao.core.calendar import estimate_warning, working_days_between
from huxiao.core.models import Job
from huxiao.hazards.choices import Escalation, ExtensionState, Phase, State
from huxiao.hazards.exports import EXPORT_JOB_KIND, export_in_scope
from huxiao.hazards.models import (
    ExtensionRequest,
    Hazard,
    HazardAttachment,
    HazardEscalation,
    HazardEvent,
    RectificationNotice,
    RectificationPlan,
)
from huxiao.hazards.notice_forms import ISSUABLE_STATES
from huxiao.hazards.policy import default_deadline
from huxiao.schools.models import School


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


# --- Notices ---------------------------------------------------------------------------------


def notice_years(notices: QuerySet[RectificationNotice]) -> list[int]:
    """The years `notices` were issued in, newest first (the year filter's choices)."""
    return sorted(set(notices.values_list("year", flat=True)), reverse=True)


def notice_rows(notices: QuerySet[RectificationNotice]) -> QuerySet[RectificationNotice]:
    """`notices` as the list shows them — issuer, school, who signed, how many hazards — newest first."""
    return (
        notices.select_related("issuer", "school", "signed_by")
        .annotate(hazard_count=Count("hazards"))
        .order_by("-issued_at", "-pk")
    )


def notice_initial(school: School, hazard_ids: list[int], issuer_ids: list[int]) -> dict[str, Any]:
    """Preselected hazards (?hazards=1,2) and the deadline: the latest of theirs, or — when that
    has passed or none is chosen — the region's policy from today for the gravest one."""
    chosen = list(
        Hazard.objects.filter(school=school, pk__in=hazard_ids, state__in=ISSUABLE_STATES).order_by("pk")
    )
    today = timezone.localdate()
    deadlines = [h.deadline for h in chosen if h.deadline]
    deadline = max(deadlines) if deadlines else None
    if deadline is None or deadline < today:
        severity = (
            "major"
            if any(h.is_major for h in chosen)
            else "larger"
            if any(h.severity == "larger" for h in chosen)
            else "general"
        )
        deadline = default_deadline(school, severity, today)
    return {"issuer": issuer_ids[0], "hazards": [h.pk for h in chosen], "deadline": deadline}


# --- Escalation (督办 / 约谈 / 挂牌督办) ---------------------------------------------------------


def listed_hazards(user, today: dt.date | None = None) -> list[dict[str, Any]]:
    """挂牌督办: the user's live hazards on the top rung, earliest deadline first, each with its
    挂牌 rung and the working days it is overdue."""
    today = today or timezone.localdate()
    listed = (
        Hazard.objects.visible_to(user)
        .live()
        .filter(escalation=Escalation.LISTED)
        .select_related("school")
        .prefetch_related(
            Prefetch(
                "escalations",
                queryset=HazardEscalation.objects.filter(level=Escalation.LISTED).select_related("issuer"),
                to_attr="listing",
            )
        )
        .order_by("deadline", "pk")
    )
    return [
        {
            "hazard": h,
            "rung": h.listing[0] if h.listing else None,
            "overdue_days": working_days_between(h.deadline, today) if h.deadline else 0,
        }
        for h in listed
    ]


def lower_rungs(user) -> QuerySet[HazardEscalation]:
    """Every 督办 and 约谈 rung in the user's scope, newest first (for a paged list)."""
    return (
        HazardEscalation.objects.visible_to(user)
        .filter(level__in=(Escalation.SUPERVISE, Escalation.INTERVIEW))
        .select_related("hazard__school", "issuer")
        .order_by("-created_at", "-pk")
    )


# --- Register exports ----------------------------------------------------------------------


def recent_exports(user) -> list[Job]:
    """The user's ten most recent register exports."""
    return list(Job.objects.filter(created_by=user, kind=EXPORT_JOB_KIND)[:10])


def exports_out_of_scope(user, export_jobs: Iterable[Job]) -> set[int]:
    """The finished exports among `export_jobs` whose file `user` may no longer be given."""
    return {
        j.pk
        for j in export_jobs
        if j.state == Job.State.SUCCEEDED and j.output_file and not export_in_scope(j, user)
    }
