"""The facts this app provides to the standards engine: the school's registry entry and its
三防 profile as of a date (`huxiao.core.registry.register_facts`, registered in apps.py).

The schools app owns the data; this module only reads it. One query for a batch of schools.
A profile field left empty (未填报) is given as None, so the engine answers "unknown".

`gather()` is where the engine gets its facts: every registered provider's, then the guard facts
taken from the staff register where the school keeps one (`register_guards`,
`register_guards_total`, `register_houseparents`, given by another app through the registry)
and from the profile's typed numbers otherwise — marked 自报 in the result's evidence.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from huxiao.core import registry
from huxiao.core.registry import Fact
from huxiao.schools.choices import Barrier
from huxiao.schools.models import SecurityProfile
from huxiao.standards import kinds

PROFILE_FACTS = [f for f in SecurityProfile.data_fields() if f not in ("perimeter_barrier",)]

# Facts worked out here from profile fields: a rule reading one reads these fields.
DERIVED_FROM: dict[str, tuple[str, ...]] = {
    "perimeter_closed": ("perimeter_barrier",),
    "guards_all_licensed": ("fulltime_guards", "licensed_guards"),
}

# Where a fact's value came from, by fact key (not a fact itself): the engine shows it beside
# the actual value of every rule that reads the fact.
SOURCES = "fact_sources"
SELF_REPORTED = "自报"

FACTS = [
    Fact("school_type", "学校类型"),
    Fact("students", "在校学生数", "人"),
    Fact("boarders", "寄宿生数", "人"),
    Fact("staff", "教职工数", "人"),
    Fact("headcount", "师生员工总数", "人"),
    Fact("day_students", "非寄宿生数", "人"),
    Fact("profile_version", "三防档案版本"),
    Fact("perimeter_closed", "周界实体屏障"),
    Fact("guards_all_licensed", "专职保安员均持保安员证"),
    *[
        Fact(name, str(getattr(SecurityProfile._meta.get_field(name), "verbose_name", name)))
        for name in PROFILE_FACTS
    ],
]


def end_of_day(on: dt.date) -> dt.datetime:
    """The first instant after `on` in the local time zone (profiles filed that day count)."""
    return timezone.make_aware(dt.datetime.combine(on + dt.timedelta(days=1), dt.time.min))


def profiles_as_of(school_ids, on: dt.date):
    """The profile current at the end of `on` for each school id (one query; `school_ids` may be
    a list or a subquery)."""
    newest = (
        SecurityProfile.objects.filter(school=OuterRef("school"), created_at__lt=end_of_day(on))
        .order_by("-version")
        .values("pk")[:1]
    )
    return SecurityProfile.objects.filter(
        school__in=school_ids, created_at__lt=end_of_day(on), pk=Subquery(newest)
    )


def profile_facts(profile: SecurityProfile | None) -> dict[str, Any]:
    """A profile's facts; every one None when there is no profile."""
    if profile is None:
        out: dict[str, Any] = {name: None for name in PROFILE_FACTS}
        out.update(perimeter_closed=None, guards_all_licensed=None, profile_version=None)
        return out
    out = {name: getattr(profile, name) for name in PROFILE_FACTS}
    if profile.perimeter_height_m is not None:
        out["perimeter_height_m"] = float(profile.perimeter_height_m)
    barrier = profile.perimeter_barrier
    out["perimeter_closed"] = None if not barrier else barrier != Barrier.NONE
    if profile.fulltime_guards is None or profile.licensed_guards is None:
        out["guards_all_licensed"] = None
    else:
        out["guards_all_licensed"] = profile.licensed_guards >= profile.fulltime_guards
    out["profile_version"] = profile.version
    return out


def entry_facts(school) -> dict[str, Any]:
    return {
        "school_type": school.school_type,
        "students": school.students,
        "boarders": school.boarders if school.is_boarding else 0,
        "staff": school.staff,
        "headcount": school.students + school.staff,
        "day_students": school.students - (school.boarders if school.is_boarding else 0),
    }


