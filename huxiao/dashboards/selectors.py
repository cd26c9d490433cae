"""What a user's home page shows: cards computed from their scope, in a fixed number of queries."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from huxiao.accounts import lockout
from huxiao.accounts.roles import Cap, RoleCode
from huxiao.accounts.scope import scope_of
from huxiao.accounts.selectors import audit_events_visible_to
from huxiao.core import registry
from huxiao.hazards.choices import LIVE_STATES, Category, Escalation, Severity, State
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


def inspection_card(user, today: dt.date, school_side: bool) -> Card:
    """This semester's inspections against the rule (≥2): a school its own counts, a supervisor
    the schools still below (3 queries: inspections.selectors.frequency for a school's side,
    supervision_summary — no model instance per school — for a supervisor's)."""
    from huxiao.inspections.selectors import frequency, supervision_summary

    if school_side:
        semester, rows = frequency(user, today)
        if len(rows) == 1:
            (row,) = rows
            return Card(
                "本学期检查",
                f"自查 {row.own}/{row.self_min} 次",
                f"{semester.label}：督导检查 {row.supervision}/{row.supervision_min} 次",
                reverse("inspections:inspection-list"),
                "warn" if row.below else "ok",
            )
        below, schools = sum(1 for r in rows if r.supervision_short), len(rows)
    else:
        summary = supervision_summary(user, today, limit=0)
        semester, below, schools = summary.semester, summary.below_count, summary.schools
    return Card(
        "本学期检查频次",
        f"{below} 所未达要求",
        f"{semester.label}督导检查每校不少于规定次数（2次）；管辖学校 {schools} 所",
        reverse("inspections:frequency"),
        "warn" if below else "ok",
    )


def report_card(user, scope, today: dt.date) -> Card | None:
    """The 统计表 now due (last month's: 每月28日前报送上月) of the unit the user reports for: its
    state and due date (2 queries); None when none of the user's units owes a report."""
    from huxiao.core.models import Organisation
    from huxiao.monthly.choices import LOCKED_STATES, ReportState
    from huxiao.monthly.due import month_now_due
    from huxiao.monthly.models import MonthlyReport
    from huxiao.monthly.selectors import expected_units_q

    year, month = month_now_due(today)

    org_ids = scope.org_ids(Cap.REPORT_SUBMIT)
    state = MonthlyReport.objects.filter(unit=OuterRef("pk"), year=year, month=month)
    unit = (
        Organisation.objects.filter(pk__in=org_ids)
        .filter(expected_units_q())
        .select_related("region")
        .annotate(report_state=Subquery(state.values("state")[:1]))
        .order_by("pk")
        .first()
    )
    if unit is None:
        return None
    due = _due_dates([unit.region.path], year, month)[unit.region.path]
    current = unit.report_state  # type: ignore[attr-defined]
    submitted = current in LOCKED_STATES
    label = ReportState(current).label if current else "未填报"
    late = not submitted and today > due
    return Card(
        f"{month}月统计表",
        label,
        f"{unit.name}，{due.month}月{due.day}日前报送" + ("，已逾期" if late else ""),
        reverse("monthly:report-detail", args=[unit.pk, year, month]),
        "ok" if submitted else "bad" if late else "warn",
    )


def duty_card(user, today: dt.date) -> Card:
    """护学岗 this month: periods staffed as required ÷ periods required (duty.selectors:
    5 queries)."""
    from huxiao.duty.selectors import coverage_summary

    tally = coverage_summary(user, today.replace(day=1), today)
    rate_ = tally.staffing_rate
    return Card(
        "护学岗",
        f"本月到岗率 {rate_}%" if rate_ is not None else "本月无应到岗时段",
        f"应到岗 {tally.required} 个高峰时段，缺岗或力量不足 {tally.gaps} 个",
        reverse("duty:station"),
        "" if rate_ is None else "ok" if rate_ >= 100 else "warn" if rate_ >= 90 else "bad",
    )


def home_cards(user) -> list[Card]:
    """The cards for this user's home page: what needs their attention first."""
    scope = scope_of(user)
    cards: list[Card] = []
    school_side = scope.roles <= {RoleCode.SAFETY_LEAD, RoleCode.PRINCIPAL}
    if scope.has(Cap.SCHOOL_VIEW):
        s = registry_summary(user)
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
                reverse("audit:list"),
            )
        )
    if scope.has(Cap.ACCOUNT_MANAGE):
        cards.append(
            Card("账号管理", "", "创建账号、分配单位与角色、停用账号", reverse("accounts:user-list"))
        )
    if scope.has(Cap.SECURITY_MANAGE):
        locks = len(lockout.locks_in_force())
        cards.append(
            Card(
                "登录锁定",
                f"{locks} 处",
                "解除锁定、重置双因素认证、查看现行安全策略",
                reverse("security:overview"),
                "warn" if locks else "",
            )
        )
    cards += [
        Card(p.title, p.value, p.text, p.url, "bad" if p.warn else "ok") for p in registry.home_panels(user)
    ]
    today = timezone.localdate()
    if scope.has(Cap.INSPECTION_PERFORM):
        cards.append(inspection_card(user, today, school_side))
    if scope.has(Cap.REPORT_SUBMIT):
        card = report_card(user, scope, today)
        if card is not None:
            cards.append(card)
    if scope.has(Cap.DUTY_LOG):
        cards.append(duty_card(user, today))
    return cards


