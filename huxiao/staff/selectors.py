"""Reads of the staff register for pages and cards: the register (with each person's standing),
the 学区's 人员审查台账 (overdue, expiring, 有异常 under decision), the police's guard roster
(licence columns only) and the counts on a school's page and the 工作台."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from huxiao.core.models import AuditEvent
from huxiao.core.registry import Panel
from huxiao.core.semesters import is_school_day
from huxiao.lib.masks import mask_id
from huxiao.schools.choices import GuardEquipment
from huxiao.schools.models import School
from huxiao.staff import access
from huxiao.staff.choices import GUARD_ROLES, CheckResult, StaffRole, Standing
from huxiao.staff.facts import EQUIPMENT_CHECK_DAYS
from huxiao.staff.models import BackgroundCheck, EquipmentCheck, NightDuty, StaffMember
from huxiao.staff.querysets import EXPIRING_DAYS

OVERDUE = (Standing.EXPIRED, Standing.NONE)
FLAGS = {
    "overdue": ("审查过期或未审查", Q(standing__in=OVERDUE)),
    "expiring": (f"{EXPIRING_DAYS}天内到期", Q(standing=Standing.EXPIRING)),
    "adverse": ("有异常待处理", Q(standing=Standing.ADVERSE)),
    "pending": ("待反馈", Q(standing=Standing.PENDING)),
    "guards": ("保安员和门卫", Q(role__in=GUARD_ROLES)),
    "left": ("已离岗", Q(left_on__isnull=False)),
}


def register(user, *, school: School | None = None, flag: str = "", today: dt.date | None = None) -> QuerySet:
    """The register as the user may read it, each person with `standing` (on duty unless
    `flag="left"`)."""
    today = today or timezone.localdate()
    qs = StaffMember.objects.visible_to(user).select_related("school").with_standing(today)
    if school is not None:
        qs = qs.filter(school=school)
    if flag != "left":
        qs = qs.filter(left_on__isnull=True)
    if flag in FLAGS:
        qs = qs.filter(FLAGS[flag][1])
    return qs.order_by("school__name", "role", "name", "pk")


@dataclass
class SchoolRow:
    school: School
    on_duty: int = 0
    valid: int = 0
    expiring: int = 0
    overdue: int = 0
    pending: int = 0
    adverse: int = 0

    @property
    def behind(self) -> bool:
        return bool(self.overdue or self.adverse)


def by_school(user, today: dt.date | None = None) -> list[SchoolRow]:
    """Per school of the user's register scope: on duty and each standing (two queries); schools
    that keep no register yet show zeros, so the 学区 sees who has not started."""
    today = today or timezone.localdate()
    schools = School.objects.visible_to(user).active().select_related("region").order_by("name")
    rows = {s.pk: SchoolRow(s) for s in schools if access.may_keep(user, s) or access.may_decide(user, s)}
    standings = (
        StaffMember.objects.visible_to(user)
        .filter(school_id__in=rows)
        .on_duty(today)
        .with_standing(today)
        .values_list("school_id", "standing")
    )
    for school_id, standing in standings:
        row = rows[school_id]
        row.on_duty += 1
        if standing == Standing.VALID:
            row.valid += 1
        elif standing == Standing.EXPIRING:
            row.expiring += 1
        elif standing == Standing.PENDING:
            row.pending += 1
        elif standing == Standing.ADVERSE:
            row.adverse += 1
        else:
            row.overdue += 1
    return list(rows.values())


def open_adverse(user) -> QuerySet[BackgroundCheck]:
    """有异常 checks of the user's schools still waiting for a decision or for it to be carried out."""
    return (
        BackgroundCheck.objects.visible_to(user)
        .open_adverse()
        .select_related("member__school", "decided_by")
        .order_by("result_on", "pk")
    )


def pending_checks(user) -> QuerySet[BackgroundCheck]:
    return (
        BackgroundCheck.objects.visible_to(user)
        .filter(result=CheckResult.PENDING, member__left_on__isnull=True)
        .select_related("member__school")
        .order_by("requested_on", "pk")
    )


@dataclass
class GuardRow:
    member: StaffMember
    licence: str  # 持证上岗 / 无证 / 证件过期 / 未培训
    ok: bool


def licence_status(member: StaffMember, on: dt.date) -> tuple[str, bool]:
    """What the police see of a guard: the licence and the training, never a check."""
    if not member.licence_number:
        return "无保安员证", False
    if not member.licence_valid(on):
        return "保安员证过期或未生效", False
    if not member.trained(on):
        return "持证，未登记岗前培训", False
    return "持证上岗", True


def guard_roster(user, *, school: School | None = None, today: dt.date | None = None) -> list[GuardRow]:
    """On-duty guards and 门卫 of the schools the user reaches (register readers and police)."""
    today = today or timezone.localdate()
    qs = StaffMember.objects.guards_visible_to(user).on_duty(today).select_related("school")
    if school is not None:
        qs = qs.filter(school=school)
    return [GuardRow(m, *licence_status(m, today)) for m in qs.order_by("school__name", "name", "pk")]


def access_history(member: StaffMember) -> QuerySet[AuditEvent]:
    """Who saw the person's record in full or opened a document, when and why."""
    return AuditEvent.objects.filter(
        action__in=("staff.reveal", "staff.document"),
        object_type=member._meta.label_lower,
        object_id=str(member.pk),
    ).order_by("-seq")


