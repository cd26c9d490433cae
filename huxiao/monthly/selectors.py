"""Reads of the monthly 统计表: a unit's table for a month (live or frozen), roll-ups with
drill-down, submission status and the late list. Other apps (dashboards) use
`submission_status(user, year, month)` and `rollup(unit_org, year, month)`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from huxiao.accounts.scope import scope_of
from huxiao.core import registry
from huxiao.core.models import Organisation
from huxiao.core.registry import SECTION_C, Column
from huxiao.monthly import units as unit_rules
from huxiao.monthly.choices import ReportState, UnitLevel
from huxiao.monthly.due import due_date, is_ended, month_bounds, prev_month
from huxiao.monthly.figures import as_of
from huxiao.monthly.models import MonthlyReport
from huxiao.schools.models import School

Value = int | str | None


def columns() -> list[Column]:
    """Every registered column, in table order."""
    return registry.columns()


def columns_for(unit: Organisation) -> list[Column]:
    """The columns of this unit's table: a school's own table leaves out those not `for_schools`."""
    if unit_rules.level_of(unit) == UnitLevel.SCHOOL:
        return [c for c in columns() if c.for_schools]
    return columns()


def is_text(column: Column) -> bool:
    return column.section == SECTION_C


def numeric_columns(unit: Organisation | None = None) -> list[Column]:
    return [c for c in (columns_for(unit) if unit is not None else columns()) if not is_text(c)]


def with_rates(values: dict[str, Value]) -> dict[str, Any]:
    """`values` plus every ratio column computed from them (percent, or None)."""
    out: dict[str, Any] = dict(values)
    for c in columns():
        if c.ratio is not None:
            out[c.key] = registry.rate({k: v for k, v in values.items() if isinstance(v, int)}, c)
    return out


def live_end(year: int, month: int, on: dt.date | None = None) -> dt.date:
    """The last day a live table counts: min(month end, `on`), `on` being today unless given.
    Every live table — detail, roll-up, export — and the submission itself use it, so the
    figures reviewed in a draft are the figures frozen when it is submitted."""
    return min(month_bounds(year, month)[1], on or timezone.localdate())


def computed(schools, year: int, month: int, on: dt.date | None = None) -> dict[str, int]:
    """Every computed column over `schools` for the month up to `live_end` (a submission dated
    in the past counts what was known that day; a month in progress, what is known today)."""
    return registry.figures(schools, month_bounds(year, month)[0], live_end(year, month, on))


def _sum_manual(rows: list[dict[str, Value]]) -> dict[str, int]:
    """Sum of the numeric manual values over rows; a column no row filled in stays absent."""
    out: dict[str, int] = {}
    for c in columns():
        if c.manual and not is_text(c):
            vals = [r.get(c.key) for r in rows if isinstance(r.get(c.key), int)]
            if vals:
                out[c.key] = sum(vals)  # type: ignore[arg-type]
    return out


def resolve_manual(entered: dict[str, Value], defaults: dict[str, int]) -> dict[str, Value]:
    """A unit's manual values: what it entered, else (numbers only) its children's total."""
    out: dict[str, Value] = {}
    for c in columns():
        if not c.manual:
            continue
        value = entered.get(c.key)
        if value in (None, "") and not is_text(c):
            value = defaults.get(c.key)
        out[c.key] = value if value not in ("",) else None
    return out


@dataclass
class Table:
    """One unit's 统计表 for one month, as it stands (frozen if submitted, live otherwise)."""

    unit: Organisation
    year: int
    month: int
    report: MonthlyReport | None
    values: dict[str, Any]  # every column, rates included
    live: bool
    as_of: dt.date
    manual_defaults: dict[str, int] = field(default_factory=dict)

    @property
    def state(self) -> str:
        return self.report.state if self.report else ReportState.DRAFT

    @property
    def state_label(self) -> str:
        return self.report.get_state_display() if self.report else "未填报"


def child_reports(unit: Organisation, year: int, month: int, rows=None) -> dict[int, MonthlyReport]:
    rows = rows if rows is not None else unit_rules.children_of(unit)
    ids = [r.org.pk for r in rows if r.org is not None]
    return {
        r.unit_id: r
        for r in MonthlyReport.objects.filter(unit_id__in=ids, year=year, month=month).select_related("unit")
    }


