"""The scope kernel: which organisations a user acts for, with which capabilities, over which
regions — and the one region-keyed query builder every `visible_to` is composed from.

`scope_of(user)` reads the user's active memberships once per request (cached on the user
object) and answers the questions every app asks:

* `has(cap)` — does any of my roles carry `cap`?
* `paths(cap)` / `org_ids(cap)` — the region paths and the units where I hold `cap`;
* `covers(path, cap)` — does a region where I hold `cap` contain `path`?
* `acting_orgs(cap, path=…, units=…)` — for which of my units may I act on a row located at
  `path` (inside its jurisdiction regions) or owned by one of `units` (the school's 派出所, …)?

`region_scope_q(user, cap, path=…, units=…)` is the same rule in SQL. The school-keyed builder
(`schools.scope.school_scope_q`) is this builder with the school's region and its three units;
every model's `visible_to` is one of the two. Views and forms never compute scope: they call
`visible_to`, an `access_*` function, or the querysets here (`regions_within`, `units_of`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db import models
from django.db.models import Q, QuerySet

from huxiao.accounts.models import Membership
from huxiao.accounts.roles import ROLES, Cap
from huxiao.core.models import Organisation, Region
from huxiao.core.regions import ancestors_and_self

NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class Grant:
    """One membership, flattened: the unit, its kind, its region paths and the role's caps."""

    org_id: int
    org_kind: str
    region_paths: tuple[str, ...]
    role: str
    caps: frozenset[str]


@dataclass
class Scope:
    grants: list[Grant] = field(default_factory=list)

    def _with(self, cap: str | None, kinds: Collection[str] | None = None) -> list[Grant]:
        return [
            g
            for g in self.grants
            if (cap is None or cap in g.caps) and (kinds is None or g.org_kind in kinds)
        ]

    def has(self, cap: str) -> bool:
        """Whether any of the user's roles carries `cap` (anywhere)."""
        return any(cap in g.caps for g in self.grants)

    def has_regions(self, cap: str) -> bool:
        """Whether the user holds `cap` over a region (not only over the schools that name a unit)."""
        return any(g.region_paths for g in self._with(cap))

    def paths(self, cap: str | None, *, kinds: Collection[str] | None = None) -> tuple[str, ...]:
        """The region paths of the units (of `kinds`, if given) where the user holds `cap`
        (sorted, each once)."""
        return tuple(sorted({p for g in self._with(cap, kinds) for p in g.region_paths}))

    def org_ids(
        self, cap: str | None = None, *, kind: str | None = None, kinds: Collection[str] | None = None
    ) -> tuple[int, ...]:
        """The user's units in which they hold `cap` (any capability when None), of `kind` or
        `kinds` if given."""
        wanted = {kind} if kind is not None else kinds
        return tuple(sorted({g.org_id for g in self._with(cap, wanted)}))

    def holds(self, org_id: int | None, *caps: str) -> bool:
        """Whether the user holds one of `caps` in unit `org_id` itself."""
        return any(g.org_id == org_id and g.caps & set(caps) for g in self.grants)

    def covers(self, path: str, cap: str | None) -> bool:
        """Whether a region where the user holds `cap` contains the region at `path`."""
        return any(path.startswith(p) for g in self._with(cap) for p in g.region_paths)

    def acting_orgs(
        self,
        cap: str | None,
        *,
        path: str | None = None,
        units: Iterable[int | None] = (),
        kinds: Collection[str] | None = None,
    ) -> list[int]:
        """The user's units (of `kinds`, if given) holding `cap` that reach a row located at
        `path` (inside their jurisdiction regions) or named among the row's `units` — in
        membership order, each once. `region_scope_q` is the same rule in SQL."""
        owners = {u for u in units if u is not None}
        found: list[int] = []
        for g in self._with(cap, kinds):
            if g.org_id in found:
                continue
            if g.org_id in owners or (path is not None and any(path.startswith(p) for p in g.region_paths)):
                found.append(g.org_id)
        return found

    @property
    def roles(self) -> set[str]:
        return {g.role for g in self.grants}

    def role_labels(self) -> list[str]:
        """The user's roles in Chinese, for the top bar."""
        return sorted({ROLES[g.role].label for g in self.grants})

    def fingerprint(self, cap: str | None = None) -> list[list]:
        """The grants carrying `cap` as plain data (unit, role — which fixes the capabilities —
        and jurisdiction regions): what a cached answer or a kept file was computed from."""
        return sorted([g.org_id, g.role, sorted(g.region_paths)] for g in self._with(cap))


