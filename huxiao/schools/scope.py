"""The school-keyed half of the scope kernel: a school is reached through its region (inside a
unit's jurisdiction regions) or through the three units it names — its 派出所, its 学区 and
its own unit (`SCHOOL_UNITS`). The SQL form (`school_scope_q`, for every school-keyed model's
`visible_to` with a `prefix`) and the Python form (`school_org_ids`, for "for which of my units
do I act at this school?") are both built from `SCHOOL_UNITS` and the kernel in
`accounts.scope`, and a property test holds them equal on random scopes.

The registers that only some units may read pass `kinds=` — one of the unit-kind sets below,
shared by every app that narrows a capability to the school, its 学区 or the police.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from huxiao.accounts.roles import Cap
from huxiao.accounts.scope import region_scope_q, scope_of
from huxiao.core.choices import SCHOOL_KINDS as SCHOOL_KINDS  # re-exported beside the other kinds
from huxiao.core.choices import OrgKind
from huxiao.core.models import Organisation, Region
from huxiao.core.regions import ancestors_and_self

# The units a school names; each reaches the school without any region.
SCHOOL_UNITS = ("police_station", "school_district", "organisation")

# Kinds of unit for `kinds=`: the school's own (`SCHOOL_KINDS`, a 学校 or 幼儿园, imported from
# `core.choices`), its 学区, the police, and the 学区 and the police together (those who read a
# school's counts but never a name).
DISTRICT_KINDS = frozenset({OrgKind.SCHOOL_DISTRICT})
POLICE_KINDS = frozenset({OrgKind.POLICE_STATION, OrgKind.PUBLIC_SECURITY_BUREAU})
COUNTING_KINDS = DISTRICT_KINDS | POLICE_KINDS


def school_scope_q(
    user, cap: str | None = Cap.SCHOOL_VIEW, prefix: str = "", *, kinds: Collection[str] | None = None
) -> Q:
    """Q over schools (or, with `prefix="school__"`, rows keyed by a school) that the user
    reaches through memberships carrying `cap` (in units of `kinds` only, if given — the staff
    register: the school itself and its 学区)."""
    return region_scope_q(
        user,
        cap,
        path=f"{prefix}region__path",
        units=[f"{prefix}{unit}" for unit in SCHOOL_UNITS],
        kinds=kinds,
    )


def school_org_ids(
    user,
    school,
    cap: str | None,
    *,
    also: Iterable[int | None] = (),
    kinds: Collection[str] | None = None,
) -> list[int]:
    """The user's units holding `cap` that reach `school` (`also`: further units that own the row,
    e.g. the station running a 护学岗 post; `kinds`: only units of those kinds)."""
    units = [getattr(school, f"{unit}_id") for unit in SCHOOL_UNITS]
    return scope_of(user).acting_orgs(cap, path=school.region.path, units=[*units, *also], kinds=kinds)


def units_reaching(school) -> QuerySet[Organisation]:
    """The live units that reach `school` (whoever holds a capability in them acts there): the
    units it names and those whose jurisdiction regions contain its region — `school_scope_q`
    read the other way round."""
    named = [getattr(school, f"{unit}_id") for unit in SCHOOL_UNITS]
    return Organisation.objects.filter(
        Q(pk__in=[n for n in named if n])
        | Q(jurisdiction_regions__path__in=ancestors_and_self(school.region.path)),
        is_archived=False,
    ).distinct()


def can_act_at(user, school, cap: str | None) -> bool:
    return bool(school_org_ids(user, school, cap))


def require_school_cap(user, school, cap: str) -> list[int]:
    """The acting units, or 403."""
    orgs = school_org_ids(user, school, cap)
    if not orgs:
        raise PermissionDenied("您的角色不能对该学校进行此项操作。")
    return orgs


def regions_reached(user, cap: str) -> QuerySet[Region]:
    """Live regions a record kept by the user's units (holding `cap`) may be placed in: inside
    their jurisdiction regions, or the regions of the schools they reach (a 派出所 has no region
    of its own — it reaches its schools)."""
    from huxiao.accounts.scope import regions_within
    from huxiao.schools.models import School

    school_regions = School.objects.visible_to(user, cap).values("region_id")
    within = regions_within(user, cap).values("pk")
    return Region.objects.filter(Q(pk__in=school_regions) | Q(pk__in=within), is_archived=False).order_by(
        "path"
    )
