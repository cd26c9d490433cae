"""The only way a view gets a single school or profile version (DESIGN §4.1).

Outside the user's scope → 404 (existence is not leaked); in scope but the user's role there
lacks the capability → 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from huxiao.accounts.roles import Cap
from huxiao.schools.models import School, SecurityProfile


def access_school(user, pk, *, write: bool = False, cap: str = Cap.SCHOOL_EDIT) -> School:
    """The school `pk` if the user may see it (and, with `write`, hold `cap` over it)."""
    school = (
        School.objects.visible_to(user)
        .select_related("region", "police_station", "school_district", "organisation")
        .filter(pk=pk)
        .first()
    )
    if school is None:
        raise Http404("学校不存在或不在您的管辖范围内。")
    if write and not School.objects.visible_to(user, cap).filter(pk=school.pk).exists():
        raise PermissionDenied("您的角色对该学校只有查看权限。")
    return school


def access_profile_version(user, school_pk, version: int) -> SecurityProfile:
    """One historical version of a school's profile, read-only."""
    school = access_school(user, school_pk)
    profile = (
        SecurityProfile.objects.filter(school=school, version=version).select_related("created_by").first()
    )
    if profile is None:
        raise Http404("该版本不存在。")
    return profile
