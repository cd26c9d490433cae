"""Demo data of this app, loaded by `huxiao.demo.loader` after the district, schools, accounts
and hazards exist. Idempotent: venues are keyed by name, checks by venue and date, traffic
points by school and gate, observations by point and time — a second run creates nothing.

Venues sit at fixed offsets (metres north/east) from the demo schools' coordinates: a 网吧 126 m
from 蒲吕青松中学, a KTV at exactly 180 m, a 旅馆, 出租屋, a 小卖部 selling 三无 snacks to pupils …
Two checks find problems (→ 周边环境 hazards); one gate observation sees a jam and violations
(→ a 交通 hazard for the 交巡警).
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

from django.utils import timezone

from huxiao.lib.geo import METRES_PER_DEGREE_LAT
from huxiao.surroundings import services
from huxiao.surroundings.models import TrafficObservation, TrafficPoint, Venue, VenueCheck

# name, kind, near school, metres north, metres east, address, operator, phone, creator
VENUES = [
    (
        "极速网咖",
        "internet_cafe",
        "蒲吕青松中学",
        120,
        40,
        "青松路26号二楼",
        "刘强",
        "13883451234",
        "pinganban",
    ),
    (
        "金嗓子KTV",
        "entertainment",
        "蒲吕青松中学",
        0,
        180,
        "青松路40号",
        "陈美玲",
        "13996527788",
        "pinganban",
    ),
    ("青松路24号出租屋", "rental", "蒲吕青松中学", 0, -90, "青松路24号", "杨国富", "13709481126", "minjing"),
    ("蒲吕便民旅馆", "hotel", "蒲吕明德小学", -150, 0, "明德街15号", "黄淑芬", "13627093315", "pinganban"),
    ("童趣小卖部", "shop", "蒲吕明德小学", 0, 60, "明德街8号", "周小红", "15823067741", "pinganban"),
    ("欢乐电玩城", "arcade", "蒲吕新华小学", 160, 0, "新华路52号", "吴斌", "13508360092", "pinganban"),
    (
        "育才路烧烤摊",
        "stall",
        "蒲吕育才小学",
        -50,
        10,
        "育才路9号校门对面",
        "马建",
        "18716604589",
        "pinganban",
    ),
    ("向阳文具店", "shop", "蒲吕向阳幼儿园", 40, 40, "向阳路6号", "林芳", "13330257816", "pinganban"),
    (
        "致远大道出租屋",
        "rental",
        "蒲吕致远实验学校",
        100,
        -30,
        "致远大道7号",
        "何军",
        "13996031255",
        "minjing",
    ),
    ("滨河网吧", "internet_cafe", "巴川滨河小学", 80, 0, "滨河路108号", "赵林", "13883309910", "bachuan"),
]

# venue, days ago, inspector, result, findings
CHECKS = [
    (
        "极速网咖",
        12,
        "minjing",
        "problem",
        "接纳未成年人上网：现场发现3名身着青松中学校服的学生上网，未查验身份证，未悬挂未成年人禁入标志。",
    ),
    ("金嗓子KTV", 12, "minjing", "ok", ""),
    ("蒲吕便民旅馆", 9, "minjing", "ok", ""),
    ("童趣小卖部", 6, "jiancha", "problem", "向学生销售无标签散装辣条等“三无”食品，部分食品超过保质期。"),
    ("向阳文具店", 6, "jiancha", "ok", ""),
    ("育才路烧烤摊", 3, "pinganban", "ok", ""),
]

# school, gate, metres north, metres east, facilities
POINTS = [
    ("蒲吕青松中学", "正门（青松路）", -40, 0, ["signs", "speed_bumps", "crossing"]),
    (
        "蒲吕明德小学",
        "正门（明德街）",
        0,
        35,
        ["signs", "signals", "speed_bumps", "crossing", "drop_off", "barrier"],
    ),
    ("蒲吕育才小学", "东门（育才路）", 0, 45, ["signs"]),
]

# school, gate, days ago, hh:mm, congestion, violations count, violations, missing facilities, observer
OBSERVATIONS = [
    ("蒲吕青松中学", "正门（青松路）", 2, "07:35", "congested", 0, "", [], "minjing"),
    ("蒲吕明德小学", "正门（明德街）", 2, "16:50", "clear", 0, "", [], "minjing"),
    (
        "蒲吕育才小学",
        "东门（育才路）",
        1,
        "07:40",
        "severe",
        4,
        "接送车辆在校门两侧违停4辆，占用人行道；学生从车辆间横穿育才路。",
        ["drop_off", "speed_bumps"],
        "minjing",
    ),
]


def _offset(school, north_m: float, east_m: float) -> tuple[Decimal, Decimal]:
    lat = float(school.latitude) + north_m / METRES_PER_DEGREE_LAT
    lng = float(school.longitude) + east_m / (
        METRES_PER_DEGREE_LAT * math.cos(math.radians(float(school.latitude)))
    )
    q = Decimal("0.000001")
    return Decimal(lat).quantize(q), Decimal(lng).quantize(q)


def load(ctx) -> dict[str, int]:
    """Create what is missing; return counts of what exists (for the load_demo summary)."""
    today = timezone.localdate()
    for name, kind, near, north, east, address, operator, phone, creator in VENUES:
        if Venue.objects.filter(name=name).exists():
            continue
        school = ctx.schools[near]
        lat, lng = _offset(school, north, east)
        services.venue_create(
            acting_user=ctx.users[creator],
            kind=kind,
            name=name,
            address=f"{school.address.split('街道')[0]}街道{address}" if school.address else address,
            operator=operator,
            contact_phone=phone,
            latitude=lat,
            longitude=lng,
            region=school.region,
            status="open",
            note="",
        )
    for name, days, inspector, result, findings in CHECKS:
        venue = Venue.objects.get(name=name)
        on = today - dt.timedelta(days=days)
        if VenueCheck.objects.filter(venue=venue, checked_on=on).exists():
            continue
        services.venue_check_record(
            acting_user=ctx.users[inspector], venue=venue, checked_on=on, result=result, findings=findings
        )
    for school_name, gate, north, east, facilities in POINTS:
        school = ctx.schools[school_name]
        if TrafficPoint.objects.filter(school=school, gate=gate).exists():
            continue
        lat, lng = _offset(school, north, east)
        services.traffic_point_create(
            acting_user=ctx.users["pinganban"],
            school=school,
            gate=gate,
            latitude=lat,
            longitude=lng,
            facilities=facilities,
            note="",
        )
    for school_name, gate, days, hhmm, congestion, count, text, missing, observer in OBSERVATIONS:
        point = TrafficPoint.objects.get(school=ctx.schools[school_name], gate=gate)
        hour, minute = (int(x) for x in hhmm.split(":"))
        at = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=days), dt.time(hour, minute)))
        if TrafficObservation.objects.filter(point=point, observed_at=at).exists():
            continue
        services.traffic_observation_record(
            acting_user=ctx.users[observer],
            point=point,
            observed_at=at,
            congestion=congestion,
            violations_count=count,
            violations=text,
            missing_facilities=missing,
        )
    return {
        "surroundings_venues": Venue.objects.count(),
        "surroundings_checks": VenueCheck.objects.count(),
        "surroundings_traffic_points": TrafficPoint.objects.count(),
        "surroundings_traffic_observations": TrafficObservation.objects.count(),
    }
