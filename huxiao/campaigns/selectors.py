"""Reads of campaigns: for the campaign pages, for the monthly 统计表 (`monthly_due_day`) and for
the dashboards (`current_campaigns`, `campaign_progress`). Each a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from huxiao.accounts.roles import Cap
from huxiao.accounts.scope import scope_of
from huxiao.campaigns import gates
from huxiao.campaigns.choices import CampaignStatus, EntryStatus, TaskStatus
from huxiao.campaigns.dates import month_bounds
from huxiao.campaigns.models import (
    AlertRecipient,
    Campaign,
    Circular,
    Meeting,
    Phase,
    PhaseEntry,
    RiskAlert,
    Task,
)
from huxiao.core.choices import SCHOOL_KINDS
from huxiao.core.regions import ancestors_and_self
from huxiao.schools.models import School


def _ancestor_paths(path: str) -> list[str]:
    """'a/b/c/' → ['a/', 'a/b/', 'a/b/c/']"""
    return ancestors_and_self(path)


def campaign_for_month(region, year: int, month: int) -> Campaign | None:
    """The campaign covering (year, month) in `region` or its nearest ancestor that has one
    (筹备中 campaigns do not count); the latest-starting one when several overlap."""
    if region is None:
        return None
    start, end = month_bounds(year, month)
    candidates = (
        Campaign.objects.covering(start, end)
        .exclude(status=CampaignStatus.DRAFT)
        .filter(region__path__in=_ancestor_paths(region.path))
        .select_related("region")
    )
    best = sorted(candidates, key=lambda c: (len(c.region.path), c.start_date, c.pk), reverse=True)
    return best[0] if best else None


def monthly_due_day(region, year: int, month: int) -> int:
    """The day of the month by which the monthly 统计表 for (year, month) is due in `region`.

    The default is `HUXIAO_MONTHLY_DUE_DAY` (the seed's 28th); a campaign covering the month
    in the region (or an ancestor region) may set its own schedule.
    """
    campaign = campaign_for_month(region, year, month)
    return campaign.monthly_due_day if campaign is not None else settings.HUXIAO_MONTHLY_DUE_DAY


# --- Progress ---------------------------------------------------------------------------------


@dataclass
class PhaseProgress:
    phase: Phase
    start: dt.date
    end: dt.date
    is_current: bool
    is_past: bool
    done: int = 0
    total: int = 0
    overdue: int = 0
    tasks: list = field(default_factory=list)  # filled by campaign_page

    @property
    def name(self) -> str:
        return self.phase.name

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


@dataclass
class CampaignProgress:
    campaign: Campaign
    today: dt.date
    phases: list[PhaseProgress]
    done: int = 0
    total: int = 0
    overdue: int = 0

    @property
    def current_phases(self) -> list[PhaseProgress]:
        return [p for p in self.phases if p.is_current]

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def campaign_progress(campaign: Campaign, today: dt.date | None = None) -> CampaignProgress:
    """Phases (start, end, is_current) with their tasks done/total/overdue — two queries."""
    today = today or timezone.localdate()
    phases = list(campaign.phases.order_by("order", "start", "pk"))
    counts = {
        row["phase_id"]: row
        for row in Task.objects.filter(campaign=campaign)
        .values("phase_id")
        .annotate(
            total=Count("pk"),
            done=Count("pk", filter=Q(status=TaskStatus.DONE)),
            overdue=Count("pk", filter=~Q(status=TaskStatus.DONE) & Q(due__lt=today)),
        )
    }
    rows = []
    for p in phases:
        c = counts.get(p.pk, {})
        rows.append(
            PhaseProgress(
                phase=p,
                start=p.start,
                end=p.end,
                is_current=p.start <= today <= p.end,
                is_past=p.end < today,
                done=c.get("done", 0),
                total=c.get("total", 0),
                overdue=c.get("overdue", 0),
            )
        )
    return CampaignProgress(
        campaign=campaign,
        today=today,
        phases=rows,
        done=sum(r["done"] for r in counts.values()),
        total=sum(r["total"] for r in counts.values()),
        overdue=sum(r["overdue"] for r in counts.values()),
    )


def current_campaigns(user, today: dt.date | None = None) -> list[Campaign]:
    """Campaigns the user can see that run today (not 筹备中), nearest region first."""
    today = today or timezone.localdate()
    return list(
        Campaign.objects.visible_to(user)
        .covering(today, today)
        .exclude(status=CampaignStatus.DRAFT)
        .select_related("region")
        .order_by("-region__path", "-start_date")
    )


# --- The timeline (server-side SVG geometry) -----------------------------------------------------


@dataclass
class TimelineBar:
    label: str
    dates: str
    x: float
    width: float
    y: float
    css: str
    label_x: float
    anchor: str


@dataclass
class Timeline:
    width: int
    height: int
    bars: list[TimelineBar]
    ticks: list[dict]
    today_x: float | None
    today_label: str


def timeline(progress: CampaignProgress, *, width: int = 1000, row: int = 34) -> Timeline:
    """One row per phase on a shared date axis (phases may overlap), month ticks, and a
    vertical line at today when today falls within the campaign. Coordinates are in a
    `viewBox` of `width` units; the SVG scales to the page."""
    from huxiao.lib.dates import cn_date

    phases = progress.phases
    start = min((p.start for p in phases), default=progress.campaign.start_date)
    end = max((p.end for p in phases), default=progress.campaign.end_date)
    days = max((end - start).days + 1, 1)
    top, left, right = 26, 4, 4
    span = width - left - right

    def x_of(day: dt.date) -> float:
        return round(left + span * (day - start).days / days, 1)

    bars = []
    for i, p in enumerate(phases):
        x = x_of(p.start)
        w = max(round(span * ((p.end - p.start).days + 1) / days, 1), 4)
        css = "current" if p.is_current else "past" if p.is_past else "future"
        label_right = x + w / 2 > width * 0.6
        bars.append(
            TimelineBar(
                label=p.name,
                dates=f"{p.phase.start_label or cn_date(p.start)}—{cn_date(p.end)}",
                x=x,
                width=w,
                y=top + i * row,
                css=css,
                label_x=round(x + w - 6, 1) if label_right else round(x + 6, 1),
                anchor="end" if label_right else "start",
            )
        )
    ticks = []
    month = dt.date(start.year, start.month, 1)
    while month <= end:
        if month >= start:
            ticks.append(
                {"x": x_of(month), "label": f"{month.month}月" if month.month != 1 else f"{month.year}年1月"}
            )
        month = dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    today = progress.today
    return Timeline(
        width=width,
        height=top + len(phases) * row + 6,
        bars=bars,
        ticks=ticks,
        today_x=x_of(today) if start <= today <= end else None,
        today_label=f"今天 {today.month}月{today.day}日",
    )


# --- The campaign page ----------------------------------------------------------------------------


@dataclass
class UnitLoad:
    """What one participating unit owes: its duty and its tasks (open, overdue, done). The
    schools of the region share one card (`name` 辖区中小学、幼儿园, the campaign's schools_duty)."""

    name: str
    duty: str
    org_ids: tuple[int, ...]
    reports_monthly: bool = False
    tasks: list[Task] = field(default_factory=list)
    mine: bool = False  # the reader belongs to this unit (campaign_page with a user)
    participant_id: int | None = None  # None for the schools' shared card

    @property
    def open_tasks(self) -> list[Task]:
        return [t for t in self.tasks if t.status != TaskStatus.DONE]

    @property
    def overdue(self) -> int:
        return sum(1 for t in self.tasks if getattr(t, "is_overdue", False))

    @property
    def done(self) -> int:
        return sum(1 for t in self.tasks if t.status == TaskStatus.DONE)


@dataclass
class CampaignPage:
    progress: CampaignProgress
    timeline: Timeline
    group: list
    units: list[UnitLoad]
    other_tasks: list[Task]
    unphased_tasks: list[Task]
    texts: list
    meetings: Sequence[Meeting]
    alerts: Sequence[RiskAlert]
    circulars: Sequence[Circular]
    entries: list[EntryCounts] = field(default_factory=list)


def campaign_page(campaign: Campaign, today: dt.date | None = None, user=None) -> CampaignPage:
    """Everything the campaign page shows, in a fixed number of queries (one more when the
    campaign has gated phases and a `user` is given: the schools' entry counts)."""
    today = today or timezone.localdate()
    progress = campaign_progress(campaign, today)
    tasks = list(
        Task.objects.filter(campaign=campaign)
        .with_flags(today)
        .select_related("organisation")
        .annotate(n_files=Count("attachments"))
        .order_by("due", "order", "pk")
    )
    by_phase: dict[int | None, list[Task]] = defaultdict(list)
    by_org: dict[int, list[Task]] = defaultdict(list)
    for t in tasks:
        by_phase[t.phase_id].append(t)
        by_org[t.organisation_id].append(t)
    participants = list(campaign.participants.select_related("organisation").order_by("order", "pk"))
    units = [
        UnitLoad(
            name=p.organisation.name,
            duty=p.duty,
            org_ids=(p.organisation_id,),
            reports_monthly=p.reports_monthly,
            tasks=by_org.pop(p.organisation_id, []),
            participant_id=p.pk,
        )
        for p in participants
    ]
    school_org_ids = tuple(
        sorted(oid for oid, ts in by_org.items() if ts[0].organisation.kind in SCHOOL_KINDS)
    )
    if campaign.schools_duty or school_org_ids:
        school_tasks = sorted(
            (t for oid in school_org_ids for t in by_org.pop(oid)), key=lambda t: (t.due, t.order, t.pk)
        )
        units.append(
            UnitLoad("辖区中小学、幼儿园", campaign.schools_duty, school_org_ids, tasks=school_tasks)
        )
    other = [t for ts in by_org.values() for t in ts]
    for ph in progress.phases:
        ph.tasks = by_phase.get(ph.phase.pk, [])
    alerts = list(
        campaign.alerts.select_related("issuer")
        .annotate(
            n_recipients=Count("recipients"),
            n_responded=Count("recipients", filter=Q(recipients__responded_at__isnull=False)),
        )
        .order_by("-issued_at")
    )
    circulars = list(
        campaign.circulars.select_related("issuer")
        .annotate(n_recipients=Count("recipients", distinct=True), n_read=Count("receipts", distinct=True))
        .order_by("-issued_at")
    )
    meetings = list(campaign.meetings.annotate(n_decisions=Count("decisions")).order_by("-held_on"))
    if user is not None:
        mine = set(scope_of(user).org_ids())
        for unit in units:
            unit.mine = bool(mine & set(unit.org_ids))
    return CampaignPage(
        progress=progress,
        timeline=timeline(progress),
        group=list(campaign.group.select_related("organisation").order_by("order", "pk")),
        units=units,
        other_tasks=other,
        unphased_tasks=by_phase.get(None, []),
        texts=list(campaign.texts.order_by("kind", "order")),
        meetings=meetings,
        alerts=alerts,
        circulars=circulars,
        entries=entry_counts(campaign, user, [p.phase for p in progress.phases]) if user is not None else [],
    )


def campaign_schools(campaign: Campaign, user=None):
    """The active schools in the campaign's region (within the user's scope, when given)."""
    schools = School.objects.active().filter(region__path__startswith=campaign.region.path)
    if user is not None:
        schools = schools.filter(pk__in=School.objects.visible_to(user).values("pk"))
    return schools.order_by("name")


# --- Schools entering gated phases (验收) ---------------------------------------------------------


@dataclass
class EntryCounts:
    """How the user's schools of the campaign stand with one gated phase."""

    phase: Phase
    schools: int
    applied: int
    passed: int
    returned: int

    @property
    def not_applied(self) -> int:
        return self.schools - self.applied - self.passed - self.returned


def entry_counts(campaign: Campaign, user, phases: Sequence[Phase]) -> list[EntryCounts]:
    """Per gated phase: the user's schools in the campaign that have not applied, applied,
    passed or been returned — one query, however many schools and phases."""
    gated = [p for p in phases if p.gates]
    if not gated:
        return []
    aggregates: dict = {"schools": Count("pk", distinct=True)}
    for p in gated:
        for status in EntryStatus:
            aggregates[f"p{p.pk}_{status}"] = Count(
                "phase_entries", filter=Q(phase_entries__phase_id=p.pk, phase_entries__status=status)
            )
    row = campaign_schools(campaign, user).order_by().aggregate(**aggregates)
    return [
        EntryCounts(
            phase=p,
            schools=row["schools"],
            applied=row[f"p{p.pk}_{EntryStatus.APPLIED}"],
            passed=row[f"p{p.pk}_{EntryStatus.PASSED}"],
            returned=row[f"p{p.pk}_{EntryStatus.RETURNED}"],
        )
        for p in gated
    ]


@dataclass
class GateRow:
    """One school in one gated phase: may it enter now (gates), and where it stands (entry)."""

    school: School
    gate: gates.SchoolGate
    entry: PhaseEntry | None

    @property
    def label(self) -> str:
        return self.entry.label if self.entry else "未申请"

    @property
    def status(self) -> str:
        return self.entry.status if self.entry else ""

    @property
    def version(self) -> int:
        return self.entry.version if self.entry else 0

    @property
    def passed_but_failing(self) -> bool:
        """Recorded as entered, but a gate fails now (a hazard found since): worth a look."""
        return self.status == EntryStatus.PASSED and not self.gate.passed


@dataclass
class GatePhase:
    phase: Phase
    conditions: list[str]
    rows: list[GateRow]

    @property
    def counts(self) -> dict[str, int]:
        statuses = [r.status for r in self.rows]
        return {
            "not_applied": statuses.count(""),
            "applied": statuses.count(EntryStatus.APPLIED),
            "passed": statuses.count(EntryStatus.PASSED),
            "returned": statuses.count(EntryStatus.RETURNED),
        }


def gate_table(campaign: Campaign, user, today: dt.date | None = None) -> list[GatePhase]:
    """Per gated phase, each of the user's schools of the campaign: the gates now and its entry
    record. Queries: schools, phases, the entries, one per gate."""
    schools = list(campaign_schools(campaign, user))
    phases = [p for p in campaign.phases.order_by("order", "pk") if p.gates]
    entries = {
        (e.phase_id, e.school_id): e
        for e in PhaseEntry.objects.filter(
            phase__in=phases, school__in=[s.pk for s in schools]
        ).select_related("applied_by", "decided_by")
    }
    table = []
    for p in phases:
        rows = []
        for result in gates.evaluate(p, schools, today):
            entry = entries.get((p.pk, result.school.pk))
            if entry is not None:
                entry.phase = p
            rows.append(GateRow(result.school, result, entry))
        table.append(GatePhase(p, [gates.describe(g) for g in p.gates], rows))
    return table


def alert_recipients(alert: RiskAlert, user):
    """The recipient schools of an alert the user may see (a school sees only its own row)."""
    visible = School.objects.visible_to(user).values("pk")
    return list(
        AlertRecipient.objects.filter(alert=alert, school_id__in=visible)
        .select_related("school__organisation", "school__school_district", "acknowledged_by", "responded_by")
        .order_by("school__name")
    )


def campaign_list(user):
    return (
        Campaign.objects.visible_to(user, Cap.SCHOOL_VIEW)
        .select_related("region", "office_org")
        .annotate(
            n_tasks=Count("tasks", distinct=True),
            n_done=Count("tasks", filter=Q(tasks__status=TaskStatus.DONE), distinct=True),
        )
        .order_by("-start_date", "-pk")
    )


__all__ = [
    "CampaignProgress",
    "EntryCounts",
    "GatePhase",
    "PhaseProgress",
    "alert_recipients",
    "campaign_for_month",
    "campaign_list",
    "campaign_page",
    "campaign_progress",
    "campaign_schools",
    "current_campaigns",
    "entry_counts",
    "gate_table",
    "monthly_due_day",
    "timeline",
]