# --- Cards --------------------------------------------------------------------------------------


def school_panel(user, school: School) -> Panel | None:
    """On the school's page: the register's standing for its keepers and 学区 (a person without a
    valid check is flagged); the guards' licence status for the police."""
    today = timezone.localdate()
    if access.may_keep(user, school) or access.may_decide(user, school):
        members = StaffMember.objects.filter(school=school).on_duty(today).with_standing(today)
        counts = members.aggregate(
            n=Count("pk"),
            overdue=Count("pk", filter=Q(standing__in=OVERDUE)),
            adverse=Count("pk", filter=Q(standing=Standing.ADVERSE)),
        )
        url = f"{reverse('staff:member-list')}?school={school.pk}"
        if not counts["n"]:
            return Panel("人员审查", "尚未建立教职员工和保卫人员登记", url=url, warn=True)
        text = (
            f"在岗{counts['n']}人；审查过期或未审查{counts['overdue']}人；有异常待处理{counts['adverse']}人"
        )
        return Panel("人员审查", text, url=url, warn=bool(counts["overdue"] or counts["adverse"]))
    if (
        access.sees_guards(user)
        and StaffMember.objects.guards_visible_to(user).filter(school=school).exists()
    ):
        rows = guard_roster(user, school=school, today=today)
        ok = sum(1 for r in rows if r.ok)
        return Panel(
            "保卫力量",
            f"专职保安员和门卫{len(rows)}人，持证上岗{ok}人",
            url=f"{reverse('staff:guards')}?school={school.pk}",
            warn=ok < len(rows),
        )
    return None


def home_panels(user) -> list[Panel]:
    """The 工作台 card of a register's keeper or 学区: people overdue and 有异常 to settle."""
    if not access.sees_register(user):
        return []
    today = timezone.localdate()
    counts = (
        StaffMember.objects.visible_to(user)
        .on_duty(today)
        .with_standing(today)
        .aggregate(
            overdue=Count("pk", filter=Q(standing__in=OVERDUE)),
            adverse=Count("pk", filter=Q(standing=Standing.ADVERSE)),
        )
    )
    warn = bool(counts["overdue"] or counts["adverse"])
    return [
        Panel(
            "人员审查",
            f"审查过期或未审查{counts['overdue']}人，有异常待处理{counts['adverse']}人",
            url=reverse("staff:checks") if access.checks_registers(user) else reverse("staff:member-list"),
            warn=warn,
            value=str(counts["overdue"] + counts["adverse"]),
        )
    ]


def masked_id(member: StaffMember) -> str:
    """The 身份证号 as pages show it (one decryption)."""
    return mask_id(member.plain("id_number"))


# --- Equipment and the night roster -------------------------------------------------------------


@dataclass
class EquipmentRow:
    kind: str
    label: str
    latest: EquipmentCheck | None
    stale: bool  # never checked, or not within a year


def equipment_schools(user) -> QuerySet[School]:
    """The live schools whose 装备器械 the user sees (every school in scope: the stock names
    nobody), by name."""
    return School.objects.visible_to(user).active().select_related("region").order_by("name")


def equipment_table(school: School, today: dt.date | None = None) -> list[EquipmentRow]:
    """Every kind of 装备器械 with the school's latest check of it (one query)."""
    today = today or timezone.localdate()
    latest = {
        c.kind: c
        for c in EquipmentCheck.objects.filter(school=school)
        .current(today)
        .select_related("checked_by", "photo")
    }
    since = today - dt.timedelta(days=EQUIPMENT_CHECK_DAYS)
    return [
        EquipmentRow(
            kind, str(label), latest.get(kind), kind not in latest or latest[kind].checked_on < since
        )
        for kind, label in GuardEquipment.choices
    ]


@dataclass
class Night:
    night: dt.date
    on_duty: list[NightDuty]
    needed: bool  # boarders sleep at school that night (the next day is a school day)

    @property
    def gap(self) -> bool:
        return self.needed and not self.on_duty


def night_schools(user) -> QuerySet[School]:
    """The live boarding schools whose night roster the user reads: those whose register the user
    keeps or checks, by name."""
    boarding = School.objects.visible_to(user).active().filter(is_boarding=True).select_related("region")
    readable = [s.pk for s in boarding if access.may_keep(user, s) or access.may_decide(user, s)]
    return School.objects.filter(pk__in=readable).select_related("region").order_by("name")


def houseparents_on_duty(school: School) -> int:
    """生活管理教师 in post today at `school` (beside the roster: who can be put on it)."""
    return StaffMember.objects.filter(school=school, role=StaffRole.HOUSEPARENT).on_duty().count()


def night_roster(user, school: School, month: dt.date) -> list[Night]:
    """The nights of `month` at a boarding school, who is on duty each, and the gaps: a night
    before a school day with nobody on duty (one query)."""
    first = month.replace(day=1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    duties: dict[dt.date, list] = {}
    for duty in (
        NightDuty.objects.visible_to(user)
        .filter(school=school, night__range=(first, last))
        .filter(Q(member__left_on__isnull=True) | Q(member__left_on__gt=F("night")))
        .select_related("member")
    ):
        duties.setdefault(duty.night, []).append(duty)
    days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    return [Night(d, duties.get(d, []), is_school_day(d + dt.timedelta(days=1))) for d in days]
