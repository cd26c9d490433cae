"""This app's columns of the monthly 统计表 (`research/regulations.md` §3), registered in
`MonthlyConfig.ready()`: the baseline of the school registry (section A), the hazard loop
(section B, items 11–13) and the manual columns for what the platform cannot know yet (the
key-person and dispute columns, items 16–17, are computed by the people app).

Definitions (docs/monthly.md says the same for users). The period is [start, end]; figures
"at month end" are taken at `as_of` = min(end, today), i.e. today for the month in progress.
A hazard's state at a moment is the `to_state` of its last timeline event before that moment
(so a past month is counted as it stood then, even if the hazard has moved on since).

* 发现隐患数 `haz_found`: hazards with `found_on` in the period whose state at `as_of` is not
  不予立案; by category `haz_found_<category>`, and of them 重大 `haz_found_major`.
* 下发整改通知书 `haz_notices`: notices issued in the period.
* 已整改销号 `haz_closed`: hazards 已销号 at `as_of` whose closing happened in the period (a
  hazard closed and reopened within the month is not counted).
* 累计在办 `haz_live`: hazards live (待核实/待整改/整改中/待验收) at `as_of`.
* 逾期未整改 `haz_overdue`: live at `as_of` with a deadline before `as_of` (the deadline as it
  stood then: an extension approved later is undone).
* 应整改隐患数 `haz_rectify_base` = 本月销号 + 月末在办 (= 月初在办 + 本月新增 − 本月不予立案,
  plus hazards reopened in the month), and 整改率 `haz_rectify_rate` = 本月销号 / 应整改隐患数:
  the share of the month's workload that was closed, never above 100 %, and a ratio of two
  sums, so it rolls up exactly.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from huxiao.core.registry import SECTION_A, SECTION_B, SECTION_C, Column, register_figures
from huxiao.hazards.choices import LIVE_STATES, Category, ExtensionState, Severity, State
from huxiao.hazards.models import ExtensionRequest, Hazard, HazardEvent, RectificationNotice
from huxiao.schools.models import School


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def as_of(end: dt.date) -> dt.date:
    """The day "month end" figures are taken: the month's last day, or today while it runs."""
    return min(end, timezone.localdate())


# --- Section A: the school registry -------------------------------------------------------

BASE_COLUMNS = [
    Column("base_schools", "学校（幼儿园）总数", SECTION_A, 10, "所"),
    Column("base_kindergartens", "其中：幼儿园", SECTION_A, 11, "所"),
    Column("base_boarding", "其中：寄宿制学校", SECTION_A, 12, "所"),
    Column("base_students", "在校学生（幼儿）数", SECTION_A, 20, "人"),
    Column("base_staff", "教职工数", SECTION_A, 21, "人"),
    Column("base_boarders", "寄宿生数", SECTION_A, 22, "人"),
]


def _base_aggregates() -> dict:
    return {
        "base_schools": Count("pk"),
        "base_kindergartens": Count("pk", filter=Q(school_type="kindergarten")),
        "base_boarding": Count("pk", filter=Q(is_boarding=True)),
        "base_students": Sum("students"),
        "base_staff": Sum("staff"),
        "base_boarders": Sum("boarders"),
    }


def base_figures(schools: QuerySet, start: dt.date, end: dt.date) -> dict[str, int]:
    """The active schools as the registry holds them when counted (one query). The registry
    keeps no history of head-counts, so a live table shows today's registry and a submitted
    one what it was at submission (frozen in the snapshot)."""
    row = School.objects.filter(pk__in=schools.values("pk"), is_archived=False).aggregate(
        **_base_aggregates()
    )
    return {k: int(v or 0) for k, v in row.items()}


def base_by_school(schools: QuerySet, start: dt.date, end: dt.date) -> dict[int, dict[str, int]]:
    """`base_figures` per school (one query)."""
    rows = (
        School.objects.filter(pk__in=schools.values("pk"), is_archived=False)
        .values("pk")
        .annotate(**_base_aggregates())
        .order_by()
    )
    return {row.pop("pk"): {k: int(v or 0) for k, v in row.items()} for row in rows}


# --- Section B: the hazard loop -----------------------------------------------------------

HAZARD_COLUMNS = [
    Column("haz_found", "发现隐患数", SECTION_B, 110, "处"),
    *[
        Column(f"haz_found_{c.value}", f"其中：{c.label}", SECTION_B, 111 + i, "处")
        for i, c in enumerate(Category)
    ],
    Column("haz_found_major", "其中：重大隐患", SECTION_B, 111 + len(Category), "处"),
    Column("haz_notices", "下发整改通知书", SECTION_B, 125, "份"),
    Column("haz_closed", "已整改销号", SECTION_B, 130, "处"),
    Column("haz_overdue", "逾期未整改", SECTION_B, 131, "处"),
    Column("haz_rectify_base", "应整改隐患数（本月销号＋月末在办）", SECTION_B, 132, "处"),
    Column("haz_rectify_rate", "整改率", SECTION_B, 133, "%", ratio=("haz_closed", "haz_rectify_base")),
    Column("haz_live", "累计在办隐患数", SECTION_B, 134, "处"),
]


