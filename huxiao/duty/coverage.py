"""Coverage arithmetic (DESIGN: proven by records, never claimed): over a set of schools and a
date range, how many peak periods were required and how many were staffed as required.

* **Required** = for each active period of each active post, the school days in the range on
  or after the post's 设岗日期 on which the period runs (its weekdays; a 调休 make-up weekend
  day runs every period). Computed from one grouped query over periods — (weekdays, 设岗日期,
  group) with a count — times the school-day counts of the range (`core.semesters`), so the
  work grows with the number of distinct schedules, not schools × days.
* **Staffed** = records of those same (post, period, school day) slots whose counts meet the
  post's resolved minimums (`staffing.minimum_expr`: the regions' minimums resolved in Python
  once per region of the schools, one query, then a plain CASE in SQL). 补录 records count as staffed and
  are also counted separately.
* **Set-up** = active schools with an active post that has at least one active period.

Only `school_scope`-filtered school querysets come in; the callers apply the user's scope.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from huxiao.core.semesters import school_days
from huxiao.duty.models import DutyPeriod, DutyPost, DutyRecord
from huxiao.duty.staffing import annotate_minimums, meets_q, minimums_by_region

TIMES_FIELDS = {
    "police": "duty_police_times",
    "aux_police": "duty_aux_times",
    "guards": "duty_guard_times",
    "teachers": "duty_teacher_times",
    "volunteers": "duty_volunteer_times",
    "cars": "duty_car_times",
}


@dataclass
class Tally:
    """Coverage figures of one unit (a school, a station, a region) over a range."""

    schools: int = 0
    schools_with_post: int = 0
    required: int = 0
    staffed: int = 0
    backfilled: int = 0  # staffed records that were 补录
    recorded: int = 0  # records on required slots, staffed or not
    times: dict[str, int] = field(default_factory=dict)

    def add(self, other: Tally) -> None:
        self.schools += other.schools
        self.schools_with_post += other.schools_with_post
        self.required += other.required
        self.staffed += other.staffed
        self.backfilled += other.backfilled
        self.recorded += other.recorded
        for key, value in other.times.items():
            self.times[key] = self.times.get(key, 0) + value

    @property
    def setup_rate(self) -> float | None:
        return round(100.0 * self.schools_with_post / self.schools, 1) if self.schools else None

    @property
    def staffing_rate(self) -> float | None:
        return round(100.0 * self.staffed / self.required, 1) if self.required else None

    @property
    def gaps(self) -> int:
        return self.required - self.staffed


@dataclass(frozen=True)
class Calendar:
    """The school days of a range, split the way periods need them."""

    days: tuple[dt.date, ...]

    @classmethod
    def of(cls, start: dt.date, end: dt.date) -> Calendar:
        return cls(tuple(school_days(start, end)) if start <= end else ())

    @staticmethod
    def is_make_up(day: dt.date) -> bool:
        """A school day on a Saturday or Sunday is a 调休 make-up day (ordinary timetable)."""
        return day.weekday() >= 5

    def slots(self, weekdays: int, since: dt.date) -> int:
        """How many school days from `since` on a period with these weekdays runs."""
        return sum(
            1 for d in self.days if d >= since and (self.is_make_up(d) or weekdays & (1 << d.weekday()))
        )

    def runs_q(self) -> Q:
        """Over records: the record's day is a school day on which its period runs."""
        make_up = [d for d in self.days if self.is_make_up(d)]
        parts = [Q(date__in=make_up)] if make_up else []
        by_weekday: dict[int, list[dt.date]] = defaultdict(list)
        for d in self.days:
            if not self.is_make_up(d):
                by_weekday[d.weekday()].append(d)
        for weekday, days in by_weekday.items():
            parts.append(Q(date__in=days) & Q(**{f"wd{weekday}__gt": 0}))
        return reduce(or_, parts) if parts else Q(pk__in=[])


def _active_periods(schools: QuerySet) -> QuerySet:
    return DutyPeriod.objects.filter(
        is_active=True, post__is_active=True, post__school__in=schools, post__school__is_archived=False
    )


def _set_up(on: dt.date) -> Exists:
    """Over schools: the school has an active post, set up by `on`, with an active period."""
    return Exists(
        DutyPeriod.objects.filter(
            post__school=OuterRef("pk"), is_active=True, post__is_active=True, post__active_from__lte=on
        )
    )


