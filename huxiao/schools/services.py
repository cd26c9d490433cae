"""Every write to the school registry: one transaction, one audit event (DESIGN §4.2)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from huxiao.accounts.roles import Cap
from huxiao.core import audit
from huxiao.core.errors import ConflictError
from huxiao.core.models import Organisation
from huxiao.lib.dates import cn_datetime
from huxiao.schools.models import School, SecurityProfile

SCHOOL_FIELDS = [
    "name",
    "code",
    "school_type",
    "ownership",
    "is_boarding",
    "students",
    "boarders",
    "staff",
    "principal_name",
    "principal_phone",
    "safety_lead_name",
    "safety_lead_phone",
    "address",
    "latitude",
    "longitude",
    "region",
    "police_station",
    "school_district",
]


def _check_region_in_scope(acting_user, school: School) -> None:
    """A user may only place a school where they could then see and edit it.
    (`acting_user=None` is the system itself: migrations and the demo loader.)"""
    if acting_user is None:
        return
    if not School.objects.visible_to(acting_user, Cap.SCHOOL_EDIT).filter(pk=school.pk).exists():
        raise PermissionDenied("不能把学校登记到您管辖范围以外的区划或单位。")


@transaction.atomic
def school_create(*, acting_user, **fields: Any) -> School:
    """Register a school. The caller must hold `school.edit` over the place it is put."""
    school = School(**{k: v for k, v in fields.items() if k in SCHOOL_FIELDS})
    school.full_clean(exclude=["organisation"])
    school.save()
    _check_region_in_scope(acting_user, school)
    audit.record(
        actor=acting_user,
        action="school.create",
        obj=school,
        after=audit.snapshot(school),
        region_path=school.region.path,
    )
    return school


@transaction.atomic
def school_update(*, acting_user, school: School, expected_version: int, **fields: Any) -> School:
    """Edit a school's registry entry; refuses a stale form (someone saved in between)."""
    current = School.objects.select_for_update().get(pk=school.pk)
    if current.version != expected_version:
        raise ConflictError(
            f"“{current.name}”已在 {cn_datetime(current.updated_at)} 被他人修改"
            f"（当前第{current.version}版），"
            "您的修改未保存。请刷新页面后重新填写。"
        )
    before = audit.snapshot(current)
    for key, value in fields.items():
        if key in SCHOOL_FIELDS:
            setattr(current, key, value)
    current.version += 1
    current.full_clean(exclude=["organisation"])
    current.save()
    _check_region_in_scope(acting_user, current)
    audit.record(
        actor=acting_user,
        action="school.update",
        obj=current,
        before=before,
        after=audit.snapshot(current),
        region_path=current.region.path,
    )
    return current


@transaction.atomic
def school_archive(*, acting_user, school: School, reason: str) -> School:
    """Archive (never delete) a school that closed or merged; a reason is required."""
    if not reason.strip():
        raise ValidationError({"reason": "归档须填写原因。"})
    current = School.objects.select_for_update().get(pk=school.pk)
    current.is_archived = True
    current.version += 1
    current.save(update_fields=["is_archived", "version", "updated_at"])
    audit.record(
        actor=acting_user,
        action="school.archive",
        obj=current,
        before={"is_archived": False},
        after={"is_archived": True, "reason": reason.strip()},
        region_path=current.region.path,
    )
    return current


@transaction.atomic
def school_link_organisation(*, acting_user, school: School, organisation: Organisation) -> School:
    """Attach the school's own unit (used for the school's staff memberships)."""
    before = {"organisation_id": school.organisation_id}
    school.organisation = organisation
    school.save(update_fields=["organisation", "updated_at"])
    audit.record(
        actor=acting_user,
        action="school.link_organisation",
        obj=school,
        before=before,
        after={"organisation_id": organisation.pk},
        region_path=school.region.path,
    )
    return school


def _profile_values(profile: SecurityProfile) -> dict[str, Any]:
    return audit.snapshot(profile, SecurityProfile.data_fields())


@transaction.atomic
def profile_file(
    *, acting_user, school: School, base_version: int | None, change_note: str = "", **values: Any
) -> SecurityProfile:
    """File a new version of the school's 三防 profile.

    `base_version` is the version the user's form started from (None for the first); if a
    newer one exists, the user is told who filed it instead of overwriting it.
    """
    School.objects.select_for_update().filter(pk=school.pk).first()  # serialise filers per school
    current = SecurityProfile.objects.current_for(school)
    current_version = current.version if current else None
    if current_version != base_version:
        who = f"{current.created_by}在 {cn_datetime(current.created_at)} " if current else "他人"
        raise ConflictError(
            f"三防档案已由{who}更新为第{current_version}版，"
            "您的修改未保存。请刷新页面，在最新版本基础上重新填写。"
        )
    profile = SecurityProfile(
        school=school,
        version=(current_version or 0) + 1,
        created_by=acting_user,
        change_note=change_note,
    )
    for key in SecurityProfile.data_fields():
        if key in values:
            setattr(profile, key, values[key])
    profile.full_clean(exclude=["school", "created_by"])
    try:
        with transaction.atomic():
            profile.save()
    except IntegrityError as exc:
        raise ConflictError("三防档案刚被他人更新，您的修改未保存。请刷新页面后重新填写。") from exc
    audit.record(
        actor=acting_user,
        action="profile.file",
        obj=school,
        before=_profile_values(current) if current else None,
        after=_profile_values(profile),
        region_path=school.region.path,
        object_repr=f"{school.name} 三防档案 第{profile.version}版",
    )
    return profile