def _state_at(moment: dt.datetime, field: str = "to_state") -> Subquery:
    return Subquery(
        HazardEvent.objects.filter(hazard=OuterRef("pk"), at__lt=moment)
        .exclude(to_state="")
        .order_by("-at", "-pk")
        .values(field)[:1]
    )


def _hazard_rows(schools: QuerySet, start: dt.date, day: dt.date) -> tuple[QuerySet, dict]:
    """The hazards found by `day` at `schools`, annotated with their state, the time they
    entered it and their deadline as they stood at the end of `day`; and the aggregates."""
    t_start, t_end = _start_of(start), _start_of(day + dt.timedelta(days=1))
    deadline_then = Coalesce(
        Subquery(
            ExtensionRequest.objects.filter(
                hazard=OuterRef("pk"), state=ExtensionState.APPROVED, decided_at__gte=t_end
            )
            .order_by("decided_at", "pk")
            .values("old_deadline")[:1]
        ),
        F("deadline"),
    )
    hazards = Hazard.objects.filter(school__in=schools.values("pk"), found_on__lte=day).annotate(
        st=_state_at(t_end), st_at=_state_at(t_end, "at"), dl=deadline_then
    )
    found = Q(found_on__gte=start) & ~Q(st=State.DISMISSED)
    live = Q(st__in=LIVE_STATES)
    aggregates = {
        "haz_found": Count("pk", filter=found),
        "haz_found_major": Count("pk", filter=found & Q(severity=Severity.MAJOR)),
        "haz_closed": Count("pk", filter=Q(st=State.CLOSED, st_at__gte=t_start)),
        "haz_live": Count("pk", filter=live),
        "haz_overdue": Count("pk", filter=live & Q(dl__lt=day)),
    }
    for c in Category:
        aggregates[f"haz_found_{c.value}"] = Count("pk", filter=found & Q(category=c.value))
    return hazards, aggregates


def _notices(schools: QuerySet, start: dt.date, end: dt.date) -> QuerySet:
    return RectificationNotice.objects.filter(
        school__in=schools.values("pk"),
        issued_at__gte=_start_of(start),
        issued_at__lt=_start_of(end + dt.timedelta(days=1)),
    )


def _hazard_zeros() -> dict[str, int]:
    return {c.key: 0 for c in HAZARD_COLUMNS if c.ratio is None}


def hazard_figures(schools: QuerySet, start: dt.date, end: dt.date) -> dict[str, int]:
    """Items 11–13 over the schools for the period (two queries whatever the number of schools)."""
    day = as_of(end)
    if day < start:  # the period has not begun
        return _hazard_zeros()
    hazards, aggregates = _hazard_rows(schools, start, day)
    values = _aggregate_over(
        hazards.values("pk", "st", "st_at", "dl", "found_on", "category", "severity"), aggregates
    )
    values["haz_rectify_base"] = values["haz_closed"] + values["haz_live"]
    values["haz_notices"] = _notices(schools, start, end).count()
    return values


def hazard_by_school(schools: QuerySet, start: dt.date, end: dt.date) -> dict[int, dict[str, int]]:
    """`hazard_figures` per school (two grouped queries); schools with nothing are absent."""
    day = as_of(end)
    if day < start:
        return {}
    hazards, aggregates = _hazard_rows(schools, start, day)
    out: dict[int, dict[str, int]] = {}
    for row in hazards.values("school_id").annotate(**aggregates).order_by():
        values = {k: int(v or 0) for k, v in row.items() if k != "school_id"}
        values["haz_rectify_base"] = values["haz_closed"] + values["haz_live"]
        out[row["school_id"]] = values
    notices = _notices(schools, start, end).values("school_id").annotate(n=Count("pk")).order_by()
    for row in notices:
        out.setdefault(row["school_id"], _hazard_zeros())["haz_notices"] = row["n"]
    for values in out.values():
        values.setdefault("haz_notices", 0)
    return out


def _aggregate_over(rows: QuerySet, aggregates: dict) -> dict[str, int]:
    result = rows.aggregate(**aggregates)
    return {k: int(v or 0) for k, v in result.items()}


# --- Manual columns -----------------------------------------------------------------------

MANUAL_COLUMNS = [
    Column("m_law_vice_principals", "法治副校长配备数", SECTION_A, 90, "名", manual=True),
    Column("m_hotspots_fixed", "整治周边治安乱点数", SECTION_B, 180, "处", manual=True),
    Column("m_checks_hire", "教职员工入职查询人数", SECTION_B, 220, "人", manual=True),
    Column("m_checks_onjob", "教职员工在职查询人数", SECTION_B, 221, "人", manual=True),
    Column("m_checks_unfit", "查出不宜从业人数", SECTION_B, 222, "人", manual=True),
    Column("m_text_major", "重大事项", SECTION_C, 230, manual=True),
    Column("m_text_practice", "典型做法", SECTION_C, 231, manual=True),
    Column("m_text_problems", "存在问题", SECTION_C, 232, manual=True),
    Column("m_text_plan", "下月计划", SECTION_C, 233, manual=True),
]


def register() -> None:
    register_figures(BASE_COLUMNS, base_figures, per_school=base_by_school)
    register_figures(HAZARD_COLUMNS, hazard_figures, per_school=hazard_by_school)
    register_figures(MANUAL_COLUMNS, None)
