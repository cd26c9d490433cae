"""The facts this app provides to the standards engine: the school's registry entry and its
三防 profile as of a date (`huxiao.core.registry.register_facts`, registered in apps.py).

The schools app owns the data; this module only reads it. One query for a batch of schools.
A profile field left empty (未填报) is given as None, so the engine answers "unknown".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from huxiao.core.registry import Fact
from huxiao.schools.choices import Barrier
from huxiao.schools.models import SecurityProfile

PROFILE_FACTS = [f for f in SecurityProfile.data_fields() if f not in ("perimeter_barrier",)]

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