# --- 数据看板 / 数据大屏: hazard figures --------------------------------------------------------

# The risk score of a school, shown on the page beside the ranking (RISK_FORMULA).
RISK_WEIGHTS = {"major": 5, "larger": 3, "general": 1, "overdue": 2, "escalation": 2}
RISK_FORMULA = (
    "风险分 = 在办重大隐患×5 + 在办较大隐患×3 + 在办一般隐患×1 + 逾期隐患×2 + 督办等级之和×2"
    "（督办计1级、约谈计2级、挂牌督办计3级）"
)
CONFIRMED_STATES = (State.OPEN, State.RECTIFYING, State.SUBMITTED, State.CLOSED)


def _local_midnight(day: dt.date) -> dt.datetime:
    """The aware datetime at which `day` begins in the current time zone: `closed_at` compared with
    it counts by local date (as `closed_at__date` would) without a per-row conversion, which on
    SQLite is a Python function called once per row and per FILTER."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _figure_counts(today: dt.date) -> dict[str, Any]:
    """The aggregates of `hazard_figures` (keys as documented there)."""
    live = Q(state__in=LIVE_STATES)
    closed = Q(state=State.CLOSED)
    counts: dict[str, Any] = {f"state_{s.value}": Count("pk", filter=Q(state=s)) for s in State}
    counts |= {f"live_{s.value}": Count("pk", filter=live & Q(severity=s)) for s in Severity}
    counts |= {f"cat_{c.value}": Count("pk", filter=live & Q(category=c)) for c in Category}
    counts |= {
        "total": Count("pk"),
        "live": Count("pk", filter=live),
        "overdue": Count("pk", filter=live & Q(deadline__lt=today)),
        "due_soon": Count("pk", filter=live & Q(deadline__gte=today, deadline__lte=due_soon_until(today))),
        "escalated": Count("pk", filter=live & Q(escalation__gte=Escalation.SUPERVISE)),
        "listed": Count("pk", filter=live & Q(escalation=Escalation.LISTED)),
        "confirmed": Count("pk", filter=Q(state__in=CONFIRMED_STATES)),
        "closed": Count("pk", filter=closed),
        # compared with a column, so it stays a per-row local date (native on PostgreSQL)
        "closed_on_time": Count(
            "pk", filter=closed & (Q(deadline__isnull=True) | Q(closed_at__date__lte=F("deadline")))
        ),
    }
    return counts


def hazard_figures(user, today: dt.date) -> dict[str, int]:
    """Every count the dashboard shows about hazards, over the user's scope, in one query.

    `state_<s>` per state; `live_<severity>` and `cat_<category>` over live hazards; `overdue`
    (live, deadline before today), `due_soon`, `escalated` (live, on any rung of the 督办
    ladder), `listed` (挂牌督办); `confirmed` (立案: every state from 待整改 on, closed included),
    `closed` and `closed_on_time` (销号 on or before the deadline, or with no deadline — 立行立改).
    """
    return Hazard.objects.visible_to(user).order_by().aggregate(**_figure_counts(today))


def rate(part: int, whole: int) -> float | None:
    """part / whole in percent (one decimal), None when there is nothing to divide."""
    return round(100.0 * part / whole, 1) if whole else None


def last_months(today: dt.date, n: int = 12) -> list[dt.date]:
    """The first days of the last `n` months, oldest first, this month last."""
    months = []
    year, month = today.year, today.month
    for _ in range(n):
        months.append(dt.date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return months[::-1]


def _trend_counts(months: list[dt.date]) -> dict[str, Any]:
    """`found_<i>` (by 发现日期) and `closed_<i>` (closed, by 销号时间's local date) per month."""
    bounds = [*months[1:], _next_month(months[-1])]
    counts: dict[str, Any] = {}
    for i, (start, end) in enumerate(zip(months, bounds, strict=True)):
        counts[f"found_{i}"] = Count("pk", filter=Q(found_on__gte=start, found_on__lt=end))
        counts[f"closed_{i}"] = Count(
            "pk",
            filter=Q(
                closed_at__gte=_local_midnight(start), closed_at__lt=_local_midnight(end), state=State.CLOSED
            ),
        )
    return counts


def _trend_rows(row: dict[str, int], months: list[dt.date]) -> list[dict]:
    return [
        {"month": m, "found": row[f"found_{i}"], "closed": row[f"closed_{i}"]} for i, m in enumerate(months)
    ]


def hazard_trend(user, today: dt.date, n: int = 12) -> list[dict]:
    """Hazards found (by 发现日期) and closed (by 销号时间, local date) in each of the last `n`
    months, in one query: [{"month": date, "found": int, "closed": int}]."""
    months = last_months(today, n)
    # only hazards found or closed within the window can count (lets an index narrow the scan)
    recent = Q(found_on__gte=months[0]) | Q(closed_at__gte=_local_midnight(months[0]))
    row = Hazard.objects.visible_to(user).filter(recent).order_by().aggregate(**_trend_counts(months))
    return _trend_rows(row, months)


def hazard_figures_and_trend(user, today: dt.date, n: int = 12) -> tuple[dict[str, int], list[dict]]:
    """`hazard_figures` and `hazard_trend` together in one query — one pass over the hazards in
    scope instead of two (the dashboard needs both)."""
    months = last_months(today, n)
    figure_counts = _figure_counts(today)
    row = Hazard.objects.visible_to(user).order_by().aggregate(**figure_counts, **_trend_counts(months))
    return {k: row[k] for k in figure_counts}, _trend_rows(row, months)


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + 1, 1, 1) if day.month == 12 else dt.date(day.year, day.month + 1, 1)


