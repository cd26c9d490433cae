# mypy: disable-error-code="index,misc,arg-type,type-var"
# (ids of nullable foreign keys are known to be set on the rows this module itself just created)
"""A synthetic province for the benchmarks: regions, units, schools, people and two years of work.

The shape follows the demo district scaled up (DESIGN §8: ≈12,000 schools on one server):
province → ~40 districts (区县) → ~10 subdistricts (街道/镇) each → 5 villages (社区/村) each;
per district 教委, 公安分局 and 政法委; per subdistrict 街道办事处, 平安办, 派出所 and
学区管理中心; the schools spread over the villages with the type and size mix of a real county,
each with its own unit, a safety lead's account and (for nine in ten) a 三防 profile; and
hazards in proportion (`hazards_per_school`, default 9 a school-size-weighted mean, ≈8 over two years) with the states,
severities, categories, deadlines, overdue 督办 rungs, rectification notices and timeline events
that the hazard loop would have produced.

Rows are written with `bulk_create` per district (one transaction each), bypassing the services
where they work one row at a time (audit chain, notifications, photos) — but every row satisfies
the models' constraints and the invariants the pages rely on (Region.path, gapless notice
numbers per issuer and year, one escalation row per rung, overdue derived from the deadline).
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import transaction

from huxiao.accounts.models import Membership, User
from huxiao.core.calendar import add_working_days, working_days_between
from huxiao.core.models import Organisation, Region
from huxiao.hazards.choices import LIVE_STATES
from huxiao.hazards.models import (
    DocumentCounter,
    Hazard,
    HazardEscalation,
    HazardEvent,
    RectificationNotice,
)
from huxiao.schools.models import School, SecurityProfile

TZ = ZoneInfo("Asia/Shanghai")
BENCH_PASSWORD = "Bench@2026"  # every generated account; the benchmark logs in with force_login
PROVINCE_CODE = "990000"  # not a real province: codes are marked code_official=False
BATCH = 2000

# Two-character place names, combined without repeats.
_FIRST = "青松安平永川河山江宁丰和兴华东西南北新长石龙白云金玉清溪泉桥梅竹桂柳"
_SECOND = "阳城林坪坝口湾塘岭溪州源湖岗田庄桥峰滩洲台寨"
_CN_DIGITS = "〇一二三四五六七八九"

# (type, share, students range, staff per 100 students, boarding probability, private probability)
SCHOOL_MIX = [
    ("kindergarten", 0.36, (40, 420), 12, 0.0, 0.50),
    ("primary", 0.42, (120, 2600), 6, 0.10, 0.06),
    ("junior", 0.10, (300, 2400), 8, 0.35, 0.08),
    ("nine_year", 0.04, (300, 2000), 8, 0.30, 0.10),
    ("senior", 0.04, (800, 4200), 9, 0.75, 0.12),
    ("complete", 0.01, (800, 3000), 9, 0.60, 0.10),
    ("vocational", 0.02, (500, 3500), 8, 0.60, 0.30),
    ("special", 0.01, (40, 300), 30, 0.40, 0.0),
]
SCHOOL_SUFFIX = {
    "kindergarten": "幼儿园",
    "primary": "小学",
    "junior": "中学",
    "nine_year": "实验学校",
    "senior": "高级中学",
    "complete": "完全中学",
    "vocational": "职业中学",
    "special": "特殊教育学校",
}

# category → (share, typical titles with their location)
HAZARD_TITLES = {
    "fire": (
        0.20,
        [
            ("灭火器压力不足未及时更换", "教学楼各楼层"),
            ("疏散通道堆放杂物", "宿舍楼一层"),
            ("应急照明灯损坏", "教学楼楼梯间"),
            ("消防栓水带老化缺失", "食堂"),
            ("安全出口指示标志不亮", "报告厅"),
        ],
    ),
    "physical": (
        0.15,
        [
            ("围墙高度不足且无防攀爬设施", "学校东侧围墙"),
            ("校门口未设置硬质防冲撞设施", "校门口"),
            ("围栏破损存在缺口", "操场北侧"),
        ],
    ),
    "technical": (
        0.14,
        [
            ("视频监控存储不足90天", "监控室"),
            ("一键报警装置未与公安联网", "门卫室"),
            ("校门外视频监控损坏", "校门外"),
            ("周界入侵报警失灵", "学校西侧围墙"),
        ],
    ),
    "personnel": (
        0.08,
        [("专职保安员配备不足", "校门"), ("保安员防护装备不全", "门卫室"), ("夜间值守无人", "宿舍区")],
    ),
    "procedure": (
        0.10,
        [
            ("外来人员登记不规范", "门卫室"),
            ("学生接送交接制度未落实", "校门口"),
            ("本学期未开展疏散演练", "全校"),
        ],
    ),
    "building": (0.08, [("教室墙面开裂", "2号教学楼"), ("楼梯扶手松动", "综合楼楼梯")]),
    "food": (0.06, [("食堂留样记录不全", "食堂"), ("食品原料索证索票不全", "食堂库房")]),
    "utilities": (0.06, [("配电箱未上锁", "教学楼一层"), ("燃气管道老化", "食堂操作间")]),
    "traffic": (0.05, [("校门口缺少减速带和警示标志", "校门外道路"), ("接送车辆乱停乱放", "校门外")]),
    "surroundings": (0.04, [("校门口流动摊贩占道经营", "校门外"), ("周边网吧接纳未成年人", "学校周边")]),
    "epidemic": (0.02, [("晨午检记录不全", "医务室")]),
    "hazmat": (0.01, [("实验室危化品未双人双锁", "化学实验室")]),
    "other": (0.01, [("体育器材老化", "操场")]),
}
SEVERITY_MIX = [("general", 0.85), ("larger", 0.12), ("major", 0.03)]
DEADLINE_DAYS = {"general": 7, "larger": 15, "major": 30}  # the platform's default policy
POLICE_SOURCES = ("spot", "verify", "joint", "supervision")
SOURCE_MIX = [
    ("self", 0.45),
    ("spot", 0.20),
    ("verify", 0.08),
    ("joint", 0.10),
    ("supervision", 0.05),
    ("standard", 0.08),
    ("public", 0.04),
]


@dataclass
class Sizes:
    districts: int
    subdistricts: int  # per district
    villages: int  # per subdistrict

    @classmethod
    def for_schools(cls, schools: int) -> Sizes:
        districts = max(1, min(40, round(schools / 300)))
        subdistricts = max(1, min(10, round(schools / districts / 30)))
        return cls(districts, subdistricts, 5)


@dataclass
class Report:
    """What was generated (rows per table), for the progress line and docs/performance.md."""

    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    seconds: float = 0.0

    def add(self, name: str, n: int) -> None:
        self.counts[name] += n


@contextmanager
def explicit_timestamps(*models) -> Iterator[None]:
    """Let bulk_create keep the timestamps we set (auto_now/auto_now_add would stamp "now")."""
    saved = []
    for model in models:
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                saved.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, now, now_add in saved:
            f.auto_now, f.auto_now_add = now, now_add


def _names(n: int, suffix: str, rng: random.Random) -> list[str]:
    pairs = [a + b for a in _FIRST for b in _SECOND]
    rng.shuffle(pairs)
    return [p + suffix for p in pairs[:n]]


def _cn_number(k: int) -> str:
    if k < 10:
        return _CN_DIGITS[k]
    tens, ones = divmod(k, 10)
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")


def _pick(rng: random.Random, mix):
    r, acc = rng.random(), 0.0
    for item in mix:
        acc += item[1]
        if r < acc:
            return item
    return mix[-1]


@lru_cache(maxsize=8192)
def _deadline(found_on: dt.date, severity: str) -> dt.date:
    return add_working_days(found_on, DEADLINE_DAYS[severity])


@lru_cache(maxsize=8192)
def _overdue_working_days(deadline: dt.date, today: dt.date) -> int:
    return working_days_between(deadline, today)


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


class Generator:
    def __init__(
        self,
        schools: int = 12000,
        *,
        hazards_per_school: float = 9.0,
        seed: int = 20261129,
        today: dt.date | None = None,
        progress: Callable[[str], None] = print,
    ):
        self.n_schools = schools
        self.rate = hazards_per_school
        self.rng = random.Random(seed)
        self.today = today or dt.date(2026, 11, 29)
        self.say = progress
        self.sizes = Sizes.for_schools(schools)
        self.report = Report()
        self.password = make_password(BENCH_PASSWORD)
        self.user_seq = 0

    # --- the tree and the units ------------------------------------------------------------------

    def run(self) -> Report:
        started = time.monotonic()
        with explicit_timestamps(Hazard, HazardEvent, RectificationNotice, HazardEscalation, SecurityProfile):
            with transaction.atomic():
                self._tree()
            per_district = self._spread_schools()
            for di, district in enumerate(self.districts):
                with transaction.atomic():
                    self._district(di, district, per_district[di])
                self.say(
                    f"  区县 {di + 1}/{len(self.districts)} {district.name}: "
                    f"学校 {self.report.counts['schools']}, 隐患 {self.report.counts['hazards']} "
                    f"({time.monotonic() - started:.0f} s)"
                )
            for step in extra_steps():  # each step commits per district
                step(self)
        self.report.seconds = time.monotonic() - started
        return self.report

    def _user(self, username: str, full_name: str) -> User:
        self.user_seq += 1
        return User(
            username=username,
            full_name=full_name,
            password=self.password,
            phone=f"139{self.user_seq:08d}",
        )

    def _tree(self) -> None:
        rng, s = self.rng, self.sizes
        province = Region.objects.create(
            code=PROVINCE_CODE,
            name="示范省",
            level="province",
            path=f"{PROVINCE_CODE}/",
            code_official=False,
        )
        district_names = _names(s.districts, "区", rng)
        self.districts: list[Region] = Region.objects.bulk_create(
            [
                Region(
                    code=f"99{di + 1:04d}",
                    name=name,
                    level="county",
                    parent=province,
                    path=f"{province.path}99{di + 1:04d}/",
                    code_official=False,
                )
                for di, name in enumerate(district_names)
            ]
        )
        subs = []
        for d in self.districts:
            for si, name in enumerate(_names(s.subdistricts, "", rng)):
                code = f"{d.code}{si + 1:03d}"
                kind = "街道" if si % 3 else "镇"
                subs.append(
                    Region(
                        code=code,
                        name=name + kind,
                        level="township",
                        parent=d,
                        path=f"{d.path}{code}/",
                        code_official=False,
                    )
                )
        self.subdistricts: list[Region] = Region.objects.bulk_create(subs, batch_size=BATCH)
        villages = []
        for sub in self.subdistricts:
            for vi, name in enumerate(_names(s.villages, "", rng)):
                code = f"{sub.code}{vi + 1:03d}"
                kind = "社区" if vi < 2 else "村"
                villages.append(
                    Region(
                        code=code,
                        name=name + kind,
                        level="village",
                        parent=sub,
                        path=f"{sub.path}{code}/",
                        code_official=False,
                    )
                )
        self.villages: list[Region] = Region.objects.bulk_create(villages, batch_size=BATCH)
        self.villages_of: dict[int, list[Region]] = defaultdict(list)
        for v in self.villages:
            self.villages_of[v.parent_id].append(v)
        self.subs_of: dict[int, list[Region]] = defaultdict(list)
        for sub in self.subdistricts:
            self.subs_of[sub.parent_id].append(sub)
        self.report.add("regions", 1 + len(self.districts) + len(self.subdistricts) + len(self.villages))

        # Units: (org, jurisdiction regions, role of its one account, username)
        units: list[tuple[Organisation, list[Region], str, str]] = [
            (Organisation(name="示范省教育厅", short_name="示教", kind="education_bureau", region=province),
             [province], "leader", "prov-edu"),
            (Organisation(name="示范省委政法委", short_name="示政法", kind="political_legal", region=province),
             [province], "observer", "prov-zf"),
        ]  # fmt: skip
        for di, d in enumerate(self.districts):
            tag = f"d{di + 1:02d}"
            short = d.name[:2]
            units += [
                (Organisation(name=f"{d.name}教育委员会", short_name=f"{short}教委", kind="education_bureau",
                              region=d), [d], "leader", f"{tag}-edu"),
                (Organisation(name=f"{d.name}公安分局", short_name=f"{short}公", kind="public_security_bureau",
                              region=d), [d], "observer", f"{tag}-psb"),
                (Organisation(name=f"{d.name}委政法委", short_name=f"{short}政法", kind="political_legal",
                              region=d), [d], "observer", f"{tag}-zf"),
            ]  # fmt: skip
            for si, sub in enumerate(self.subs_of[d.pk]):
                stag = f"{tag}s{si + 1:02d}"
                s2 = sub.name[:2]
                units += [
                    (Organisation(name=f"{d.name}{sub.name}平安办", short_name=f"{s2}平安", kind="safety_office",
                                  region=sub), [sub], "coordinator", f"{stag}-pab"),
                    (Organisation(name=f"{d.name}{s2}派出所", short_name=f"{s2}派", kind="police_station",
                                  region=sub), [], "police", f"{stag}-police"),
                    (Organisation(name=f"{d.name}{s2}学区管理中心", short_name=f"{s2}学区",
                                  kind="school_district", region=sub), [], "coordinator", f"{stag}-xq"),
                ]  # fmt: skip
        orgs = Organisation.objects.bulk_create([u[0] for u in units], batch_size=BATCH)
        through = Organisation.jurisdiction_regions.through
        through.objects.bulk_create(
            [
                through(organisation_id=org.pk, region_id=r.pk)
                for org, (_, regions, _, _) in zip(orgs, units, strict=True)
                for r in regions
            ],
            batch_size=BATCH,
        )
        users = User.objects.bulk_create(
            [
                self._user(username, f"{org.short_name}工作人员")
                for org, (_, _, _, username) in zip(orgs, units, strict=True)
            ],
            batch_size=BATCH,
        )
        Membership.objects.bulk_create(
            [
                Membership(user=u, organisation=org, role=role, title="工作人员")
                for u, org, (_, _, role, _) in zip(users, orgs, units, strict=True)
            ],
            batch_size=BATCH,
        )
        self.report.add("organisations", len(orgs))
        self.report.add("users", len(users))
        # Per subdistrict: its police station, 学区, 平安办 and their accounts.
        self.police: dict[int, tuple[Organisation, User]] = {}
        self.xq: dict[int, tuple[Organisation, User]] = {}
        self.pab: dict[int, tuple[Organisation, User]] = {}
        for org, user in zip(orgs, users, strict=True):
            target = {
                "police_station": self.police,
                "school_district": self.xq,
                "safety_office": self.pab,
            }.get(org.kind)
            if target is not None:
                target[org.region_id] = (org, user)

    # --- schools, people, hazards, per district ------------------------------------------------

    def _spread_schools(self) -> list[int]:
        """Schools per district: uneven (urban districts have more), summing to n_schools."""
        weights = [self.rng.uniform(0.6, 1.4) for _ in self.districts]
        total = sum(weights)
        counts = [int(self.n_schools * w / total) for w in weights]
        for i in range(self.n_schools - sum(counts)):
            counts[i % len(counts)] += 1
        return counts

    def _district(self, di: int, district: Region, n: int) -> None:
        rng = self.rng
        subs = self.subs_of[district.pk]
        specs = []
        per_sub_count: dict[int, int] = defaultdict(int)
        for k in range(n):
            sub = subs[k % len(subs)]
            village = rng.choice(self.villages_of[sub.pk])
            kind, _, (lo, hi), staff_rate, p_boarding, p_private = _pick(rng, SCHOOL_MIX)
            per_sub_count[sub.pk] += 1
            number = per_sub_count[sub.pk]
            students = rng.randint(lo, hi)
            boarding = rng.random() < p_boarding
            name = f"{district.name}{sub.name}{_cn_number(number) if number < 100 else number}{SCHOOL_SUFFIX[kind]}"
            specs.append((sub, village, kind, students, staff_rate, boarding, p_private, name))
        own_orgs = Organisation.objects.bulk_create(
            [
                Organisation(
                    name=name,
                    short_name=name[-6:],
                    kind="kindergarten" if kind == "kindergarten" else "school",
                    region=village,
                    parent=self.xq[sub.pk][0],
                )
                for sub, village, kind, *_, name in specs
            ],
            batch_size=BATCH,
        )
        schools = []
        for (sub, village, kind, students, staff_rate, boarding, p_private, name), org in zip(
            specs, own_orgs, strict=True
        ):
            self.report.counts["school_seq"] += 1
            seq = self.report.counts["school_seq"]
            schools.append(
                School(
                    name=name,
                    code=f"39{seq:08d}",
                    school_type=kind,
                    ownership="private" if rng.random() < p_private else "public",
                    is_boarding=boarding,
                    students=students,
                    boarders=int(students * rng.uniform(0.3, 0.9)) if boarding else 0,
                    staff=max(5, students * staff_rate // 100),
                    principal_name="校长" + name[-4:-2],
                    principal_phone=f"138{seq:08d}",
                    safety_lead_name="安全负责人",
                    safety_lead_phone=f"137{seq:08d}",
                    address=f"{district.name}{sub.name}{village.name}{rng.randint(1, 300)}号",
                    latitude=Decimal("29.8") + Decimal(rng.randint(0, 99999)) / 100000,
                    longitude=Decimal("106.0") + Decimal(rng.randint(0, 99999)) / 100000,
                    region=village,
                    police_station=self.police[sub.pk][0],
                    school_district=self.xq[sub.pk][0],
                    organisation=org,
                )
            )
        schools = School.objects.bulk_create(schools, batch_size=BATCH)
        leads = User.objects.bulk_create(
            [self._user(f"school-{s.code}", f"{s.name[-8:]}安全负责人") for s in schools], batch_size=BATCH
        )
        Membership.objects.bulk_create(
            [
                Membership(
                    user=u, organisation_id=s.organisation_id, role="safety_lead", title="分管安全副校长"
                )
                for u, s in zip(leads, schools, strict=True)
            ],
            batch_size=BATCH,
        )
        self.report.add("schools", len(schools))
        self.report.add("organisations", len(own_orgs))
        self.report.add("users", len(leads))
        self._profiles(schools, leads)
        self._hazards(schools, leads, subs)

    def _profiles(self, schools: list[School], leads: list[User]) -> None:
        rng, profiles = self.rng, []
        for s, lead in zip(schools, leads, strict=True):
            if rng.random() < 0.10:  # one in ten has not filed yet
                continue
            guards = max(1, (s.students + s.staff) // 1000 + rng.choice((0, 0, 1, -1)))
            profiles.append(
                SecurityProfile(
                    school=s,
                    version=1,
                    created_at=_at(self.today - dt.timedelta(days=rng.randint(30, 700)), 10),
                    created_by=lead,
                    change_note="首次填报",
                    fulltime_guards=guards,
                    licensed_guards=max(0, guards - rng.choice((0, 0, 0, 1))),
                    guard_equipment=["helmet", "stab_vest", "restraint_fork", "rubber_baton"][
                        : rng.randint(2, 4)
                    ],
                    gatehouse_staffed_hours=rng.choice((24, 24, 24, 16, 12)),
                    night_guards=1 if s.is_boarding else None,
                    closed_management=rng.random() < 0.95,
                    perimeter_barrier=rng.choice(("wall", "fence", "mixed")),
                    perimeter_height_m=Decimal(rng.choice(("1.80", "2.00", "2.20", "2.50"))),
                    anti_climb=rng.random() < 0.7,
                    gate_anti_ram=["bollard_block"] if rng.random() < 0.8 else [],
                    ped_vehicle_separated=rng.random() < 0.6,
                    camera_coverage={"gate_outside": True, "gatehouse": True, "activity": rng.random() < 0.8},
                    cctv_retention_days=rng.choice((30, 60, 90, 90, 90)),
                    cctv_linked_to_police=rng.random() < 0.75,
                    one_key_alarm=rng.random() < 0.9,
                    alarm_linked_to_police=rng.random() < 0.8,
                    intrusion_alarm=rng.random() < 0.5,
                    visitor_register=True,
                    visitor_id_check=rng.random() < 0.9,
                    pickup_handover=rng.random() < 0.9,
                    drills_per_semester=rng.choice((1, 2, 2, 3)),
                    last_drill_date=self.today - dt.timedelta(days=rng.randint(5, 120)),
                )
            )
        SecurityProfile.objects.bulk_create(profiles, batch_size=BATCH)
        self.report.add("profiles", len(profiles))

    def _state(self, age: int) -> str:
        r = self.rng.random()
        if age > 90:
            table = [("closed", 0.93), ("dismissed", 0.05), ("rectifying", 0.015), ("open", 0.005)]
        elif age > 30:
            table = [
                ("closed", 0.75),
                ("dismissed", 0.05),
                ("submitted", 0.05),
                ("rectifying", 0.10),
                ("open", 0.05),
            ]
        else:
            table = [
                ("reported", 0.20),
                ("open", 0.25),
                ("rectifying", 0.25),
                ("submitted", 0.10),
                ("closed", 0.15),
                ("dismissed", 0.05),
            ]
        acc = 0.0
        for state, p in table:
            acc += p
            if r < acc:
                return state
        return table[0][0]

    def _hazards(self, schools: list[School], leads: list[User], subs: list[Region]) -> None:
        rng, today = self.rng, self.today
        categories = [(c, share) for c, (share, _) in HAZARD_TITLES.items()]
        sub_of_school = {s.pk: s.police_station_id for s in schools}
        police_by_org = {org.pk: (org, user) for org, user in self.police.values()}
        hazards: list[Hazard] = []
        for s, lead in zip(schools, leads, strict=True):
            size = 0.7 + 0.6 * min(1.0, (s.students + s.staff) / 2500)
            k = max(0, round(rng.uniform(0.5, 1.5) * self.rate * size))
            police_org, police_user = police_by_org[sub_of_school[s.pk]]
            for _ in range(k):
                age = rng.randint(0, 729)
                found_on = today - dt.timedelta(days=age)
                if found_on.weekday() >= 5 and rng.random() < 0.8:
                    found_on -= dt.timedelta(days=found_on.weekday() - 4)
                    age = (today - found_on).days
                category = _pick(rng, categories)[0]
                title, location = rng.choice(HAZARD_TITLES[category][1])
                severity = _pick(rng, SEVERITY_MIX)[0]
                source = _pick(rng, SOURCE_MIX)[0]
                by_police = source in POLICE_SOURCES
                state = self._state(age)
                deadline = _deadline(found_on, severity)
                if state == "reported" and age > 5:  # 待核实 is a matter of days
                    state = "open"
                if state in LIVE_STATES and deadline < today and rng.random() < 0.7:
                    state = "closed"  # most units finish on time; about a third of live ones run late
                closed_at = None
                if state == "closed":
                    span = max(1, (deadline - found_on).days + rng.choice((-3, 0, 0, 2, 6)))
                    closed_day = min(today, found_on + dt.timedelta(days=rng.randint(1, span)))
                    closed_at = _at(closed_day, 16, rng.randint(0, 59))
                escalation = 0
                if state in LIVE_STATES and deadline < today and state != "submitted":
                    late = _overdue_working_days(deadline, today)
                    escalation = 3 if late >= 10 else 2 if late >= 5 else 1 if late >= 1 else 0
                hazards.append(
                    Hazard(
                        school=s,
                        title=title,
                        location=location,
                        category=category,
                        severity=severity,
                        description=f"{location}{title}，需限期整改。",
                        source=source,
                        found_by=police_user if by_police else lead,
                        found_by_org=police_org if by_police else s.organisation,
                        found_on=found_on,
                        responsible_org_id=s.organisation_id,
                        responsible_person=s.safety_lead_name,
                        measures="按要求整改到位" if state != "reported" else "",
                        deadline=deadline,
                        state=state,
                        escalation=escalation,
                        temp_measures="设置警示标志并安排专人值守" if severity == "major" else "",
                        closed_at=closed_at,
                        version=1,
                        created_at=_at(found_on, 9, rng.randint(0, 59)),
                        updated_at=closed_at or _at(min(today, found_on + dt.timedelta(days=2)), 11),
                    )
                )
        hazards = Hazard.objects.bulk_create(hazards, batch_size=BATCH)
        self.report.add("hazards", len(hazards))
        self._hazard_paperwork(hazards, police_by_org, dict(zip((s.pk for s in schools), leads, strict=True)))

    def _hazard_paperwork(self, hazards: list[Hazard], police_by_org, lead_of_school) -> None:
        """Notices (numbered gaplessly per issuer and year, in date order), escalation rungs and the
        timeline events each hazard's state implies."""
        rng = self.rng
        # Notices: police-found, confirmed hazards, grouped per school and day.
        groups: dict[tuple[int, dt.date], list[Hazard]] = defaultdict(list)
        for h in hazards:
            if h.source in POLICE_SOURCES and h.state not in ("reported", "dismissed") and rng.random() < 0.7:
                groups[(h.school_id, h.found_on)].append(h)
        notices, notice_hazards = [], []
        for (school_id, day), hs in sorted(groups.items(), key=lambda kv: (kv[0][1], kv[0][0])):
            issuer, officer = police_by_org[hs[0].school.police_station_id]
            year = day.year
            self.report.counts[("seq", issuer.pk, year)] += 1  # type: ignore[index]
            seq = self.report.counts[("seq", issuer.pk, year)]  # type: ignore[index]
            issued = day + dt.timedelta(days=1)
            signed = any(h.state != "open" for h in hs)
            notices.append(
                RectificationNotice(
                    issuer=issuer,
                    school_id=school_id,
                    year=year,
                    seq=seq,
                    number=f"{issuer.short_name}整字〔{year}〕第{seq:04d}号",
                    requirements="请于期限内整改到位，并上传整改后照片提交验收。",
                    deadline=max(h.deadline for h in hs),
                    issued_by=officer,
                    issued_at=_at(issued, 10),
                    signed_by=lead_of_school[school_id] if signed else None,
                    signed_at=_at(issued + dt.timedelta(days=1), 9) if signed else None,
                )
            )
            notice_hazards.append(hs)
        notices = RectificationNotice.objects.bulk_create(notices, batch_size=BATCH)
        through = RectificationNotice.hazards.through
        through.objects.bulk_create(
            [
                through(rectificationnotice_id=n.pk, hazard_id=h.pk)
                for n, hs in zip(notices, notice_hazards, strict=True)
                for h in hs
            ],
            batch_size=BATCH,
        )
        self.report.add("notices", len(notices))
        noticed = {h.pk: n for n, hs in zip(notices, notice_hazards, strict=True) for h in hs}

        escalations, events = [], []
        for h in hazards:
            police_org, officer = police_by_org[h.school.police_station_id]
            lead = lead_of_school[h.school_id]
            reviewer_org = police_org if h.source in POLICE_SOURCES else h.found_by_org
            day = h.found_on

            def ev(kind, frm, to, when, actor, org, note="", data=None, _h=h):
                events.append(
                    HazardEvent(
                        hazard=_h,
                        at=when,
                        actor=actor,
                        actor_org=org,
                        kind=kind,
                        from_state=frm,
                        to_state=to,
                        note=note,
                        data=data or {},
                    )
                )

            ev("reported", "", "reported", h.created_at, h.found_by, h.found_by_org, h.description)
            if h.state == "dismissed":
                ev("dismissed", "reported", "dismissed", _at(day + dt.timedelta(days=1), 10), officer,
                   police_org, "经核实不构成隐患")  # fmt: skip
                continue
            if h.state == "reported":
                continue
            ev("confirmed", "reported", "open", _at(day, 15), officer, reviewer_org)
            notice = noticed.get(h.pk)
            if notice is not None:
                ev("notice_issued", "open", "open", notice.issued_at, officer, police_org, notice.number,
                   {"notice": notice.pk})  # fmt: skip
            if h.state in ("rectifying", "submitted", "closed"):
                ev(
                    "started",
                    "open",
                    "rectifying",
                    _at(day + dt.timedelta(days=2), 9),
                    lead,
                    h.responsible_org,
                )
            if h.state in ("submitted", "closed"):
                when = h.closed_at - dt.timedelta(hours=5) if h.closed_at else _at(self.today, 8)
                ev("submitted", "rectifying", "submitted", when, lead, h.responsible_org)
            if h.state == "closed":
                ev("accepted", "submitted", "closed", h.closed_at, officer, police_org, "整改到位，同意销号")
            for level in range(1, h.escalation + 1):
                kind_label = {1: "督字", 2: "约谈", 3: "挂牌"}[level]
                self.report.counts[("esc", police_org.pk, level)] += 1  # type: ignore[index]
                seq = self.report.counts[("esc", police_org.pk, level)]  # type: ignore[index]
                escalations.append(
                    HazardEscalation(
                        hazard=h,
                        level=level,
                        issuer=police_org,
                        number=f"{police_org.short_name}{kind_label}〔{self.today.year}〕第{seq:04d}号",
                        overdue_days={1: 1, 2: 5, 3: 10}[level],
                        created_at=_at(add_working_days(h.deadline, {1: 1, 2: 5, 3: 10}[level]), 8),
                    )
                )
                ev("escalated", h.state, h.state, escalations[-1].created_at, None, police_org,
                   escalations[-1].number, {"level": level})  # fmt: skip
        HazardEscalation.objects.bulk_create(escalations, batch_size=BATCH)
        HazardEvent.objects.bulk_create(events, batch_size=5000)
        self.report.add("escalations", len(escalations))
        self.report.add("hazard_events", len(events))

    def finish(self) -> None:
        """Document counters at the last number used, so a notice issued afterwards continues."""
        counters = [
            DocumentCounter(organisation_id=key[1], kind="notice", year=key[2], last=value)
            for key, value in self.report.counts.items()
            if isinstance(key, tuple) and key[0] == "seq"
        ]
        DocumentCounter.objects.bulk_create(counters, batch_size=BATCH)


def extra_steps() -> list[Callable[[Generator], None]]:
    """Steps for apps that have landed since (inspections, duty, monthly): see bench/extra.py."""
    from bench import extra

    return extra.steps()


def generate(schools: int = 12000, **kwargs) -> Report:
    gen = Generator(schools, **kwargs)
    report = gen.run()
    with transaction.atomic():
        gen.finish()
    report.counts = {k: v for k, v in report.counts.items() if isinstance(k, str) and k != "school_seq"}
    return report
