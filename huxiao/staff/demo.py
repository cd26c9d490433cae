"""Demo staff registers (all persons fictional), loaded after the schools, their 三防 profiles and
the accounts exist. Every school gets a guard force shaped like its profile (as many 专职保安员
as it reported, as many licensed as it reported), a 门卫, two teachers and a canteen worker, each
with a 无犯罪记录查询 answered this year; boarding schools get their 宿管. Idempotent: a school
that already has a register is left alone.

The story, as the demo accounts meet it on the story day:
- 蒲吕青松中学 (boarding, 1,380 students) keeps five guards, four licensed, trained and cleared,
  and one without a 保安员证 — so the 三防 guard rule (five for its size) fails until a fifth
  qualified guard is registered, and the licence rule fails until the unlicensed one is licensed; its canteen worker's check came back 有异常 and waits for
  the 学区's decision (xuequ);
- 蒲吕明德小学's 体育 teacher's check ran out last month (overdue on the 学区's 台账);
- 蒲吕育才小学's newest guard waits for the answer to his check (待反馈);
- 蒲吕致远实验学校 (boarding) has registered no 宿管/生活管理教师, and its nights show as gaps;
- every school's 装备器械 register holds the kinds its profile ticked, checked a month ago.
"""

from __future__ import annotations

import datetime as dt

from huxiao.core import crypto
from huxiao.core.images import check_image
from huxiao.core.registry import announce_facts_changed
from huxiao.core.validation import id_check_digit
from huxiao.schools.models import SecurityProfile
from huxiao.staff.choices import CheckKind, CheckResult, Employer, StaffRole
from huxiao.staff.models import (
    BackgroundCheck,
    EquipmentCheck,
    EquipmentPhoto,
    NightDuty,
    StaffMember,
    Training,
)

STORY = dt.date(2026, 11, 29)  # demo.loader.STORY_DAY; dates below are story days
AUTHORITY = "重庆市公安局铜梁区分局"
COMPANY = "重庆铜梁安保服务有限公司"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = [
    "建国",
    "志强",
    "海军",
    "德华",
    "明亮",
    "小平",
    "国庆",
    "永红",
    "春梅",
    "秀英",
    "文斌",
    "学军",
    "玉兰",
    "长江",
    "伟",
    "勇",
    "敏",
    "静",
    "磊",
    "洋",
]


def _id_number(seq: int, born: dt.date) -> str:
    """A well-formed fictional 身份证号 of 铜梁区 (500224), with its check digit."""
    body = f"500224{born:%Y%m%d}{seq % 1000:03d}"
    return body + id_check_digit(body)


class _Names:
    def __init__(self) -> None:
        self.n = 0

    def next(self) -> tuple[str, str]:
        self.n += 1
        name = SURNAMES[(self.n * 7) % len(SURNAMES)] + GIVEN[(self.n * 3) % len(GIVEN)]
        born = dt.date(1965 + self.n % 30, 1 + self.n % 12, 1 + self.n % 27)
        return name, _id_number(self.n, born)


def _member(ctx, school, actor, names: _Names, role: str, **fields) -> StaffMember:
    name, number = names.next()
    member = StaffMember(
        school=school,
        name=fields.pop("name", name),
        role=role,
        started_on=fields.pop("started_on", ctx.day(dt.date(2021, 8, 25))),
        created_by=actor,
        **fields,
    )
    member.set_plain("id_number", number)
    member.id_index = crypto.blind_index(number, "staff-id")
    member.save()
    return member


def _cleared(ctx, member, actor, days_ago: int, kind: str = CheckKind.CRIMINAL) -> BackgroundCheck:
    answered = ctx.day(STORY) - dt.timedelta(days=days_ago)
    check = BackgroundCheck(
        member=member,
        kind=kind,
        requested_on=answered - dt.timedelta(days=5),
        requested_by=actor,
        result=CheckResult.CLEAR,
        result_on=answered,
        valid_until=answered + dt.timedelta(days=365),
    )
    check.save()
    return check


def _guard(ctx, school, actor, names, *, licensed: bool, seq: int) -> StaffMember:
    member = _member(
        ctx,
        school,
        actor,
        names,
        StaffRole.GUARD,
        employer=Employer.COMPANY,
        company=COMPANY,
        contract=f"TLAB-2026-{school.pk:03d}",
        contract_until=ctx.day(dt.date(2027, 8, 31)),
        licence_number=f"渝{2018 + seq % 6}{school.pk:03d}{seq:03d}" if licensed else "",
        licence_authority=AUTHORITY if licensed else "",
        licence_issued_on=ctx.day(dt.date(2018 + seq % 6, 6, 1)) if licensed else None,
        pretraining_on=ctx.day(dt.date(2021, 8, 10)) if licensed else None,
        pretraining_hours=40 if licensed else None,
    )
    if licensed:
        Training.objects.create(
            member=member,
            trained_on=ctx.day(dt.date(2026, 8, 20)),
            hours=8,
            content="2026年秋季开学前保安员业务培训（防暴器械使用、应急处置）",
            created_by=actor,
        )
    return member


