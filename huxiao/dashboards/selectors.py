"""What a user's home page shows: cards computed from their scope, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.urls import reverse

from huxiao.accounts.roles import Cap, RoleCode
from huxiao.accounts.scope import scope_of
from huxiao.core.selectors import audit_events_visible_to
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


def home_cards(user) -> list[Card]:
    """The cards for this user's home page: what needs their attention first."""
    scope = scope_of(user)
    cards: list[Card] = []
    if scope.has(Cap.SCHOOL_VIEW):
        s = registry_summary(user)
        cards.append(
            Card(
                "管辖学校",
                f"{s['schools']} 所",
                f"其中幼儿园 {s['kindergartens']} 所，寄宿制 {s['boarding']} 所；"
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
        (Cap.HAZARD_REPORT, "隐患闭环", "隐患登记、整改通知书、验收、逾期督办（隐患闭环功能上线后显示待办）"),
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
