"""Demo data of the duty app, loaded by `huxiao.demo.loader` after the district, schools, accounts
and hazards exist. Idempotent: a second run creates nothing.

Posts at every demo school but one (蒲吕大庙村小学 has none yet, so the set-up rate is honestly
below 100 %), 青松中学 with two gates, set up 60 days ago; duty records from then up to
yesterday (so last month's 统计表 has a whole month of them), on school days only, with
realistic gaps: five missed afternoon periods (one of them backfilled by the station, with its
reason; one on the last school day, for the station page's 上一上学日 gaps), one morning without
a guard. History is written straight into
the tables (a check-in through the service is stamped *now*); the backfill, the patrol group,
its patrols and the hazard found on patrol go through the services like a user's would.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from huxiao.core.semesters import school_days
from huxiao.duty import services
from huxiao.duty.models import DutyCheckIn, DutyPost, DutyRecord, PatrolGroup, PatrolLog

SEED = 20261129
NO_POST_YET = "蒲吕大庙村小学"
SECOND_GATE = "蒲吕青松中学"
GROUP = "蒲吕平安守护一组"


def _posts(ctx, start: dt.date) -> list[DutyPost]:
    posts = []
    for name, school in ctx.schools.items():
        if name == NO_POST_YET:
            continue
        gates = ["正门", "南门"] if name == SECOND_GATE else ["正门"]
        for i, gate in enumerate(gates):
            post = DutyPost.objects.filter(school=school, name=gate).first()
            if post is None:
                lat = school.latitude + Decimal("0.000300") * (i + 1) if school.latitude is not None else None
                lng = school.longitude - Decimal("0.000200") * i if school.longitude is not None else None
                post = services.post_create(
                    acting_user=None, school=school, name=gate, active_from=start, latitude=lat, longitude=lng
                )
            posts.append(post)
    return posts


def _runs(period, day: dt.date) -> bool:
    return day.weekday() >= 5 or period.runs_on_weekday(day.weekday())


def _history(ctx, posts: list[DutyPost], days: list[dt.date], rng: random.Random) -> int:
    """A month of records with gaps; returns how many records it wrote (0 when already there)."""
    if DutyRecord.objects.filter(post__in=posts).exists():
        return 0
    minjing, bachuan = ctx.users["minjing"], ctx.users["bachuan"]
    slots = [
        (post, period, day)
        for post in posts
        for period in post.periods.all()
        for day in days
        if _runs(period, day)
    ]
    afternoons = [s for s in slots if s[1].kind == "afternoon" and s[0].school.name.startswith("蒲吕")]
    missed = set(rng.sample(afternoons, 4))
    # and one on the last school day, never backfilled: the station page shows it as a gap
    last = [s for s in afternoons if s[2] == days[-1] and s not in missed]
    if last:
        missed.add(sorted(last, key=lambda s: s[0].pk)[0])
    mornings = [s for s in slots if s[1].kind == "morning" and s[0].school.name.startswith("蒲吕")]
    short = rng.choice([s for s in mornings if s not in missed])
    tz = timezone.get_current_timezone()
    records, checkins = [], []
    for post, period, day in slots:
        if (post, period, day) in missed:
            continue
        police = rng.choice([0, 1, 1, 1, 2]) if period.kind != "noon" else rng.choice([0, 1])
        counts = {
            "police": police,
            "aux_police": rng.choice([1, 1, 2]) if police == 0 else rng.choice([0, 1, 1, 2]),
            "guards": 0 if (post, period, day) == short else rng.choice([1, 2, 2, 3]),
            "teachers": rng.choice([1, 2, 2, 3]) if period.kind != "noon" else rng.choice([0, 1]),
            "volunteers": rng.choice([0, 2, 3, 4]) if period.kind != "noon" else 0,
            "cars": 1 if police and period.kind != "noon" else 0,
        }
        notes = "秩序良好，学生有序进出。" if rng.random() < 0.8 else "家长车辆临时停靠较多，已疏导。"
        by = minjing if post.police_station.name == "蒲吕派出所" else bachuan
        records.append(DutyRecord(post=post, period=period, date=day, created_by=by, notes=notes, **counts))
    DutyRecord.objects.bulk_create(records)
    # 赵警官 (minjing) checks in by phone at 青松中学正门 in the mornings he stood there.
    gate = next(p for p in posts if p.school.name == SECOND_GATE and p.name == "正门")
    for record in DutyRecord.objects.filter(post=gate, period__kind="morning", police__gte=1).select_related(
        "period"
    ):
        start = dt.datetime.combine(record.date, record.period.start, tzinfo=tz)
        arrived = start - dt.timedelta(minutes=rng.randint(3, 12))
        checkins.append(
            DutyCheckIn(
                record=record,
                user=minjing,
                organisation=gate.police_station,
                is_police=True,
                checked_in_at=arrived,
                in_latitude=gate.latitude,
                in_longitude=gate.longitude,
                in_accuracy=rng.randint(8, 30),
                checked_out_at=dt.datetime.combine(record.date, record.period.end, tzinfo=tz)
                + dt.timedelta(minutes=rng.randint(0, 8)),
                out_latitude=gate.latitude,
                out_longitude=gate.longitude,
                out_accuracy=rng.randint(8, 30),
            )
        )
    DutyCheckIn.objects.bulk_create(checkins)
    # The station backfills one of the missed afternoons, with its reason.
    post, period, day = sorted(missed, key=lambda s: (s[2], s[0].pk))[0]
    services.duty_backfill(
        acting_user=minjing,
        post=post,
        period=period,
        date=day,
        reason="当日执勤民警手机故障未能扫码签到，据执勤记录本补录",
        notes="执勤记录本登记：秩序良好。",
        police=1,
        aux_police=1,
        guards=2,
        teachers=2,
    )
    return len(records) + 1


def _patrols(ctx, days: list[dt.date], rng: random.Random) -> None:
    if PatrolGroup.objects.filter(name=GROUP).exists():
        return
    minjing = ctx.users["minjing"]
    station = ctx.orgs["蒲吕派出所"]
    group = services.patrol_group_create(
        acting_user=minjing,
        name=GROUP,
        station=station,
        members=[minjing],
        guards=4,
        parents=6,
        teachers=3,
        volunteers=5,
    )
    pulv = [s for n, s in ctx.schools.items() if n.startswith("蒲吕") and s.police_station_id == station.pk]
    tz = timezone.get_current_timezone()
    routes = ["青松路—明德街—新街沿线", "育才路—向阳路—阳光小区", "致远大道—工业园路", "石龙村—大庙村村道"]
    found = None
    for i, day in enumerate(days[-20::3]):
        start = dt.datetime.combine(day, dt.time(16, 40), tzinfo=tz)
        findings = ""
        if i == 2:
            findings = "青松中学南门外流动摊贩占用人行道，放学时段学生被迫绕行机动车道。"
        log = services.patrol_log_create(
            acting_user=minjing,
            group=group,
            started_at=start,
            ended_at=start + dt.timedelta(minutes=rng.randint(50, 90)),
            route=routes[i % len(routes)],
            schools=rng.sample(pulv, 3)
            if i != 2
            else [ctx.schools["蒲吕青松中学"], ctx.schools["蒲吕明德小学"]],
            participants=rng.randint(5, 12),
            findings=findings,
        )
        if findings:
            found = log
    if found is not None:
        services.patrol_finding_to_hazard(
            acting_user=minjing,
            log=found,
            school=ctx.schools["蒲吕青松中学"],
            title="南门外流动摊贩占道",
            category="surroundings",
            severity="general",
            description=found.findings,
        )


def load(ctx) -> dict[str, int]:
    """Create what is missing; return counts of what exists (for the load_demo summary)."""
    today = timezone.localdate()
    rng = random.Random(SEED)
    set_up = today - dt.timedelta(days=60)
    days = school_days(set_up, today - dt.timedelta(days=1))
    posts = _posts(ctx, set_up)
    _history(ctx, posts, days, rng)
    _patrols(ctx, days, rng)
    return {
        "duty_posts": DutyPost.objects.count(),
        "duty_records": DutyRecord.objects.count(),
        "patrol_logs": PatrolLog.objects.count(),
    }
