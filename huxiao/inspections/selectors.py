"""Reads across inspections: the register, the semester frequency per school (page, school
facts for the standards engine) and the monthly-report columns. Counts are aggregated in SQL,
one query per batch of schools, never one per school."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from huxiao.accounts.models import User
from huxiao.accounts.roles import ROLES, Cap
from huxiao.core.models import Organisation, Region
from huxiao.core.regions import nearest
from huxiao.core.semesters import Semester, current_or_last
from huxiao.inspections.access import POLICE_ORG_KINDS
from huxiao.inspections.choices import SUPERVISION_KINDS, Kind
from huxiao.inspections.models import FrequencyRule, Inspection
from huxiao.schools.models import School
from huxiao.schools.scope import units_reaching

DEFAULT_SUPERVISION_MIN = 2  # 方案：“每学期对校园安全督导检查不少于2次”
DEFAULT_SELF_MIN = 2  # research/regulations.md insp.school_self (宁波 第10条), same wording


def inspection_register(user) -> QuerySet[Inspection]:
    return Inspection.objects.visible_to(user).select_related("school", "checklist__template", "lead_org")


def semester_counts(school_ids: Iterable[int], start: dt.date, end: dt.date) -> dict[int, dict[str, int]]:
    """{school id: {"supervision": n, "self": n}} of submitted inspections dated in [start, end]."""
    out: dict[int, dict[str, int]] = {sid: {"supervision": 0, "self": 0} for sid in school_ids}
    rows = (
        Inspection.objects.submitted()
        .between(start, end)
        .filter(school_id__in=list(out))
        .values("school_id")
        .annotate(
            supervision=Count("pk", filter=Q(kind__in=SUPERVISION_KINDS)),
            own=Count("pk", filter=Q(kind=Kind.SELF)),
        )
    )
    for row in rows:
        out[row["school_id"]] = {"supervision": row["supervision"], "self": row["own"]}
    return out


def _rules() -> dict[str, FrequencyRule]:
    """Every rule (a small table) by region path."""
    return {r.region.path: r for r in FrequencyRule.objects.select_related("region")}


def _minimums(path: str, rules: dict[str, FrequencyRule]) -> tuple[int, int]:
    """(supervision minimum, self minimum) of the nearest rule above the region `path`, else 2/2."""
    found = nearest(rules, path)
    if found is None:
        return DEFAULT_SUPERVISION_MIN, DEFAULT_SELF_MIN
    rule = found[1]
    return rule.supervision_min, rule.self_min


def required_for(schools: Sequence[School]) -> dict[int, tuple[int, int]]:
    """{school id: (supervision minimum, self minimum)} from the nearest region's rule, else 2/2.
    Schools must come with `region` loaded."""
    rules = _rules()
    return {school.pk: _minimums(school.region.path, rules) for school in schools}


@dataclass
class FrequencyRow:
    school: School
    supervision: int
    own: int
    supervision_min: int
    self_min: int

    @property
    def supervision_short(self) -> bool:
        return self.supervision < self.supervision_min

    @property
    def self_short(self) -> bool:
        return self.own < self.self_min

    @property
    def below(self) -> bool:
        return self.supervision_short or self.self_short


def frequency(user, on: dt.date, *, below_only: bool = False) -> tuple[Semester, list[FrequencyRow]]:
    """Each active school in the user's scope with this semester's counts (up to `on`) and the
    required minimums; `below_only` keeps the schools short of either."""
    semester = current_or_last(on)
    schools = list(
        School.objects.visible_to(user, Cap.SCHOOL_VIEW).active().select_related("region").order_by("name")
    )
    counts = semester_counts([s.pk for s in schools], semester.start, min(on, semester.end))
    required = required_for(schools)
    rows = [
        FrequencyRow(s, counts[s.pk]["supervision"], counts[s.pk]["self"], *required[s.pk]) for s in schools
    ]
    if below_only:
        rows = [r for r in rows if r.below]
    return semester, rows


@dataclass(frozen=True)
class ShortSchool:
    pk: int
    name: str
    supervision: int
    supervision_min: int


@dataclass(frozen=True)
class SupervisionSummary:
    """How many schools meet this semester's supervision minimum, and the ones furthest below."""

    semester: Semester
    schools: int
    below_count: int
    below: list[ShortSchool]  # the first `limit`, fewest inspections first, then by name

    @property
    def met(self) -> int:
        return self.schools - self.below_count


