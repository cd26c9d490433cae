"""Reporting units (填报单位) and how they nest: which schools a unit reports for, whom it
reports to (who accepts its report) and which rows its roll-up shows.

    school's own unit ──► its 学区管理中心 (or, without one, the 街道)
    学区管理中心, 派出所 ──► the 街道 平安办 (or 街道办事处 where there is no 平安办)
    街道 ──► the 区 (区委政法委)

The school set of a unit follows the jurisdiction rules of `schools.querysets`: a school's unit
covers itself, a 学区 or 派出所 the schools that name it, a 街道 or 区 body the schools in its
jurisdiction regions. Archived schools are not reported on.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Count, Q, QuerySet

from huxiao.accounts.roles import Cap
from huxiao.accounts.scope import region_scope_q, scope_of
from huxiao.core.choices import SCHOOL_KINDS, OrgKind
from huxiao.core.models import Organisation
from huxiao.core.regions import ancestors_and_self
from huxiao.monthly.choices import UnitLevel
from huxiao.schools.models import School

STREET_KINDS = (OrgKind.SAFETY_OFFICE, OrgKind.SUBDISTRICT_OFFICE)
DISTRICT_KINDS = (OrgKind.POLITICAL_LEGAL,)
REPORTING_KINDS = (
    *SCHOOL_KINDS,
    OrgKind.SCHOOL_DISTRICT,
    OrgKind.POLICE_STATION,
    *STREET_KINDS,
    *DISTRICT_KINDS,
)


def level_of(org: Organisation) -> str | None:
    """The unit's level in the reporting tree, or None for an organisation that does not report."""
    if org.kind in SCHOOL_KINDS:
        return UnitLevel.SCHOOL
    levels: dict[str, str] = {
        OrgKind.SCHOOL_DISTRICT: UnitLevel.XUEQU,
        OrgKind.POLICE_STATION: UnitLevel.POLICE,
        OrgKind.SAFETY_OFFICE: UnitLevel.STREET,
        OrgKind.SUBDISTRICT_OFFICE: UnitLevel.STREET,
        OrgKind.POLITICAL_LEGAL: UnitLevel.DISTRICT,
    }
    return levels.get(org.kind)


def _paths(org: Organisation) -> list[str]:
    return [r.path for r in org.jurisdiction_regions.all() if not r.is_archived]


def schools_q(org: Organisation, prefix: str = "") -> Q:
    """Q over schools the unit reports for (see the module docstring)."""
    level = level_of(org)
    if level == UnitLevel.SCHOOL:
        return Q(**{f"{prefix}organisation_id": org.pk})
    if level == UnitLevel.XUEQU:
        return Q(**{f"{prefix}school_district_id": org.pk})
    if level == UnitLevel.POLICE:
        return Q(**{f"{prefix}police_station_id": org.pk})
    paths = _paths(org)
    if level in (UnitLevel.STREET, UnitLevel.DISTRICT) and paths:
        return reduce(or_, [Q(**{f"{prefix}region__path__startswith": p}) for p in paths])
    return Q(**{f"{prefix}pk__in": []})


def schools_of(org: Organisation) -> QuerySet[School]:
    """The active schools the unit reports for."""
    return School.objects.filter(schools_q(org), is_archived=False)


def _prefixes(path: str) -> list[str]:
    return ancestors_and_self(path)


def _covering(kinds, path: str) -> Organisation | None:
    """The active organisation of `kinds` whose jurisdiction covers `path` most closely."""
    candidates = (
        Organisation.objects.active()
        .filter(kind__in=kinds, jurisdiction_regions__path__in=_prefixes(path))
        .values_list("pk", "kind", "jurisdiction_regions__path")
    )
    best = None
    for pk, kind, jpath in candidates:
        # deeper jurisdiction first; a 平安办 before a 街道办事处 on the same patch
        rank = (len(jpath), kind == OrgKind.SAFETY_OFFICE)
        if best is None or rank > best[0]:
            best = (rank, pk)
    return Organisation.objects.get(pk=best[1]) if best else None


def street_of(path: str) -> Organisation | None:
    """The 街道 unit (平安办, else 办事处) whose jurisdiction covers a region path."""
    return _covering(STREET_KINDS, path)


def parent_of(org: Organisation) -> Organisation | None:
    """The unit that accepts or returns `org`'s report; None at the top (the 区)."""
    level = level_of(org)
    if level == UnitLevel.SCHOOL:
        school = School.objects.filter(organisation=org).select_related("school_district", "region").first()
        if school is None:
            return None
        return school.school_district or street_of(school.region.path)
    if level in (UnitLevel.XUEQU, UnitLevel.POLICE):
        return street_of(org.region.path)
    if level == UnitLevel.STREET:
        return _covering(DISTRICT_KINDS, org.region.path)
    return None