def manual_defaults(unit: Organisation, year: int, month: int, rows=None, reports=None) -> dict[str, int]:
    """What a roll-up unit's manual columns default to: the total of its main rows' *submitted*
    manual figures (drafts can still change, so they are not carried up). A 街道's 派出所 rows
    cover the same schools as its 学区 rows, so they are shown but never added in."""
    if unit_rules.level_of(unit) == UnitLevel.SCHOOL:
        return {}
    rows = rows if rows is not None else unit_rules.children_of(unit)
    reports = reports if reports is not None else child_reports(unit, year, month, rows)
    main = {r.org.pk for r in rows if r.org is not None and not r.group}
    return _sum_manual(
        [r.snapshot["values"] for uid, r in reports.items() if uid in main and r.is_locked and r.snapshot]
    )


def unit_table(
    unit: Organisation,
    year: int,
    month: int,
    report: MonthlyReport | None = None,
    on: dt.date | None = None,
    figures: dict[str, int] | None = None,
) -> Table:
    """The unit's table: the snapshot when submitted, else live figures (up to `live_end`:
    min(month end, `on` or today), as a submission would freeze them) plus its manual values.
    `figures`: the live figures when the caller has them already (the roll-up computes them
    with its rows)."""
    if report is None:
        report = MonthlyReport.objects.filter(unit=unit, year=year, month=month).first()
    if report is not None and report.is_locked and report.snapshot:
        snap = report.snapshot
        return Table(
            unit, year, month, report, with_rates(snap["values"]), False, dt.date.fromisoformat(snap["as_of"])
        )
    defaults = manual_defaults(unit, year, month)
    if figures is None:
        figures = computed(unit_rules.schools_of(unit), year, month, on)
    shown = {c.key for c in columns_for(unit)}
    values: dict[str, Value] = {k: v for k, v in figures.items() if k in shown}
    values.update(resolve_manual(report.manual if report else {}, defaults))
    day = as_of(live_end(year, month, on))
    return Table(unit, year, month, report, with_rates(values), True, day, defaults)


def snapshot_of(table: Table) -> dict[str, Any]:
    """What is frozen on submission: the unit, period, school set, columns and every value.
    Its canonical JSON is what the content hash covers."""
    start, end = month_bounds(table.year, table.month)
    school_ids = sorted(unit_rules.schools_of(table.unit).values_list("pk", flat=True))
    cols = columns_for(table.unit)
    return {
        "unit": {"id": table.unit.pk, "name": table.unit.name},
        "period": {
            "year": table.year,
            "month": table.month,
            "start": start.isoformat(),
            "end": end.isoformat(),
        },
        "as_of": table.as_of.isoformat(),
        "schools": school_ids,
        "columns": [
            {"key": c.key, "label": c.label, "section": c.section, "unit": c.unit, "manual": c.manual}
            for c in cols
            if c.ratio is None
        ],
        "values": {c.key: table.values.get(c.key) for c in cols if c.ratio is None},
    }


def delta(current: dict[str, Any], previous: dict[str, Any]) -> dict[str, Any]:
    """Change per numeric column against last month (None where either side is unknown)."""
    out: dict[str, Any] = {}
    for c in numeric_columns():
        a, b = current.get(c.key), previous.get(c.key)
        if isinstance(a, int | float) and isinstance(b, int | float):
            out[c.key] = round(a - b, 1) if c.ratio else a - b
        else:
            out[c.key] = None
    return out


def previous_table(unit: Organisation, year: int, month: int) -> Table:
    return unit_table(unit, *prev_month(year, month))


# --- Roll-up ------------------------------------------------------------------------------


@dataclass
class Row:
    label: str
    org: Organisation | None
    values: dict[str, Any]
    live: bool
    state_label: str
    school_count: int
    group: str = ""
    report: MonthlyReport | None = None


@dataclass
class Rollup:
    """A parent's table: a row per child unit and the parent's own total."""

    unit: Organisation
    year: int
    month: int
    rows: list[Row]
    total: Table
    previous: dict[str, Any]
    change: dict[str, Any]

    @property
    def groups(self) -> list[tuple[str, list[Row]]]:
        main = [r for r in self.rows if not r.group]
        other = [r for r in self.rows if r.group]
        return [("", main)] + ([(other[0].group, other)] if other else [])


TOTAL = "total"  # the roll-up's own row in `registry.figures_of_groups`