def scope_of(user) -> Scope:
    """The user's scope; empty for anonymous or inactive users."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope()
    cached = getattr(user, "_huxiao_scope", None)
    if cached is not None:
        return cached
    memberships = (
        Membership.objects.active()
        .filter(user=user)
        .select_related("organisation")
        .prefetch_related("organisation__jurisdiction_regions")
    )
    grants = [
        Grant(
            org_id=m.organisation_id,
            org_kind=m.organisation.kind,
            region_paths=tuple(
                r.path for r in m.organisation.jurisdiction_regions.all() if not r.is_archived
            ),
            role=m.role,
            caps=ROLES[m.role].caps,
        )
        for m in memberships
    ]
    scope = Scope(grants)
    user._huxiao_scope = scope
    return scope


def forget_scope(user) -> None:
    """Drop the cached scope (after memberships change within one request or test)."""
    if hasattr(user, "_huxiao_scope"):
        del user._huxiao_scope


def region_scope_q(
    user,
    cap: str | None,
    *,
    path: str | None = "region__path",
    units: Sequence[str] = (),
    applying: bool = False,
    kinds: Collection[str] | None = None,
) -> Q:
    """Q over rows keyed by a region: rows whose region (at the lookup `path`) lies inside a
    region where the user holds `cap`, or whose unit fields (`units`, e.g. "police_station")
    name one of the user's units holding `cap`.

    `applying=True` also admits rows whose region *contains* one of the user's regions — a
    setting made higher up that applies to them (a district's staffing standard seen by a
    subdistrict). `kinds` counts only the user's units of those kinds (the sensitive registers:
    police and 政法 units). Nothing when the user holds `cap` nowhere."""
    scope = scope_of(user)
    paths, org_ids = scope.paths(cap, kinds=kinds), scope.org_ids(cap, kinds=kinds)
    if not org_ids:
        return NOTHING
    parts: list[Q] = []
    if path is not None:
        parts += [Q(**{f"{path}__startswith": p}) for p in paths]
        if applying and paths:
            parts.append(Q(**{f"{path}__in": sorted({a for p in paths for a in ancestors_and_self(p)})}))
    parts += [Q(**{f"{unit}__in": org_ids}) for unit in units]
    return reduce(or_, parts) if parts else NOTHING


def regions_within(user, cap: str | None) -> QuerySet[Region]:
    """The live regions inside the user's jurisdiction for `cap` (for a form's region choice)."""
    return Region.objects.filter(region_scope_q(user, cap, path="path"), is_archived=False).order_by("path")


def units_within(user, cap: str | None) -> QuerySet[Organisation]:
    """The live units located inside the regions where the user holds `cap`, and the user's own."""
    own = Q(pk__in=scope_of(user).org_ids(cap))
    return Organisation.objects.filter(region_scope_q(user, cap) | own, is_archived=False)


def units_of(user, cap: str | None = None, *, kind: str | None = None) -> QuerySet[Organisation]:
    """The user's own units in which they hold `cap` (of `kind` if given)."""
    return Organisation.objects.filter(pk__in=scope_of(user).org_ids(cap, kind=kind)).order_by("name")


class RegionSettingQuerySet(models.QuerySet):
    """Settings keyed by a region (a `region` foreign key) that apply to the region and every
    region below it without its own: staffing standards, inspection frequencies, deadline
    policies. A user sees the settings inside their jurisdiction and those made above it that
    apply there; changing one needs the managing capability over its region (the service checks)."""

    def visible_to(self, user, cap: str | None = Cap.SCHOOL_VIEW):
        return self.filter(region_scope_q(user, cap, path="region__path", applying=True))
