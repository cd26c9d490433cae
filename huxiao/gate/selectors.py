"""Reads of the gate log for pages, cards and the 统计表: the school's day at the gate (who is in,
who has left, the 接送异常), its month in figures, the counts per school for the 学区 and the
police (never a name), and the 门卫's card on the 工作台."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from huxiao.core.registry import Panel
from huxiao.gate import access
from huxiao.gate.choices import LogKind
from huxiao.gate.models import PickupException, VehicleEntry, VisitorEntry
from huxiao.gate.querysets import counts_scope_q, day_bounds, log_scope_q
from huxiao.lib.masks import mask_id, mask_name
from huxiao.schools.models import School


def month_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of `day`'s month."""
    first = day.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return first, following - dt.timedelta(days=1)


def kept_schools(user) -> QuerySet[School]:
    """The live schools whose gate log the user keeps (one for a 门卫)."""
    return (
        School.objects.filter(log_scope_q(user))
        .filter(is_archived=False)
        .select_related("region")
        .order_by("name")
    )


def counted_schools(user) -> QuerySet[School]:
    """The live schools whose counts the user reads (the 学区's, the 派出所's)."""
    return School.objects.filter(counts_scope_q(user)).filter(is_archived=False).order_by("name")


# --- Masks ----------------------------------------------------------------------------------------


def masked(records: Iterable) -> list:
    """The records with what pages show of their encrypted fields, masked (one decryption each):
    `masked_id` (a visitor's or a collector's 身份证号) and `masked_child` (a child's name)."""
    out = []
    for record in records:
        # page-only attributes, set on the fetched rows (never saved)
        if isinstance(record, VisitorEntry | PickupException):
            setattr(record, "masked_id", mask_id(record.plain("id_number")))  # noqa: B010
        if isinstance(record, PickupException):
            setattr(record, "masked_child", mask_name(record.plain("child_name")))  # noqa: B010
        out.append(record)
    return out


# --- The school's day -----------------------------------------------------------------------------


@dataclass
class Totals:
    visitors: int = 0
    vehicles: int = 0
    screened: int = 0  # visitors and vehicles screened at the gate
    pickups: int = 0


@dataclass
class GateDay:
    """Today at one school's gate: who is still in (oldest open entries included, so a 离校
    forgotten yesterday can still be tapped), who came and left today, the 接送异常."""

    school: School
    inside: list = field(default_factory=list)
    left: list = field(default_factory=list)
    pickups: list = field(default_factory=list)
    today: Totals = field(default_factory=Totals)


def gate_day(user, school: School, today: dt.date | None = None) -> GateDay:
    """Three queries: the visitors, the vehicles and the 接送异常 of the day."""
    today = today or timezone.localdate()
    start, end = day_bounds(today)
    current = Q(entered_at__gte=start, entered_at__lt=end) | Q(left_at__isnull=True, entered_at__lt=end)
    visitors = masked(VisitorEntry.objects.visible_to(user).filter(school=school).filter(current))
    vehicles = list(VehicleEntry.objects.visible_to(user).filter(school=school).filter(current))
    pickups = masked(PickupException.objects.visible_to(user).filter(school=school).on(today))
    entries = sorted([*visitors, *vehicles], key=lambda e: (e.entered_at, e.pk), reverse=True)
    todays = [e for e in entries if e.entered_at >= start]
    return GateDay(
        school=school,
        inside=[e for e in entries if e.left_at is None],
        left=[e for e in entries if e.left_at is not None],
        pickups=pickups,
        today=Totals(
            visitors=sum(1 for e in todays if e.kind == "visitor"),
            vehicles=sum(1 for e in todays if e.kind == "vehicle"),
            screened=sum(1 for e in todays if e.screened),
            pickups=len(pickups),
        ),
    )


def counts_by_school(schools, first: dt.date, last: dt.date) -> dict[int, Totals]:
    """{school_id: Totals} over [first, last] for the schools (a queryset or ids): three grouped
    queries, whatever the number of schools."""
    out: dict[int, Totals] = {}
    for model, key in ((VisitorEntry, "visitors"), (VehicleEntry, "vehicles")):
        rows = (
            model.objects.filter(school__in=schools)
            .between(first, last)
            .values("school_id")
            .annotate(n=Count("pk"), screened=Count("pk", filter=Q(screened=True)))
            .order_by()
        )
        for row in rows:
            totals = out.setdefault(row["school_id"], Totals())
            setattr(totals, key, row["n"])
            totals.screened += row["screened"]
    pickups = (
        PickupException.objects.filter(school__in=schools)
        .between(first, last)
        .values("school_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in pickups:
        out.setdefault(row["school_id"], Totals()).pickups = row["n"]
    return out


def month_totals(user, school: School, day: dt.date) -> Totals:
    """The month of `day` at a school the user keeps (three queries)."""
    if not access.may_log(user, school):
        return Totals()
    first, last = month_bounds(day)
    return counts_by_school([school.pk], first, last).get(school.pk, Totals())


def month_rows(user, school: School, kind: str, day: dt.date) -> QuerySet:
    """The month's entries of one kind at a school the user keeps, newest first."""
    first, last = month_bounds(day)
    model = {LogKind.VEHICLE: VehicleEntry, LogKind.PICKUP: PickupException}.get(kind, VisitorEntry)  # type: ignore[call-overload]
    return (
        model.objects.visible_to(user).filter(school=school).between(first, last).select_related("logged_by")
    )


# --- Counts for the 学区 and the police --------------------------------------------------------------


@dataclass
class SchoolCounts:
    school: School
    today: Totals
    month: Totals


def overview(user, day: dt.date | None = None, today: dt.date | None = None) -> list[SchoolCounts]:
    """Per school the user counts: today's and the month's figures (of `day`'s month) — counts
    only (seven queries: the schools, three for today, three for the month)."""
    today = today or timezone.localdate()
    first, last = month_bounds(day or today)
    schools = list(counted_schools(user))
    ids = [s.pk for s in schools]
    todays = counts_by_school(ids, today, today)
    months = counts_by_school(ids, first, last)
    return [SchoolCounts(s, todays.get(s.pk, Totals()), months.get(s.pk, Totals())) for s in schools]


def summed(rows: list[SchoolCounts]) -> SchoolCounts | None:
    """The total row of the overview."""
    if not rows:
        return None
    total = SchoolCounts(rows[0].school, Totals(), Totals())
    for row in rows:
        for part in ("today", "month"):
            mine, theirs = getattr(total, part), getattr(row, part)
            for key in ("visitors", "vehicles", "screened", "pickups"):
                setattr(mine, key, getattr(mine, key) + getattr(theirs, key))
    return total


# --- The 工作台 ----------------------------------------------------------------------------------


def home_panels(user) -> list[Panel]:
    """The 门卫's way in: a 门卫 holds the gate log alone, and the 工作台 would otherwise be empty
    (a safety lead or a principal finds 门卫登记 in the menu, and their home page stays as it is)."""
    if not access.keeps_log(user) or access.reviews_log(user):
        return []
    start, end = day_bounds(timezone.localdate())
    schools = kept_schools(user)
    visitors = VisitorEntry.objects.filter(school__in=schools)
    counts = visitors.aggregate(
        today=Count("pk", filter=Q(entered_at__gte=start, entered_at__lt=end)),
        inside=Count("pk", filter=Q(left_at__isnull=True)),
    )
    return [
        Panel(
            "门卫登记",
            f"今日登记访客{counts['today']}人次，{counts['inside']}人尚未离校。点此登记访客、车辆和接送异常",
            url=reverse("gate:log"),
            value=str(counts["today"]),
        )
    ]
