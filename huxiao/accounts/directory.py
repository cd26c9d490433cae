"""Writes to regions and organisations (system administrators only)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from huxiao.accounts.roles import Cap
from huxiao.accounts.scope import scope_of
from huxiao.core import audit
from huxiao.core.models import Organisation, Region


def _require(acting_user, cap: str) -> None:
    if acting_user is not None and not scope_of(acting_user).has(cap):
        raise PermissionDenied("您没有管理区划和单位的权限。")


@transaction.atomic
def region_create(
    *, acting_user, code: str, name: str, level: str, parent: Region | None, code_official: bool = True
) -> Region:
    """Add a division under `parent`; its path follows from the parent's."""
    _require(acting_user, Cap.ORG_MANAGE)
    region = Region(code=code, name=name, level=level, parent=parent, code_official=code_official)
    region.path = region.compute_path()
    region.full_clean()
    region.save()
    audit.record(
        actor=acting_user,
        action="region.create",
        obj=region,
        after=audit.snapshot(region),
        region_path=region.path,
    )
    return region


@transaction.atomic
def region_update(*, acting_user, region: Region, name: str, code_official: bool) -> Region:
    """Rename a division (its code and place in the tree are fixed once created)."""
    _require(acting_user, Cap.ORG_MANAGE)
    before = audit.snapshot(region)
    region.name, region.code_official = name, code_official
    region.full_clean()
    region.save(update_fields=["name", "code_official"])
    audit.record(
        actor=acting_user,
        action="region.update",
        obj=region,
        before=before,
        after=audit.snapshot(region),
        region_path=region.path,
    )
    return region


@transaction.atomic
def organisation_create(
    *,
    acting_user,
    name: str,
    kind: str,
    region: Region,
    short_name: str = "",
    parent: Organisation | None = None,
    jurisdiction: list[Region] | None = None,
    phone: str = "",
) -> Organisation:
    """Add an organisation with its home region and (optional) jurisdiction regions."""
    _require(acting_user, Cap.ORG_MANAGE)
    org = Organisation(name=name, kind=kind, region=region, short_name=short_name, parent=parent, phone=phone)
    org.full_clean()
    org.save()
    org.jurisdiction_regions.set(jurisdiction or [])
    audit.record(
        actor=acting_user,
        action="organisation.create",
        obj=org,
        after={**audit.snapshot(org), "jurisdiction": [r.code for r in jurisdiction or []]},
        region_path=region.path,
    )
    return org


@transaction.atomic
def organisation_update(
    *, acting_user, organisation: Organisation, jurisdiction: list[Region] | None = None, **fields
) -> Organisation:
    """Edit an organisation; `jurisdiction` (when given) replaces its jurisdiction regions."""
    _require(acting_user, Cap.ORG_MANAGE)
    before = {
        **audit.snapshot(organisation),
        "jurisdiction": sorted(r.code for r in organisation.jurisdiction_regions.all()),
    }
    for key in ("name", "short_name", "kind", "region", "parent", "phone", "is_archived"):
        if key in fields:
            setattr(organisation, key, fields[key])
    organisation.full_clean()
    organisation.save()
    if jurisdiction is not None:
        organisation.jurisdiction_regions.set(jurisdiction)
    after = {
        **audit.snapshot(organisation),
        "jurisdiction": sorted(r.code for r in organisation.jurisdiction_regions.all()),
    }
    audit.record(
        actor=acting_user,
        action="organisation.update",
        obj=organisation,
        before=before,
        after=after,
        region_path=organisation.region.path,
    )
    return organisation