def school_profile_facts(schools: Sequence[Any], on: dt.date) -> dict[int, dict[str, Any]]:
    """The registry provider: entry + profile facts for a batch of schools (one query)."""
    ids = [s.pk for s in schools]
    profiles = {p.school_id: p for p in profiles_as_of(ids, on)} if ids else {}
    return {s.pk: {**entry_facts(s), **profile_facts(profiles.get(s.pk))} for s in schools}


def gather(schools: Sequence[Any], on: dt.date) -> dict[int, dict[str, Any]]:
    """Every registered fact of each school as of `on`, with the guard facts read from the staff
    register where the school keeps one (`prefer_register`). What the engine evaluates."""
    return {pk: prefer_register(values) for pk, values in registry.school_facts(schools, on).items()}


def prefer_register(values: dict[str, Any]) -> dict[str, Any]:
    """One school's facts with the register's guard counts in place of the profile's typed ones.

    `register_guards` (on-duty 专职保安员 licensed, trained and cleared) becomes `fulltime_guards`,
    and `guards_all_licensed` becomes "every on-duty guard in the register holds a valid 保安员证"
    (the licence only — no check result is ever told through a rule's text); without the
    register facts (no register rows) the profile's numbers stay, marked 自报. Likewise the
    equipment register's working kinds (`register_equipment`) replace the profile's ticked
    `guard_equipment`, and the drill register's 疏散 drills this semester (`register_drills`,
    incidents app) the typed `drills_per_semester`. The source of each is kept under `SOURCES` for the result's evidence."""
    out = dict(values)
    sources: dict[str, str] = {}
    qualified = out.get("register_guards")
    total = out.get("register_guards_total")
    if qualified is not None:
        out["fulltime_guards"] = qualified
        sources["fulltime_guards"] = "据人员名册：仅计持保安员证、经岗前培训、人员审查有效的在岗专职保安员"
    elif out.get("fulltime_guards") is not None:
        sources["fulltime_guards"] = SELF_REPORTED
    licensed = out.get("register_guards_licensed")
    if licensed is not None and total is not None:
        # the licence alone: a check result never shows in a rule's evidence, gap or hazard text
        out["guards_all_licensed"] = licensed == total
        sources["guards_all_licensed"] = (
            f"据人员名册：在岗专职保安员{total}名，其中持有效保安员证{licensed}名"
        )
    elif out.get("guards_all_licensed") is not None:
        sources["guards_all_licensed"] = SELF_REPORTED
    equipment = out.get("register_equipment")
    if equipment is not None:
        out["guard_equipment"] = list(equipment)
        sources["guard_equipment"] = "据装备器械台账：一年内检查、至少一件完好的种类"
    elif out.get("guard_equipment"):
        sources["guard_equipment"] = SELF_REPORTED
    drills = out.get("register_drills")
    if drills is not None:
        out["drills_per_semester"] = drills
        sources["drills_per_semester"] = "据应急演练台账：本学期紧急疏散、消防、地震、防踩踏演练"
    elif out.get("drills_per_semester") is not None:
        sources["drills_per_semester"] = SELF_REPORTED
    if out.get("register_houseparents") is not None:
        sources["register_houseparents"] = "据人员名册"
    else:
        sources["register_houseparents"] = "本校人员名册尚无记录"
    out[SOURCES] = sources
    return out


PROFILE_LABELS: dict[str, str] = {
    name: str(getattr(SecurityProfile._meta.get_field(name), "verbose_name", name)) for name in PROFILE_FACTS
}


def unused_profile_fields(rules: Iterable[Any]) -> list[str]:
    """The profile facts (`PROFILE_FACTS`, in the profile's order) that none of `rules` reads,
    directly or through a fact derived from them — what a school files that no rule judges."""
    read: set[str] = set()
    for rule in rules:
        for key in kinds.facts_read(rule.kind, rule.params):
            read.add(key)
            read.update(DERIVED_FROM.get(key, ()))
    return [name for name in PROFILE_FACTS if name not in read]