def rollup(unit_org: Organisation, year: int, month: int) -> Rollup:
    """Each child's row — its submitted values if submitted, else live figures marked
    「未报送（实时数据）」 — and the unit's own total: the figures over the union of its schools
    (equal to the sum of the main group's rows, which partition them).

    The live rows and the total are computed together (`registry.figures_of_groups`): columns
    that sum over schools are read once per school over the union, the others once per row."""
    child_rows = unit_rules.children_of(unit_org)
    reports = child_reports(unit_org, year, month, child_rows)
    frozen = {
        i: report
        for i, child in enumerate(child_rows)
        if child.org
        and (report := reports.get(child.org.pk)) is not None
        and report.is_locked
        and report.snapshot
    }
    union = unit_rules.schools_of(unit_org)
    groups: dict[Any, Any] = {
        i: School.objects.filter(child.q, is_archived=False)
        for i, child in enumerate(child_rows)
        if i not in frozen
    }
    own = MonthlyReport.objects.filter(unit=unit_org, year=year, month=month).first()
    if not (own is not None and own.is_locked and own.snapshot):
        groups[TOTAL] = union
    live = registry.figures_of_groups(groups, union, month_bounds(year, month)[0], live_end(year, month))
    rows: list[Row] = []
    for i, child in enumerate(child_rows):
        report = reports.get(child.org.pk) if child.org else None
        if i in frozen:
            rows.append(
                Row(
                    child.label,
                    child.org,
                    with_rates((frozen[i].snapshot or {})["values"]),
                    False,
                    frozen[i].get_state_display(),
                    child.school_count,
                    child.group,
                    frozen[i],
                )
            )
            continue
        values: dict[str, Value] = dict(live[i])
        values.update(resolve_manual(report.manual if report else {}, {}))
        label = "未报送（实时数据）" if child.org else "无填报单位（实时数据）"
        if report is not None and report.state == ReportState.RETURNED:
            label = "已退回（实时数据）"
        rows.append(
            Row(
                child.label,
                child.org,
                with_rates(values),
                True,
                label,
                child.school_count,
                child.group,
                report,
            )
        )
    total = unit_table(unit_org, year, month, report=own, figures=live.get(TOTAL))
    previous = previous_table(unit_org, year, month).values
    return Rollup(unit_org, year, month, rows, total, previous, delta(total.values, previous))


# --- Submission status and the late list --------------------------------------------------


def expected_units_q() -> Q:
    """Units that owe a report to a parent: every reporting unit but the 区 at the top, and a
    school's unit only while its school is active."""
    from huxiao.core.choices import SCHOOL_KINDS

    return Q(kind__in=[k for k in unit_rules.REPORTING_KINDS if k not in unit_rules.DISTRICT_KINDS]) & (
        ~Q(kind__in=SCHOOL_KINDS) | Q(school__isnull=False, school__is_archived=False)
    )


class DueDates:
    """Due dates per region for one month (monthly_due_day is called once per region)."""

    def __init__(self, year: int, month: int):
        self.year, self.month = year, month
        self._cache: dict[int, dt.date] = {}

    def of(self, unit: Organisation) -> dt.date:
        if unit.region_id not in self._cache:
            self._cache[unit.region_id] = due_date(unit.region, self.year, self.month)
        return self._cache[unit.region_id]


@dataclass
class UnitStatus:
    unit: Organisation
    report: MonthlyReport | None
    due: dt.date
    today: dt.date
    year: int
    month: int

    @property
    def submitted(self) -> bool:
        return self.report is not None and self.report.is_locked

    @property
    def accepted(self) -> bool:
        return self.report is not None and self.report.state == ReportState.ACCEPTED

    @property
    def late(self) -> bool:
        """Not submitted and the due date has passed."""
        return not self.submitted and self.today > self.due

    @property
    def submitted_late(self) -> bool:
        r = self.report
        return bool(self.submitted and r and r.submitted_at and timezone.localdate(r.submitted_at) > self.due)

    @property
    def ended(self) -> bool:
        """Whether the reported month is over (before that the report cannot be submitted)."""
        return is_ended(self.year, self.month, self.today)

    @property
    def days_left(self) -> int:
        return (self.due - self.today).days

    @property
    def state_label(self) -> str:
        return self.report.get_state_display() if self.report else "未填报"

    @property
    def state(self) -> str:
        return self.report.state if self.report else "none"


def statuses(units, year: int, month: int, dues: DueDates | None = None) -> list[UnitStatus]:
    """Status of each unit for the month (one query for the reports; the due date is looked
    up once per region — pass `dues` to share the look-ups between calls)."""
    units = list(units)
    reports = {
        r.unit_id: r
        for r in MonthlyReport.objects.filter(unit__in=[u.pk for u in units], year=year, month=month)
    }
    dues, today = dues or DueDates(year, month), timezone.localdate()
    return [UnitStatus(u, reports.get(u.pk), dues.of(u), today, year, month) for u in units]