def load(ctx) -> dict[str, int]:
    actor = ctx.users["xuequ"]
    names = _Names()
    for school in sorted(ctx.schools.values(), key=lambda s: s.pk):
        if StaffMember.objects.filter(school=school).exists():
            continue
        profile = SecurityProfile.objects.filter(school=school).order_by("-version").first()
        guards = (profile.fulltime_guards if profile and profile.fulltime_guards is not None else 2) or 1
        licensed = min(
            guards, profile.licensed_guards if profile and profile.licensed_guards is not None else guards
        )
        if school.name == "蒲吕青松中学":
            guards, licensed = 5, 4
        for seq in range(guards):
            member = _guard(ctx, school, actor, names, licensed=seq < licensed, seq=seq)
            if school.name == "蒲吕育才小学" and seq == guards - 1:
                BackgroundCheck.objects.create(
                    member=member,
                    kind=CheckKind.CRIMINAL,
                    requested_on=ctx.day(STORY) - dt.timedelta(days=6),
                    requested_by=actor,
                )
            else:
                _cleared(ctx, member, actor, 30 + 17 * seq)
        keeper = _member(
            ctx,
            school,
            actor,
            names,
            StaffRole.GATEKEEPER,
            licence_number=f"渝2017{school.pk:03d}900",
            licence_authority=AUTHORITY,
            licence_issued_on=ctx.day(dt.date(2017, 5, 1)),
            pretraining_on=ctx.day(dt.date(2017, 4, 20)),
            pretraining_hours=40,
        )
        _cleared(ctx, keeper, actor, 120)
        for n in range(2):
            teacher = _member(ctx, school, actor, names, StaffRole.TEACHER)
            overdue = school.name == "蒲吕明德小学" and n == 1
            _cleared(ctx, teacher, actor, 400 if overdue else 60 + 40 * n)
            _cleared(ctx, teacher, actor, 400 if overdue else 60 + 40 * n, CheckKind.SEXUAL)
        worker = _member(ctx, school, actor, names, StaffRole.WORKER, started_on=ctx.day(dt.date(2026, 9, 1)))
        if school.name == "蒲吕青松中学":
            check = BackgroundCheck(
                member=worker,
                kind=CheckKind.CRIMINAL,
                requested_on=ctx.day(STORY) - dt.timedelta(days=12),
                requested_by=actor,
                result=CheckResult.ADVERSE,
                result_on=ctx.day(STORY) - dt.timedelta(days=3),
            )
            check.set_plain("finding", "2015年因盗窃罪被判处有期徒刑六个月（食堂帮厨，2026年9月入职）。")
            check.save()
        else:
            _cleared(ctx, worker, actor, 80)
        if school.is_boarding and school.name != "蒲吕致远实验学校":
            for _ in range(max(1, school.boarders // 300)):
                houseparent = _member(ctx, school, actor, names, StaffRole.HOUSEPARENT)
                _cleared(ctx, houseparent, actor, 90)
        _equipment(ctx, school, actor, profile)
        _nights(ctx, school, actor)
        announce_facts_changed(school.pk)
    return {
        "教职员工登记": StaffMember.objects.count(),
        "人员审查": BackgroundCheck.objects.count(),
        "装备器械检查": EquipmentCheck.objects.count(),
        "夜间值守安排": NightDuty.objects.count(),
    }


def _equipment(ctx, school, actor, profile) -> None:
    """The kinds the profile ticked, counted a month ago (one photographed): the register agrees
    with the profile, so the 三防 result does not change when the register takes over."""
    kinds = list(profile.guard_equipment) if profile else []
    for n, kind in enumerate(kinds):
        check = EquipmentCheck.objects.create(
            school=school,
            kind=kind,
            count=2 + n % 3,
            working=2 + n % 3,
            checked_on=ctx.day(STORY) - dt.timedelta(days=30 + n),
            note="开学前集中检查",
            checked_by=actor,
        )
        if kind == "restraint_fork":
            image = check_image(ctx.photo("after", school.pk), field="照片")
            EquipmentPhoto.objects.create(
                check_record=check,
                image=image.content,
                thumbnail=image.thumbnail,
                sha256=image.sha256,
                width=image.width,
                height=image.height,
            )


def _nights(ctx, school, actor) -> None:
    """Boarding schools: the 宿管 take the nights of the story month in turn, and a guard covers
    the weekends; 蒲吕致远实验学校 has no 宿管, so its nights show as gaps."""
    if not school.is_boarding:
        return
    people = list(StaffMember.objects.filter(school=school, role=StaffRole.HOUSEPARENT).order_by("pk"))
    guard = StaffMember.objects.filter(school=school, role=StaffRole.GUARD).order_by("pk").first()
    if not people:
        return
    first = ctx.day(STORY).replace(day=1)
    last = ctx.day(STORY) + dt.timedelta(days=7)
    night = first
    while night <= last:
        member = people[(night - first).days % len(people)] if night.weekday() < 5 else guard or people[0]
        NightDuty.objects.get_or_create(
            school=school, night=night, member=member, defaults={"created_by": actor}
        )
        night += dt.timedelta(days=1)