def overdue_hazards(user, today: dt.date, limit: int = 8) -> list[Hazard]:
    """The live hazards longest past their deadline (one query)."""
    return list(
        Hazard.objects.visible_to(user)
        .live()
        .filter(deadline__lt=today)
        .select_related("school")
        .order_by("deadline", "pk")[:limit]
    )


def escalated_hazards(user, limit: int = 8) -> list[Hazard]:
    """Live hazards on the 督办 ladder, highest rung first, then the oldest deadline (one query)."""
    return list(
        Hazard.objects.visible_to(user)
        .live()
        .filter(escalation__gte=Escalation.SUPERVISE)
        .select_related("school")
        .order_by("-escalation", "deadline", "pk")[:limit]
    )


def schools_by_risk(user, today: dt.date, limit: int = 10) -> list[School]:
    """Active schools in scope with a positive risk score (RISK_FORMULA), highest first, in one
    query; each carries `major`, `larger`, `general`, `overdue`, `escalation` and `score`.

    The join is restricted to live hazards *before* annotating (a school without any has score 0
    and drops out either way), so the counts aggregate only live rows instead of every hazard."""
    w = RISK_WEIGHTS
    return list(
        School.objects.visible_to(user)
        .filter(is_archived=False, hazards__state__in=LIVE_STATES)
        .annotate(
            major=Count("hazards", filter=Q(hazards__severity=Severity.MAJOR)),
            larger=Count("hazards", filter=Q(hazards__severity=Severity.LARGER)),
            general=Count("hazards", filter=Q(hazards__severity=Severity.GENERAL)),
            overdue=Count("hazards", filter=Q(hazards__deadline__lt=today)),
            escalation=Coalesce(Sum("hazards__escalation"), 0),
        )
        .annotate(
            score=F("major") * w["major"]
            + F("larger") * w["larger"]
            + F("general") * w["general"]
            + F("overdue") * w["overdue"]
            + F("escalation") * w["escalation"]
        )
        .filter(score__gt=0)
        .order_by("-score", "name", "pk")[:limit]
    )


