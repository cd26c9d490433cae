"""What the duty app contributes to the standards engine and the monthly 统计表
(`core.registry`), registered in `DutyConfig.ready()`."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from huxiao.core.registry import SECTION_A, SECTION_B, Column, Fact
from huxiao.duty import coverage
from huxiao.duty.models import PatrolLog

FACTS = [Fact("has_duty_post", "已设护学岗")]

# Orders follow research/regulations.md §3 (item × 10 + position); a rate shares its numerator's
# order and sorts after it by key.
COVERAGE_COLUMNS = [
    Column("duty_posts_required", "护学岗应设数", SECTION_A, 80, "所"),
    Column("duty_posts_set", "护学岗已设数", SECTION_A, 81, "所"),
    Column(
        "duty_setup_rate", "护学岗设置率", SECTION_A, 81, "%", ratio=("duty_posts_set", "duty_posts_required")
    ),
    Column("duty_periods_required", "护学岗应执勤时段数", SECTION_B, 140, "个"),
    Column("duty_periods_staffed", "护学岗达标执勤时段数", SECTION_B, 141, "个"),
    Column(
        "duty_staffing_rate",
        "护学岗执勤率",
        SECTION_B,
        141,
        "%",
        ratio=("duty_periods_staffed", "duty_periods_required"),
    ),
    Column("duty_police_times", "护学岗出动民警人次", SECTION_B, 142, "人次"),
    Column("duty_aux_times", "护学岗出动辅警人次", SECTION_B, 143, "人次"),
    Column("duty_guard_times", "护学岗保安人次", SECTION_B, 144, "人次"),
    Column("duty_teacher_times", "护学岗教师人次", SECTION_B, 145, "人次"),
    Column("duty_volunteer_times", "护学岗家长志愿者人次", SECTION_B, 146, "人次"),
    Column("duty_car_times", "护学岗警车台次", SECTION_B, 147, "台次"),
]
PATROL_COLUMNS = [Column("duty_patrols", "校园周边巡逻次数", SECTION_B, 150, "次")]
COLUMNS = COVERAGE_COLUMNS + PATROL_COLUMNS


def facts_provider(schools, on: dt.date) -> dict[int, dict[str, bool]]:
    """`has_duty_post` for a batch of schools: one query."""
    return {pk: {"has_duty_post": value} for pk, value in coverage.has_post(schools, on).items()}


def _tally_figures(tally: coverage.Tally) -> dict[str, int]:
    return {
        "duty_posts_required": tally.schools,
        "duty_posts_set": tally.schools_with_post,
        "duty_periods_required": tally.required,
        "duty_periods_staffed": tally.staffed,
        **{key: int(tally.times.get(key, 0) or 0) for key in coverage.TIMES_FIELDS.values()},
    }


def coverage_figures(schools: QuerySet, start: dt.date, end: dt.date) -> dict[str, int]:
    """The month's 护学岗 columns over a set of schools (coverage.totals: four queries)."""
    return _tally_figures(coverage.totals(schools, start, end))


def coverage_by_school(schools: QuerySet, start: dt.date, end: dt.date) -> dict[int, dict[str, int]]:
    """`coverage_figures` per school (coverage.by_school: four grouped queries)."""
    return {pk: _tally_figures(t) for pk, t in coverage.by_school(schools, start, end).items()}


def patrol_figures(schools: QuerySet, start: dt.date, end: dt.date) -> dict[str, int]:
    """Patrols logged in the range at any of the schools — a patrol past two schools counts once,
    so this column is counted per set of schools, never summed from schools (one query)."""
    patrols = (
        PatrolLog.objects.filter(
            started_at__date__gte=start, started_at__date__lte=end, schools__in=schools.values("pk")
        )
        .values("pk")
        .distinct()
        .count()
    )
    return {"duty_patrols": patrols}


def figures_provider(schools: QuerySet, start: dt.date, end: dt.date) -> dict[str, int]:
    """The month's duty columns over a set of schools: a handful of aggregate queries."""
    return {**coverage_figures(schools, start, end), **patrol_figures(schools, start, end)}
