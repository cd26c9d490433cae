"""Reads of the duty app for pages, the map and dashboards — always taking `user`, scoped, and
aggregating in SQL (`coverage.py`).

Contract for other apps:
* `posts_for_map(user)` → list of dicts {id, name, school, school_id, lat, lng, approximate, url}
  for the active posts the user may see (coordinates of the school when the post has none:
  `approximate` is then True; posts with neither are left out).
* `coverage_summary(user, start, end)` → `coverage.Tally` over the user's schools (setup_rate,
  staffing_rate, required, staffed, backfilled, times).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils import timezone

from huxiao.accounts.roles import Cap
from huxiao.accounts.scope import scope_of
from huxiao.core.choices import OrgKind
from huxiao.core.models import Organisation, Region
from huxiao.core.semesters import is_school_day
from huxiao.duty import coverage, staffing
from huxiao.duty.models import DutyPeriod, DutyPost, DutyRecord
from huxiao.schools.models import School


def posts_for_map(user) -> list[dict]:
    posts = (
        DutyPost.objects.visible_to(user)
        .active()
        .select_related("school")
        .only("pk", "name", "latitude", "longitude", "school__name", "school__latitude", "school__longitude")
    )
    out = []
    for post in posts:
        lat, lng = post.latitude, post.longitude
        approximate = lat is None or lng is None
        if approximate:
            lat, lng = post.school.latitude, post.school.longitude
        if lat is None or lng is None:
            continue
        out.append(
            {
                "id": post.pk,
                "name": post.name,
                "school": post.school.name,
                "school_id": post.school_id,
                "lat": float(lat),
                "lng": float(lng),
                "approximate": approximate,
                "url": reverse("duty:post-detail", args=[post.pk]),
            }
        )
    return out


def coverage_summary(user, start: dt.date, end: dt.date) -> coverage.Tally:
    return coverage.totals(School.objects.visible_to(user), start, end)


# --- The station page ---------------------------------------------------------------------------


@dataclass
class Slot:
    """One period of one post on one day, with what happened."""

    post: DutyPost
    period: DutyPeriod
    record: DutyRecord | None
    state: str  # staffed, short, missing, upcoming
    running: bool = False
    shortfall: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return {
            "staffed": "已到岗",
            "short": "力量不足",
            "missing": "缺岗" if not self.running else "未到岗",
            "upcoming": "未开始",
        }[self.state]

    @property
    def is_gap(self) -> bool:
        return self.state in ("short", "missing")


def last_school_day(before: dt.date) -> dt.date | None:
    day = before - dt.timedelta(days=1)
    for _ in range(120):
        if is_school_day(day):
            return day
        day -= dt.timedelta(days=1)
    return None


def _runs(period: DutyPeriod, day: dt.date) -> bool:
    return coverage.Calendar.is_make_up(day) or period.runs_on_weekday(day.weekday())


def slots_on(
    posts: list[DutyPost], day: dt.date, records: dict, minimums: dict, now: dt.datetime
) -> list[Slot]:
    """Every (post, period) that runs on `day`, with its state at `now` (local time)."""
    out = []
    for post in posts:
        if post.active_from > day:
            continue
        for period in post.periods.all():
            if not period.is_active or not _runs(period, day):
                continue
            record = records.get((post.pk, period.pk))
            mins = minimums[post.pk]
            started = day < now.date() or (day == now.date() and now.time() >= period.start)
            ended = day < now.date() or (day == now.date() and now.time() > period.end)
            ok = record is not None and staffing.meets(record, mins)
            if ok:
                state = "staffed"
            elif not started:
                state = "upcoming"
            else:
                state = "short" if record is not None else "missing"
            out.append(
                Slot(
                    post,
                    period,
                    record,
                    state,
                    running=started and not ended,
                    shortfall=staffing.shortfall(record, mins) if record is not None and not ok else [],
                )
            )
    return out


@dataclass
class StationPage:
    stations: list[Organisation]
    today: dt.date
    today_is_school_day: bool
    today_slots: list[Slot]
    yesterday: dt.date | None
    yesterday_slots: list[Slot]
    month: coverage.Tally
    month_start: dt.date
    month_end: dt.date | None
    posts: int

    @property
    def today_gaps(self) -> int:
        return sum(1 for s in self.today_slots if s.is_gap)

    @property
    def yesterday_gaps(self) -> list[Slot]:
        return [s for s in self.yesterday_slots if s.is_gap]

    @property
    def yesterday_staffed(self) -> int:
        return sum(1 for s in self.yesterday_slots if s.state == "staffed")


def station_page(user) -> StationPage:
    """Today's coverage (state of each period now), the last school day's gaps and the month's
    rates for the posts the user logs duty at (a station: its schools; a school: itself)."""
    now = timezone.localtime()
    today = now.date()
    posts = list(
        DutyPost.objects.visible_to(user, Cap.DUTY_LOG)
        .active()
        .select_related("school__region")
        .prefetch_related(Prefetch("periods", queryset=DutyPeriod.objects.order_by("start")))
        .order_by("school__name", "name")
    )
    minimums = staffing.resolve_many(posts)
    yesterday = last_school_day(today)
    days = [today] + ([yesterday] if yesterday else [])
    records: dict[dt.date, dict] = {d: {} for d in days}
    rows = (
        DutyRecord.objects.filter(post__in=[p.pk for p in posts], date__in=days)
        .annotate(named=Count("checkins"))
        .order_by()
    )
    for record in rows:
        records[record.date][(record.post_id, record.period_id)] = record
    school_today = is_school_day(today)
    station_ids = scope_of(user).org_ids(Cap.DUTY_LOG, kind=OrgKind.POLICE_STATION)
    month_start = today.replace(day=1)
    month_end = today - dt.timedelta(days=1) if today.day > 1 else None
    schools = School.objects.visible_to(user, Cap.DUTY_LOG)
    month = coverage.totals(schools, month_start, month_end) if month_end else coverage.Tally()
    return StationPage(
        stations=list(Organisation.objects.filter(pk__in=station_ids)) if station_ids else [],
        today=today,
        today_is_school_day=school_today,
        today_slots=slots_on(posts, today, records[today], minimums, now) if school_today else [],
        yesterday=yesterday,
        yesterday_slots=slots_on(posts, yesterday, records[yesterday], minimums, now) if yesterday else [],
        month=month,
        month_start=month_start,
        month_end=month_end,
        posts=len(posts),
    )


# --- The coverage page per region ---------------------------------------------------------------


@dataclass
class Row:
    label: str
    tally: coverage.Tally
    url: str = ""


@dataclass
class CoveragePage:
    region: Region | None
    parents: list[tuple[Region, bool]]  # (region, the user may open it)
    total: coverage.Tally
    by_region: list[Row]
    by_station: list[Row]
    by_school: list[Row]
    too_many_schools: bool


MAX_SCHOOL_ROWS = 300


def top_region(user) -> Region | None:
    """The widest region of the user's jurisdiction (None for units without regions, e.g. a station)."""
    paths = sorted(scope_of(user).paths(Cap.SCHOOL_VIEW), key=len)
    return Region.objects.filter(path=paths[0]).first() if paths else None