def supervision_summary(user, on: dt.date, *, limit: int = 8) -> SupervisionSummary:
    """`frequency`'s supervision half for the dashboard, for any number of schools (3 queries):
    the schools as (id, name, region path) tuples instead of model instances, the counts grouped
    in SQL over a subquery of the scope instead of a list of ids."""
    semester = current_or_last(on)
    schools = School.objects.visible_to(user, Cap.SCHOOL_VIEW).active()
    rows = list(schools.values_list("pk", "name", "region__path"))
    counts = dict(
        Inspection.objects.submitted()
        .between(semester.start, min(on, semester.end))
        .filter(school__in=schools.values("pk"), kind__in=SUPERVISION_KINDS)
        .values("school_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("school_id", "n")
    )
    rules = _rules()
    below = []
    for pk, name, path in rows:
        minimum = _minimums(path, rules)[0]
        if counts.get(pk, 0) < minimum:
            below.append(ShortSchool(pk, name, counts.get(pk, 0), minimum))
    below.sort(key=lambda r: (r.supervision, r.name))
    return SupervisionSummary(semester, len(rows), len(below), below[:limit])


# --- School facts for the standards engine (core.registry) ------------------------------------


def facts_provider(schools: Sequence, on: dt.date) -> dict[int, dict[str, int]]:
    """`supervision_inspections_semester` and `self_inspections_semester` as of `on`: submitted
    inspections dated from the start of `on`'s semester (or the last one, in a vacation) to `on`."""
    semester = current_or_last(on)
    counts = semester_counts([s.pk for s in schools], semester.start, min(on, semester.end))
    return {
        sid: {"supervision_inspections_semester": c["supervision"], "self_inspections_semester": c["self"]}
        for sid, c in counts.items()
    }


# --- Monthly-report columns (core.registry) ----------------------------------------------------


def _figure_counts() -> dict:
    """抽查 and 核查 led by a police unit are 公安核查; led by anyone else (学区, 平安办, 职能部门), 抽查."""
    police = Q(lead_org__kind__in=POLICE_ORG_KINDS)
    checks = (Kind.SPOT, Kind.VERIFY)
    return {
        "insp_self": Count("pk", filter=Q(kind=Kind.SELF)),
        "insp_spot": Count("pk", filter=Q(kind__in=checks) & ~police),
        "insp_police": Count("pk", filter=Q(kind__in=checks) & police),
        "insp_joint": Count("pk", filter=Q(kind=Kind.JOINT)),
        "insp_supervision": Count("pk", filter=Q(kind=Kind.SUPERVISION)),
    }


def _in_period(schools: QuerySet, start: dt.date, end: dt.date) -> QuerySet:
    return Inspection.objects.submitted().between(start, end).filter(school__in=schools.values("pk"))


def figures_provider(schools: QuerySet, start: dt.date, end: dt.date) -> dict[str, int]:
    """Submitted inspections dated in [start, end] at `schools` (a subquery), by kind."""
    row = _in_period(schools, start, end).aggregate(**_figure_counts())
    return {k: int(v or 0) for k, v in row.items()}


def figures_by_school(schools: QuerySet, start: dt.date, end: dt.date) -> dict[int, dict[str, int]]:
    """`figures_provider` per school (one grouped query)."""
    rows = _in_period(schools, start, end).values("school_id").annotate(**_figure_counts()).order_by()
    return {row.pop("school_id"): {k: int(v or 0) for k, v in row.items()} for row in rows}


def inspectors_for(school: School, org_ids=None):
    """Active users who may inspect `school`: members, with an inspecting role, of an
    organisation that reaches it (limited to `org_ids` when given)."""
    roles = [code for code, r in ROLES.items() if Cap.INSPECTION_PERFORM in r.caps]
    orgs = units_reaching(school) if org_ids is None else Organisation.objects.filter(pk__in=org_ids)
    return (
        User.objects.filter(
            is_active=True,
            memberships__is_active=True,
            memberships__role__in=roles,
            memberships__organisation__in=orgs,
        )
        .distinct()
        .order_by("full_name", "pk")
    )


def inspectors_in(region: Region):
    """Active users with an inspecting role in a unit located inside `region` (schools excepted)."""
    roles = [code for code, r in ROLES.items() if Cap.INSPECTION_PERFORM in r.caps]
    return (
        User.objects.filter(
            is_active=True,
            memberships__is_active=True,
            memberships__role__in=roles,
            memberships__organisation__region__in=Region.objects.subtree(region.path),
        )
        .exclude(memberships__organisation__kind__in=["school", "kindergarten"])
        .distinct()
        .order_by("full_name")
    )
