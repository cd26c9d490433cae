"""Single hazards and notices for views (404 outside scope, 403 without the capability), and
the question "for which organisation does this user act here?"."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from huxiao.accounts.scope import scope_of
from huxiao.hazards.models import Hazard, RectificationNotice
from huxiao.schools.models import School


def acting_org_ids(user, school: School, cap: str) -> list[int]:
    """The user's organisations whose memberships carry `cap` and reach `school`."""
    ids = []
    for grant in scope_of(user).grants_with(cap):
        if grant.org_id in ids:
            continue
        in_region = any(school.region.path.startswith(p) for p in grant.region_paths)
        linked = grant.org_id in (school.police_station_id, school.school_district_id, school.organisation_id)
        if in_region or linked:
            ids.append(grant.org_id)
    return ids


def can(user, school: School, cap: str) -> bool:
    return bool(acting_org_ids(user, school, cap))


def access_hazard(user, pk, *, cap: str | None = None) -> Hazard:
    """The hazard if its school is in the user's scope; with `cap`, 403 unless the user holds it there."""
    hazard = (
        Hazard.objects.visible_to(user)
        .select_related(
            "school__region", "school__organisation", "responsible_org", "found_by", "found_by_org"
        )
        .filter(pk=pk)
        .first()
    )
    if hazard is None:
        raise Http404("隐患不存在或不在您的管辖范围内。")
    if cap is not None and not can(user, hazard.school, cap):
        raise PermissionDenied("您的角色不能对该隐患进行此项操作。")
    return hazard


def access_notice(user, pk, *, cap: str | None = None) -> RectificationNotice:
    notice = (
        RectificationNotice.objects.visible_to(user)
        .select_related("issuer", "school__region", "school__organisation", "issued_by", "signed_by")
        .filter(pk=pk)
        .first()
    )
    if notice is None:
        raise Http404("通知书不存在或不在您的管辖范围内。")
    if cap is not None and not can(user, notice.school, cap):
        raise PermissionDenied("您的角色不能对该通知书进行此项操作。")
    return notice


def require_school_cap(user, school: School, cap: str) -> list[int]:
    """The acting organisations, or 403."""
    orgs = acting_org_ids(user, school, cap)
    if not orgs:
        raise PermissionDenied("您的角色不能对该学校进行此项操作。")
    return orgs