def coverage_region(user, pk: int | None) -> Region | None:
    """Region `pk` if it lies inside the user's jurisdiction (else None: the view's 404)."""
    region = Region.objects.filter(pk=pk).first() if pk is not None else None
    return region if region is not None and scope_of(user).covers(region.path, Cap.SCHOOL_VIEW) else None


def coverage_page(user, region: Region | None, start: dt.date, end: dt.date, link) -> CoveragePage:
    """Rates of the user's schools (inside `region` when given) — totals, and rolled up by child
    region, by police station and by school. `link(region)` builds a drill-down URL."""
    schools = School.objects.visible_to(user).active()
    if region is not None:
        schools = schools.filter(region__path__startswith=region.path)
    info = list(schools.values("pk", "name", "region__path", "police_station_id", "police_station__name"))
    per_school = coverage.by_school(schools, start, end)
    total = coverage.Tally()
    for tally in per_school.values():
        total.add(tally)
    children = list(region.children.filter(is_archived=False).order_by("path")) if region else []
    child_of = {}
    for row in info:
        for child in children:
            if row["region__path"].startswith(child.path):
                child_of[row["pk"]] = child.pk
    regional = coverage.roll_up(per_school, child_of)
    by_region = [Row(c.name, regional[c.pk], link(c)) for c in children if c.pk in regional]
    stations = coverage.roll_up(
        per_school, {r["pk"]: r["police_station__name"] or "（未登记派出所）" for r in info}
    )
    by_station = [
        Row(str(name), tally) for name, tally in sorted(stations.items(), key=lambda kv: str(kv[0]))
    ]
    too_many = len(info) > MAX_SCHOOL_ROWS
    by_school = [] if too_many else [
        Row(r["name"], per_school[r["pk"]], reverse("duty:post-list") + f"?school={r['pk']}")
        for r in sorted(info, key=lambda r: r["name"])
    ]  # fmt: skip
    parents = []
    if region is not None:
        # the regions above, each linked only where the user may open it (a 街道 officer sees
        # 重庆市 › 铜梁区 as names: their pages would be a 404)
        codes = [c for c in region.path.split("/") if c]
        scope = scope_of(user)
        parents = [
            (r, scope.covers(r.path, Cap.SCHOOL_VIEW))
            for r in Region.objects.filter(code__in=codes[:-1]).order_by("path")
        ]
    return CoveragePage(region, parents, total, by_region, by_station, by_school, too_many)


# --- A post's page ------------------------------------------------------------------------------


def post_records(post: DutyPost, since: dt.date) -> list[DutyRecord]:
    return list(
        DutyRecord.objects.filter(post=post, date__gte=since)
        .select_related("period", "created_by")
        .prefetch_related("checkins__user")
        .order_by("-date", "period__start")
    )


def post_list(user, school_id: int | None = None):
    posts = (
        DutyPost.objects.visible_to(user)
        .select_related("school", "police_station")
        .annotate(n_periods=Count("periods", filter=Q(periods__is_active=True)))
    )
    if school_id:
        posts = posts.filter(school_id=school_id)
    return posts.order_by("school__name", "name")


def schools_without_post(user):
    """Active schools the user may set posts up at that have no active post (the 未设 list)."""
    return (
        School.objects.visible_to(user, Cap.DUTY_MANAGE)
        .active()
        .exclude(duty_posts__is_active=True)
        .order_by("name")
    )
