"""The only way a view gets one venue or traffic point: 404 outside the user's scope (existence
is not leaked), 403 when the user's role there lacks the capability."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from huxiao.accounts.roles import Cap
from huxiao.surroundings.models import TrafficPoint, Venue

# A check of a venue, or an observation of a gate, may be recorded by whoever manages the
# surroundings or performs inspections there.
RECORD_CAPS = (Cap.SURROUNDINGS_MANAGE, Cap.INSPECTION_PERFORM)


def access_venue(user, pk, *, caps: tuple[str, ...] = ()) -> Venue:
    """The venue if the user sees it; with `caps`, 403 unless one of them reaches it."""
    venue = Venue.objects.visible_to(user).select_related("region", "department").filter(pk=pk).first()
    if venue is None:
        raise Http404("场所不存在或不在您的管辖范围内。")
    if caps and not any(Venue.objects.visible_to(user, cap).filter(pk=pk).exists() for cap in caps):
        raise PermissionDenied("您的角色不能对该场所进行此项操作。")
    return venue


def can_venue(user, venue: Venue, cap: str) -> bool:
    return Venue.objects.visible_to(user, cap).filter(pk=venue.pk).exists()


def access_point(user, pk, *, caps: tuple[str, ...] = ()) -> TrafficPoint:
    """The traffic point if its school is in scope; with `caps`, 403 unless one reaches it."""
    point = (
        TrafficPoint.objects.visible_to(user)
        .select_related("school__region", "department")
        .filter(pk=pk)
        .first()
    )
    if point is None:
        raise Http404("交通点不存在或不在您的管辖范围内。")
    if caps and not any(can_point(user, point, cap) for cap in caps):
        raise PermissionDenied("您的角色不能对该交通点进行此项操作。")
    return point


def can_point(user, point: TrafficPoint, cap: str) -> bool:
    return TrafficPoint.objects.visible_to(user, cap).filter(pk=point.pk).exists()