def _required(schools: QuerySet, cal: Calendar, start: dt.date, group: str | None) -> dict:
    keys = [group] if group else []
    rows = (
        _active_periods(schools)
        .values(*keys, "weekdays", "post__active_from")
        .annotate(n=Count("id"))
        .order_by()
    )
    out: dict = defaultdict(int)
    for row in rows:
        since = max(start, row["post__active_from"])
        out[row[group] if group else None] += row["n"] * cal.slots(row["weekdays"], since)
    return out


def _slot_q(cal: Calendar) -> Q:
    """Over records annotated with `wd0`…`wd6`: the record is on a required slot — active period
    and post of an active school, a school day the period runs, on or after the post's 设岗日期."""
    return (
        Q(
            post__school__is_archived=False,
            post__is_active=True,
            period__is_active=True,
            date__gte=F("post__active_from"),
        )
        & cal.runs_q()
    )


def _counts(schools: QuerySet, start: dt.date, end: dt.date, cal: Calendar, group: str | None) -> dict:
    """One scan of the records dated in [start, end] at `schools` (two queries: the minimums of
    the schools' regions, then the counts): the 人次 of every record (school day or not — a duty
    stood is a duty stood), and over those on required slots how many were recorded, staffed as
    required and 补录."""
    records = DutyRecord.objects.filter(post__school__in=schools, date__gte=start, date__lte=end)
    counts: dict = {key: Coalesce(Sum(name), 0) for name, key in TIMES_FIELDS.items()}
    if cal.days:
        records = annotate_minimums(
            records.annotate(**{f"wd{w}": F("period__weekdays").bitand(1 << w) for w in range(7)}),
            minimums_by_region(schools),
        )
        slot = _slot_q(cal)
        counts |= {
            "recorded": Count("id", filter=slot),
            "staffed": Count("id", filter=slot & meets_q()),
            "backfilled": Count("id", filter=slot & meets_q() & Q(is_backfilled=True)),
        }
    if group is None:
        return {None: records.aggregate(**counts)}
    return {row.pop(group): row for row in records.values(group).annotate(**counts).order_by()}


def _times_of(row: dict) -> dict[str, int]:
    return {key: row.get(key, 0) for key in TIMES_FIELDS.values()}


def totals(schools: QuerySet, start: dt.date, end: dt.date) -> Tally:
    """One Tally for the whole set of schools over [start, end] — four queries (schools and
    set-up schools, required periods, the regions' minimums, the records' counts)."""
    cal = Calendar.of(start, end)
    counts = schools.filter(is_archived=False).aggregate(
        n=Count("pk"), set_up=Count("pk", filter=Q(_set_up(end)))
    )
    row = _counts(schools, start, end, cal, None)[None]
    return Tally(
        schools=counts["n"],
        schools_with_post=counts["set_up"],
        required=_required(schools, cal, start, None).get(None, 0),
        staffed=row.get("staffed") or 0,
        backfilled=row.get("backfilled") or 0,
        recorded=row.get("recorded") or 0,
        times=_times_of(row),
    )


def by_school(schools: QuerySet, start: dt.date, end: dt.date) -> dict[int, Tally]:
    """A Tally per active school (four queries; callers roll schools up to stations or regions)."""
    cal = Calendar.of(start, end)
    set_up = dict(schools.filter(is_archived=False).annotate(set_up=_set_up(end)).values_list("pk", "set_up"))
    required = _required(schools, cal, start, "post__school_id")
    counts = _counts(schools, start, end, cal, "post__school_id")
    out = {}
    for pk, is_set_up in set_up.items():
        row = counts.get(pk, {})
        out[pk] = Tally(
            schools=1,
            schools_with_post=int(is_set_up),
            required=required.get(pk, 0),
            staffed=row.get("staffed", 0),
            backfilled=row.get("backfilled", 0),
            recorded=row.get("recorded", 0),
            times=_times_of(row) if row else {},
        )
    return out


def roll_up(per_school: dict[int, Tally], key_of: dict[int, object]) -> dict[object, Tally]:
    """Sum school tallies by a key (a station id, a child region …); schools without a key drop out."""
    out: dict[object, Tally] = defaultdict(Tally)
    for school_id, tally in per_school.items():
        key = key_of.get(school_id)
        if key is not None:
            out[key].add(tally)
    return dict(out)


def has_post(schools, on: dt.date) -> dict[int, bool]:
    """The `has_duty_post` fact: an active post set up by `on` with at least one active period."""
    ids = [s.pk for s in schools]
    found = set(
        DutyPost.objects.filter(
            school_id__in=ids, is_active=True, active_from__lte=on, periods__is_active=True
        )
        .values_list("school_id", flat=True)
        .distinct()
    )
    return {pk: pk in found for pk in ids}
