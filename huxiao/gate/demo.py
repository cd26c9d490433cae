"""Demo gate logs (all persons, numbers and plates fictional) at every 蒲吕 school, loaded after
the schools and the accounts exist: the school days before the story day and the story day
itself (a Sunday: only the boarding schools have visitors). Idempotent: a school that already has
a gate log is left alone.

The story, as the demo accounts meet it on the story day:
- every day each school lets in a parcel courier, parents and a supplier's van; 青松中学's
  门卫 (`menwei`) logs his own school's;
- on Thursday a visitor to 青松中学 carried a folding knife: the 安检 found it, it was kept in the
  门卫室 and given back when he left;
- on Wednesday a repair van came to 明德小学 for the drinking fountains;
- on Friday a 三年级 pupil of 明德小学 was collected by her 外公 instead of her mother,
  approved by the class teacher (接送异常);
- on Sunday a parent and a repair van are still inside 青松中学 (离校 not yet tapped).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from huxiao.core import crypto
from huxiao.core.validation import id_check_digit
from huxiao.gate.choices import Relation
from huxiao.gate.models import PickupException, VehicleEntry, VisitorEntry
from huxiao.gate.services import ID_PURPOSE

STORY = dt.date(2026, 11, 29)  # demo.loader.STORY_DAY (a Sunday); dates below are story days
SCHOOL_DAYS = [dt.date(2026, 11, 25), dt.date(2026, 11, 26), dt.date(2026, 11, 27)]
LOGGERS = {
    "蒲吕青松中学": "menwei",
    "蒲吕明德小学": "mingde",
    "蒲吕石龙村小学": "shilong",
    "蒲吕小橡树幼儿园": "yuanzhang",
}
SURNAMES = "陈刘杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
GIVEN = [
    "建华",
    "小兵",
    "国强",
    "丽娟",
    "海燕",
    "志刚",
    "红梅",
    "德明",
    "晓东",
    "春花",
    "勇",
    "芳",
    "涛",
    "军",
]
COURIERS = ["顺丰速运", "中通快递", "中国邮政EMS"]
HOSTS = ["一年级班主任", "二年级班主任", "三年级班主任", "教务处", "政教处", "总务处"]
PARENT_REASONS = [
    "家长来访（接孩子看病）",
    "家长来访（送药）",
    "家长来访（与班主任沟通）",
    "家长来访（送衣物）",
]


def _id_number(seq: int) -> str:
    """A well-formed fictional 身份证号 of 铜梁区 (500224), with its check digit."""
    born = dt.date(1970 + seq % 25, 1 + seq % 12, 1 + seq % 27)
    body = f"500224{born:%Y%m%d}{(seq * 37) % 1000:03d}"
    return body + id_check_digit(body)


class _People:
    def __init__(self) -> None:
        self.n = 0

    def next(self) -> tuple[str, str]:
        self.n += 1
        name = SURNAMES[(self.n * 5) % len(SURNAMES)] + GIVEN[(self.n * 3) % len(GIVEN)]
        return name, _id_number(self.n)


def _at(day: dt.date, hh: int, mm: int) -> dt.datetime:
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(hh, mm)))
    # the story day may be today: nothing is logged in the future
    return min(moment, timezone.now() - dt.timedelta(minutes=1))


def _visitor(school, logger, people, at, minutes, reason, host, **fields) -> VisitorEntry:
    name, number = people.next()
    entry = VisitorEntry(
        school=school,
        name=fields.pop("name", name),
        reason=reason,
        host=host,
        entered_at=at,
        left_at=None if minutes is None else at + dt.timedelta(minutes=minutes),
        logged_by=logger,
        **fields,
    )
    entry.set_plain("id_number", number)
    entry.id_index = crypto.blind_index(number, ID_PURPOSE)
    entry.save()
    return entry


def _vehicle(school, logger, people, at, minutes, plate, reason, **fields) -> VehicleEntry:
    name, _number = people.next()
    return VehicleEntry.objects.create(
        school=school,
        plate=plate,
        driver=name,
        reason=reason,
        entered_at=at,
        left_at=None if minutes is None else at + dt.timedelta(minutes=minutes),
        logged_by=logger,
        **fields,
    )


def _school_day(school, logger, people, day: dt.date, seq: int) -> None:
    """One school day at the gate: a courier, parents (more at a larger school), a supplier."""
    courier = COURIERS[seq % len(COURIERS)]
    _visitor(school, logger, people, _at(day, 9, 5 + seq % 20), 8, f"送快递（{courier}）", "总务处")
    for n in range(1 + school.students // 600):
        _visitor(
            school,
            logger,
            people,
            _at(day, 10 + n, 10 + (seq * 7 + n * 13) % 40),
            25 + n * 10,
            PARENT_REASONS[(seq + n) % len(PARENT_REASONS)],
            HOSTS[(seq + n) % len(HOSTS)],
        )
    if school.school_type != "kindergarten" or seq % 2 == 0:
        _vehicle(
            school,
            logger,
            people,
            _at(day, 7, 20 + seq % 30),
            35,
            f"渝B{(school.pk * 131 + seq * 17) % 90000 + 10000:05d}",
            "食堂食材配送",
        )


def load(ctx) -> dict[str, int]:
    people = _People()
    schools = sorted((s for s in ctx.schools.values() if s.name.startswith("蒲吕")), key=lambda s: s.pk)
    for index, school in enumerate(schools):
        if VisitorEntry.objects.filter(school=school).exists():
            continue
        username = LOGGERS.get(school.name)
        logger = ctx.users.get(username) if username else None
        for d, day in enumerate(SCHOOL_DAYS):
            _school_day(school, logger, people, ctx.day(day), index * 3 + d)
        if school.name == "蒲吕青松中学":
            thursday = ctx.day(SCHOOL_DAYS[1])
            _visitor(
                school,
                logger,
                people,
                _at(thursday, 14, 20),
                50,
                "联系子女转学事宜",
                "教务处",
                screening_note="安检发现随身携带折叠刀一把，已暂存门卫室，离校时归还",
            )
            sunday = ctx.day(STORY)
            _visitor(school, logger, people, _at(sunday, 14, 10), None, "家长来访（送换季衣物）", "宿管")
            _vehicle(
                school,
                logger,
                people,
                _at(sunday, 13, 40),
                None,
                "渝AD52819",
                "维修（宿舍楼热水器）",
                screening_note="车内为维修工具和配件",
            )
        if school.name == "蒲吕明德小学":
            _vehicle(
                school,
                logger,
                people,
                _at(ctx.day(SCHOOL_DAYS[0]), 13, 30),
                95,
                "渝A7H261",
                "维修（教学楼直饮水机）",
            )
            pickup = PickupException(
                school=school,
                child_class="三年级二班",
                picked_up_by="张国华",
                relation=Relation.GRANDPARENT,
                approved_by="班主任李晓燕",
                note="母亲临时加班，电话告知班主任由外公接回，已核对身份",
                at=_at(ctx.day(SCHOOL_DAYS[2]), 16, 5),
                logged_by=logger,
            )
            pickup.set_plain("child_name", "张小雨")
            number = _id_number(900)
            pickup.set_plain("id_number", number)
            pickup.id_index = crypto.blind_index(number, ID_PURPOSE)
            pickup.save()
    return {
        "门卫登记访客": VisitorEntry.objects.count(),
        "门卫登记车辆": VehicleEntry.objects.count(),
        "接送异常": PickupException.objects.count(),
    }