@dataclass
class ChildRow:
    """One row of a roll-up: a child unit (or a school without a unit of its own, or the
    schools no child covers) and the Q over its schools."""

    label: str
    q: Q
    org: Organisation | None = None
    school_count: int = 0
    group: str = ""  # "" for the rows that partition the parent; "派出所" for the overlapping group


def children_of(org: Organisation) -> list[ChildRow]:
    """The roll-up rows of a unit. Rows of the main group partition the unit's schools (so
    their computed figures add up to the total); 派出所 rows of a 街道 come as a second group,
    because a school belongs to both a 学区 and a 派出所."""
    level = level_of(org)
    mine = schools_of(org)
    rows: list[ChildRow] = []
    if level in (UnitLevel.XUEQU, UnitLevel.POLICE):
        for school in mine.select_related("organisation").order_by("name"):
            rows.append(ChildRow(school.name, Q(pk=school.pk), school.organisation, 1))
    elif level == UnitLevel.STREET:
        xuequ = (
            Organisation.objects.filter(kind=OrgKind.SCHOOL_DISTRICT, district_schools__in=mine)
            .annotate(n=Count("district_schools", distinct=True))
            .order_by("name")
        )
        for unit in xuequ:
            rows.append(ChildRow(unit.name, Q(school_district=unit), unit, unit.n))
        for school in (
            mine.filter(school_district__isnull=True).select_related("organisation").order_by("name")
        ):
            rows.append(ChildRow(school.name, Q(pk=school.pk), school.organisation, 1))
        police = (
            Organisation.objects.filter(kind=OrgKind.POLICE_STATION, police_schools__in=mine)
            .annotate(n=Count("police_schools", distinct=True))
            .order_by("name")
        )
        for unit in police:
            rows.append(ChildRow(unit.name, Q(police_station=unit), unit, unit.n, group="派出所"))
    elif level == UnitLevel.DISTRICT:
        covered: list[Q] = []
        # the street units inside the district's patch only, and the schools counted per region
        # path once: a fixed number of queries however many streets the platform holds
        own = _paths(org)
        streets = (
            Organisation.objects.active()
            .filter(kind__in=STREET_KINDS)
            .filter(reduce(or_, [Q(jurisdiction_regions__path__startswith=p) for p in own], Q(pk__in=[])))
            .distinct()
            .prefetch_related("jurisdiction_regions")
            .order_by("region__path", "name")
        )
        per_path = dict(
            mine.values("region__path").annotate(n=Count("pk")).order_by().values_list("region__path", "n")
        )
        seen_paths: set[str] = set()
        for unit in sorted(streets, key=lambda u: u.kind != OrgKind.SAFETY_OFFICE):
            paths = tuple(_paths(unit))
            if not paths or set(paths) <= seen_paths:  # one street unit per patch (平安办 first)
                continue
            q = schools_q(unit)
            n = sum(count for path, count in per_path.items() if path.startswith(paths))
            if not n:
                continue
            seen_paths |= set(paths)
            rows.append(ChildRow(unit.name, q, unit, n))
            covered.append(q)
        rest = mine.exclude(reduce(or_, covered)) if covered else mine
        rest_count = rest.count()
        if rest_count:
            rows.append(ChildRow("其他（未归属街道的学校）", Q(pk__in=rest.values("pk")), None, rest_count))
    return rows


def units_visible_q(user) -> Q:
    """Q over reporting units whose reports the user may read: their own units, the school units
    of the schools a 学区 or 派出所 names, and every unit located in a region the user's
    organisation has jurisdiction over (街道, 区)."""
    units = ["pk", "school__school_district", "school__police_station"]
    return region_scope_q(user, Cap.SCHOOL_VIEW, units=units) & Q(kind__in=REPORTING_KINDS, is_archived=False)


def units_visible_to(user) -> QuerySet[Organisation]:
    return Organisation.objects.filter(units_visible_q(user)).distinct()


def can_submit(user, unit: Organisation) -> bool:
    """The user holds 报送月报 in the unit itself."""
    return scope_of(user).holds(unit.pk, Cap.REPORT_SUBMIT)


def can_approve(user, unit: Organisation, parent: Organisation | None = None) -> bool:
    """The user holds 审核月报 in the unit's parent (who accepts or returns its report)."""
    parent = parent if parent is not None else parent_of(unit)
    if parent is None:
        return False
    return scope_of(user).holds(parent.pk, Cap.REPORT_APPROVE)
