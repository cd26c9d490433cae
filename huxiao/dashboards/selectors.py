"""What a user's home page shows: cards computed from their scope, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.urls import reverse
from django.utils import timezone

from huxiao.accounts.roles import Cap, RoleCode
from huxiao.accounts.scope import scope_of
from huxiao.core.selectors import audit_events_visible_to
from huxiao.hazards.choices import LIVE_STATES, Escalation, State
from huxiao.hazards.models import Hazard, RectificationNotice
from huxiao.hazards.querysets import due_soon_until
from huxiao.schools.models import School, SecurityProfile


@dataclass
class Card:
    title: str
    value: str = ""
    detail: str = ""
    url: str = ""
    tone: str = ""  # "", "warn", "bad", "ok", "pending"


def registry_summary(user) -> dict:
    """Counts over the schools the user can see (one aggregate query)."""
    no_profile = ~Exists(SecurityProfile.objects.filter(school=OuterRef("pk")))
    return (
        School.objects.visible_to(user)
        .filter(is_archived=False)
        .aggregate(
            schools=Count("pk"),
            kindergartens=Count("pk", filter=Q(school_type="kindergarten")),
            boarding=Count("pk", filter=Q(is_boarding=True)),
            students=Sum("students"),
            staff=Sum("staff"),
            without_profile=Count("pk", filter=no_profile),
        )
    )


def hazard_summary(user, today=None) -> dict:
    """Counts over the hazards the user can see, in one aggregate query."""
    today = today or timezone.localdate()
    live = Q(state__in=LIVE_STATES)
    return Hazard.objects.visible_to(user).aggregate(
        live=Count("pk", filter=live),
        reported=Count("pk", filter=Q(state=State.REPORTED)),
        to_rectify=Count("pk", filter=Q(state__in=[State.OPEN, State.RECTIFYING])),
        submitted=Count("pk", filter=Q(state=State.SUBMITTED)),
        overdue=Count("pk", filter=live & Q(deadline__lt=today)),
        due_soon=Count("pk", filter=live & Q(deadline__gte=today, deadline__lte=due_soon_until(today))),
        listed=Count("pk", filter=live & Q(escalation=Escalation.LISTED)),
    )


def hazard_cards(user, scope) -> list[Card]:
    """What the hazard loop asks of this user today."""
    h = hazard_summary(user)
    url = reverse("hazards:hazard-list")
    cards = [
        Card(
            "在办隐患",
            f"{h['live']} 项",
            f"其中逾期 {h['overdue']} 项，3个工作日内到期 {h['due_soon']} 项",
            url,
            "bad" if h["overdue"] else "",
        ),
    ]
    if h["overdue"]:
        cards.append(
            Card(
                "逾期未整改",
                f"{h['overdue']} 项",
                "逾期隐患按规则逐级督办、约谈、挂牌督办",
                f"{url}?overdue=on",
                "bad",
            )
        )
    if h["listed"]:
        cards.append(
            Card(
                "挂牌督办",
                f"{h['listed']} 项",
                "逾期最久的隐患，须限期整改销号",
                reverse("hazards:listed-list"),
                "bad",
            )
        )
    if scope.has(Cap.HAZARD_REVIEW):
        cards.append(
            Card(
                "待核实 / 待验收",
                f"{h['reported']} / {h['submitted']} 项",
                "核实立案或不予立案；验收整改或退回",
                f"{url}?state=submitted",
                "warn" if h["submitted"] else "",
            )
        )
    if scope.has(Cap.HAZARD_RECTIFY):
        unsigned = RectificationNotice.objects.visible_to(user).filter(signed_at__isnull=True).count()
        cards.append(
            Card(
                "待整改",
                f"{h['to_rectify']} 项",
                f"待签收整改通知书 {unsigned} 份；整改完成后上传照片提交验收",
                reverse("hazards:notice-list") if unsigned else f"{url}?state=live",
                "warn" if unsigned or h["overdue"] else "",
            )
        )
    return cards


def home_cards(user) -> list[Card]:
    """The cards for this user's home page: what needs their attention first."""
    scope = scope_of(user)
    cards: list[Card] = []
    if scope.has(Cap.SCHOOL_VIEW):
        s = registry_summary(user)
        school_side = scope.roles <= {RoleCode.SAFETY_LEAD, RoleCode.PRINCIPAL}
        cards.append(
            Card(
                "本校" if school_side else "管辖学校",
                f"{s['schools']} 所",
                f"在校学生 {s['students'] or 0} 人，教职工 {s['staff'] or 0} 人"
                if school_side
                else f"其中幼儿园 {s['kindergartens']} 所，寄宿制 {s['boarding']} 所；"
                f"在校学生 {s['students'] or 0} 人，教职工 {s['staff'] or 0} 人",
                reverse("schools:school-list"),
            )
        )
        if s["without_profile"]:
            cards.append(
                Card(
                    "三防档案未填报",
                    f"{s['without_profile']} 所",
                    "这些学校尚未填报人防、物防、技防、制度档案",
                    reverse("schools:school-list"),
                    "warn",
                )
            )
    if scope.has(Cap.PROFILE_EDIT) and scope.roles & {RoleCode.SAFETY_LEAD, RoleCode.PRINCIPAL}:
        own = School.objects.visible_to(user, Cap.PROFILE_EDIT).filter(is_archived=False).first()
        if own is not None:
            cards.append(
                Card(
                    "本校三防档案",
                    own.name,
                    "及时更新保安、围墙、监控、报警与制度情况",
                    reverse("schools:profile-edit", args=[own.pk]),
                )
            )
    if scope.has(Cap.SCHOOL_VIEW):
        cards += hazard_cards(user, scope)
    if scope.has(Cap.AUDIT_VIEW):
        cards.append(
            Card(
                "审计日志",
                f"{audit_events_visible_to(user).count()} 条",
                "可核验哈希链是否完整",
                reverse("core:audit-list"),
            )
        )
    if scope.has(Cap.ACCOUNT_MANAGE):
        cards.append(
            Card("账号管理", "", "创建账号、分配单位与角色、停用账号", reverse("accounts:user-list"))
        )
    # Capabilities that later issues deliver announce themselves honestly.
    upcoming = [
        (
            Cap.INSPECTION_PERFORM,
            "检查任务",
            "三防达标比对与检查清单（标准引擎与检查功能上线后显示本学期任务）",
        ),
        (Cap.REPORT_SUBMIT, "月度统计表", "每月28日前报送（专项行动与月报功能上线后显示报送状态）"),
        (Cap.DUTY_LOG, "护学岗", "高峰勤务签到与覆盖率（护学岗功能上线后显示今日勤务）"),
    ]
    for cap, title, detail in upcoming:
        if scope.has(cap):
            cards.append(Card(title, "待上线", detail, tone="pending"))
    return cards