# --- 数据看板: monthly 统计表 submission ---------------------------------------------------------


@dataclass
class Submission:
    """This month's 统计表 over the reporting units in the user's view (the definitions of
    `monthly.selectors.submission_status`: submitted = 已报送 or 已审核通过; late = not
    submitted and the unit's due date has passed)."""

    year: int
    month: int
    due: int = 0
    submitted: int = 0
    accepted: int = 0
    late: int = 0
    due_dates: list[dt.date] = field(default_factory=list)
    late_units: list[tuple[str, dt.date]] = field(default_factory=list)  # (unit name, due date)

    @property
    def not_yet_due(self) -> int:
        return self.due - self.submitted - self.late


def _due_dates(paths: list[str], year: int, month: int) -> dict[str, dt.date]:
    """The due date of (year, month)'s report per region path, as `monthly.due.due_date`
    decides it, in one query: the day is `campaigns.selectors.monthly_due_day`'s for the reported
    month (the nearest region up the tree with a running, non-筹备 campaign covering the month —
    the latest-starting one — else the platform's day), the date is that day of the *following*
    month (每月28日前报送上月…统计表), clamped to its length."""
    from huxiao.campaigns.choices import CampaignStatus
    from huxiao.campaigns.models import Campaign

    last = calendar.monthrange(year, month)[1]
    start, end = dt.date(year, month, 1), dt.date(year, month, last)
    campaigns = list(
        Campaign.objects.covering(start, end)
        .exclude(status=CampaignStatus.DRAFT)
        .values_list("region__path", "start_date", "pk", "monthly_due_day")
    )
    out = {}
    for path in paths:
        covering = [c for c in campaigns if path.startswith(c[0])]
        best = max(covering, key=lambda c: (len(c[0]), c[1], c[2]), default=None)
        day = int(best[3]) if best else int(settings.HUXIAO_MONTHLY_DUE_DAY)
        ny, nm = (year + 1, 1) if month == 12 else (year, month + 1)
        out[path] = dt.date(ny, nm, min(max(day, 1), calendar.monthrange(ny, nm)[1]))
    return out


def report_submission(user, year: int, month: int, today: dt.date, late_limit: int = 6) -> Submission:
    """Reporting units in view, submitted, accepted and late for the month, in 3 queries (units
    grouped by region, the campaigns that set due days, the first late units) — where
    `submission_status` looks the due day up once per region."""
    from huxiao.monthly import units as unit_rules
    from huxiao.monthly.choices import LOCKED_STATES, ReportState
    from huxiao.monthly.models import MonthlyReport
    from huxiao.monthly.selectors import expected_units_q

    units = unit_rules.units_visible_to(user).filter(expected_units_q())
    reports = MonthlyReport.objects.filter(unit=OuterRef("pk"), year=year, month=month)
    locked = Exists(reports.filter(state__in=LOCKED_STATES))
    accepted = Exists(reports.filter(state=ReportState.ACCEPTED))
    rows = list(
        units.order_by()
        .values("region__path")
        .annotate(
            n=Count("pk", distinct=True),
            submitted=Count("pk", filter=Q(locked), distinct=True),
            accepted=Count("pk", filter=Q(accepted), distinct=True),
        )
    )
    dues = _due_dates([r["region__path"] for r in rows], year, month)
    out = Submission(year, month, due_dates=sorted(set(dues.values())))
    late_paths = []
    for r in rows:
        out.due += r["n"]
        out.submitted += r["submitted"]
        out.accepted += r["accepted"]
        if today > dues[r["region__path"]]:
            out.late += r["n"] - r["submitted"]
            late_paths.append(r["region__path"])
    if out.late:
        late = (
            units.filter(region__path__in=late_paths)
            .exclude(locked)
            .order_by("name", "pk")
            .values_list("name", "region__path")[:late_limit]
        )
        out.late_units = [(name, dues[path]) for name, path in late]
    return out