@dataclass
class SubmissionStatus:
    year: int
    month: int
    due: list[UnitStatus]
    submitted: list[UnitStatus]
    accepted: list[UnitStatus]
    late: list[UnitStatus]

    def counts(self) -> dict[str, int]:
        return {k: len(getattr(self, k)) for k in ("due", "submitted", "accepted", "late")}


def submission_status(user, year: int, month: int) -> SubmissionStatus:
    """For a dashboard: the units in the user's view that owe a report for the month, and
    which of them have submitted, been accepted, or are late (not submitted, due date passed)."""
    units = (
        unit_rules.units_visible_to(user)
        .filter(expected_units_q())
        .select_related("region")
        .order_by("region__path", "kind", "name")
    )
    rows = statuses(units, year, month)
    return SubmissionStatus(
        year,
        month,
        rows,
        [s for s in rows if s.submitted],
        [s for s in rows if s.accepted],
        [s for s in rows if s.late],
    )


def parents_bulk(units: list[Organisation]) -> dict[int, Organisation | None]:
    """`units.parent_of` for many units, with lookups shared per 学区 and per region path."""
    school_units = {
        o.pk: o
        for o in Organisation.objects.filter(
            pk__in=[u.pk for u in units], school__isnull=False
        ).select_related("school__school_district", "school__region")
    }
    by_path: dict[tuple[str, str], Organisation | None] = {}
    out: dict[int, Organisation | None] = {}
    for u in units:
        level = unit_rules.level_of(u)
        if level == UnitLevel.SCHOOL:
            school = getattr(school_units.get(u.pk), "school", None)
            if school is None:
                out[u.pk] = None
                continue
            if school.school_district_id:
                out[u.pk] = school.school_district
                continue
            key = ("street", school.region.path)
        elif level in (UnitLevel.XUEQU, UnitLevel.POLICE):
            key = ("street", u.region.path)
        elif level == UnitLevel.STREET:
            key = ("district", u.region.path)
        else:
            out[u.pk] = None
            continue
        if key not in by_path:
            by_path[key] = (
                unit_rules.street_of(key[1])
                if key[0] == "street"
                else unit_rules._covering(unit_rules.DISTRICT_KINDS, key[1])
            )
        out[u.pk] = by_path[key]
    return out


def late_list(user, year: int, month: int) -> list[tuple[Organisation | None, list[UnitStatus]]]:
    """Units in the user's view that had not submitted by the due date (still missing, or
    submitted after it), grouped by the parent unit they report to."""
    status = submission_status(user, year, month)
    late = [s for s in status.due if s.late or s.submitted_late]
    parents = parents_bulk([s.unit for s in late])
    groups: dict[int | None, list[UnitStatus]] = {}
    heads: dict[int | None, Organisation | None] = {}
    for s in late:
        parent = parents.get(s.unit.pk)
        key = parent.pk if parent else None
        groups.setdefault(key, []).append(s)
        heads[key] = parent
    return [
        (heads[k], groups[k])
        for k in sorted(groups, key=lambda k: (k is None, getattr(heads[k], "name", "")))
    ]


def report_units(user) -> tuple[list[Organisation], QuerySet[Organisation]]:
    """The reporting units of the 月度统计表 list: the user's own (shown first, with their history;
    none listed apart for a user in 20 units or more) and every other unit in their view."""
    visible = (
        unit_rules.units_visible_to(user)
        .filter(expected_units_q() | Q(kind__in=unit_rules.DISTRICT_KINDS))
        .select_related("region")
        .order_by("region__path", "kind", "name")
    )
    own_ids = scope_of(user).org_ids()
    own = [u for u in visible.filter(pk__in=own_ids)] if len(own_ids) < 20 else []
    return own, visible.exclude(pk__in=own_ids)


def report_history(
    units: list[Organisation], last: tuple[int, int], months: int
) -> list[tuple[Organisation, list[tuple[int, int, MonthlyReport | None]]]]:
    """Each unit's reports of the `months` months up to `last`, newest first (one query)."""
    if not units:
        return []
    wanted = []
    y, m = last
    for _ in range(months):
        wanted.append((y, m))
        y, m = prev_month(y, m)
    months_q = reduce(or_, [Q(year=y, month=m) for y, m in wanted])
    reports = {
        (r.unit_id, r.year, r.month): r for r in MonthlyReport.objects.filter(months_q, unit__in=units)
    }
    return [(u, [(y, m, reports.get((u.pk, y, m))) for y, m in wanted]) for u in units]
