"""Reads over the school registry, always scoped to the user."""

from __future__ import annotations

from django.db.models import OuterRef, Subquery

from huxiao.schools.models import School, SecurityProfile


def school_list(user):
    """Schools the user can see, with what the list shows joined in and the current profile
    version annotated (no per-row queries)."""
    latest = SecurityProfile.objects.filter(school=OuterRef("pk")).order_by("-version")
    return (
        School.objects.visible_to(user)
        .select_related("region", "police_station", "school_district")
        .annotate(
            profile_version=Subquery(latest.values("version")[:1]),
            profile_guards=Subquery(latest.values("fulltime_guards")[:1]),
        )
        .order_by("region__path", "name")
    )


def profile_history(school):
    """All versions of a school's profile, newest first, with who filed each."""
    return SecurityProfile.objects.filter(school=school).select_related("created_by").order_by("-version")
