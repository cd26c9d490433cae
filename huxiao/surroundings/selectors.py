"""Reads that span models: the venue register, one venue's file, the map's features, the
monthly figures (registry columns 180–182) and links from a hazard back to its source."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django.conf import settings
from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse

from huxiao.hazards.models import Hazard
from huxiao.schools.models import School
from huxiao.surroundings.choices import CheckResult, Congestion
from huxiao.surroundings.models import (
    TrafficObservation,
    TrafficPoint,
    Venue,
    VenueCheck,
    VenueSchool,
)


def venue_register(user) -> QuerySet[Venue]:
    """Venues the user sees, each with its nearest school, its number of nearby schools and
    its last check (subqueries, so a page is a fixed number of queries)."""
    nearest = VenueSchool.objects.filter(venue=OuterRef("pk")).order_by("distance_m", "pk")
    last_check = VenueCheck.objects.filter(venue=OuterRef("pk")).order_by("-checked_on", "-pk")
    school_count = (
        VenueSchool.objects.filter(venue=OuterRef("pk"))
        .order_by()
        .values("venue")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Venue.objects.visible_to(user)
        .select_related("region", "department")
        .annotate(
            nearest_school=Subquery(nearest.values("school__name")[:1]),
            nearest_distance=Subquery(nearest.values("distance_m")[:1]),
            school_count=Coalesce(Subquery(school_count, output_field=IntegerField()), 0),
            last_checked_on=Subquery(last_check.values("checked_on")[:1]),
            last_result=Subquery(last_check.values("result")[:1]),
        )
    )


def point_register(user) -> QuerySet[TrafficPoint]:
    last = TrafficObservation.objects.filter(point=OuterRef("pk")).order_by("-observed_at", "-pk")
    return (
        TrafficPoint.objects.visible_to(user)
        .select_related("school", "department")
        .annotate(
            last_observed_at=Subquery(last.values("observed_at")[:1]),
            last_congestion=Subquery(last.values("congestion")[:1]),
        )
    )


@dataclass
class CheckRow:
    check: VenueCheck
    hazards: list[Hazard]


def venue_checks(venue: Venue) -> list[CheckRow]:
    """A venue's checks, newest first, each with the hazards it raised."""
    checks = list(
        VenueCheck.objects.filter(venue=venue)
        .select_related("inspector", "inspector_org", "school")
        .prefetch_related("photos")
    )
    refs = [c.hazard_ref for c in checks]
    hazards: dict[str, list[Hazard]] = {}
    for h in Hazard.objects.filter(source_ref__in=refs).select_related("school").order_by("pk"):
        hazards.setdefault(h.source_ref, []).append(h)
    return [CheckRow(c, hazards.get(c.hazard_ref, [])) for c in checks]


def point_observations(
    point: TrafficPoint, limit: int = 50
) -> list[tuple[TrafficObservation, Hazard | None]]:
    observations = list(
        TrafficObservation.objects.filter(point=point).select_related("observer", "observer_org")[:limit]
    )
    by_ref = {
        h.source_ref: h for h in Hazard.objects.filter(source_ref__in=[o.hazard_ref for o in observations])
    }
    return [(o, by_ref.get(o.hazard_ref)) for o in observations]


# --- The map ---------------------------------------------------------------------------------------


def _posts_for_map(user) -> list[dict[str, Any]] | None:
    """护学岗 posts from the duty app, when it offers them (None: the layer does not exist yet)."""
    try:
        module = import_module("huxiao.duty.selectors")
    except ImportError:
        return None
    posts_for_map = getattr(module, "posts_for_map", None)
    if posts_for_map is None:
        return None
    out = []
    for post in posts_for_map(user):
        get = post.get if isinstance(post, dict) else lambda k, p=post: getattr(p, k, None)
        lat = get("lat") if get("lat") is not None else get("latitude")
        lng = get("lng") if get("lng") is not None else get("longitude")
        if lat is None or lng is None:
            continue
        school = get("school")
        school_name = str(getattr(school, "name", school)) if school else ""
        lines = [f"学校：{school_name}"] if school_name else []
        if get("approximate"):
            lines.append("未登记岗位坐标，按学校位置显示")
        out.append(
            {
                "layer": "post",
                "id": get("id"),
                "name": f"{school_name}·{get('name')}" if school_name else str(get("name")),
                "lat": float(lat),
                "lng": float(lng),
                "url": get("url") or "",
                "lines": lines,
            }
        )
    return out


def map_config(user) -> dict[str, Any]:
    """Everything the map page draws, for the user's scope: schools (with the linking radius),
    护学岗 posts, venues and traffic points, plus the tile source if one is configured."""
    features: list[dict[str, Any]] = []
    schools = (
        School.objects.visible_to(user)
        .active()
        .filter(latitude__isnull=False, longitude__isnull=False)
        .only("pk", "name", "address", "latitude", "longitude")
    )
    for s in schools:
        features.append(
            {
                "layer": "school",
                "id": s.pk,
                "name": s.name,
                "lat": float(s.latitude),
                "lng": float(s.longitude),
                "url": reverse("schools:school-detail", args=[s.pk]),
                "lines": [s.address] if s.address else [],
            }
        )
    venues = venue_register(user).filter(is_archived=False).filter(status__in=("open", "rectifying"))
    v: Any  # annotated by venue_register
    for v in venues:
        lines = [f"{v.get_kind_display()} · {v.get_status_display()}", f"责任部门：{v.department.name}"]
        if v.nearest_school:
            lines.append(f"距{v.nearest_school} {v.nearest_distance} 米")
        features.append(
            {
                "layer": "venue",
                "id": v.pk,
                "kind": v.kind,
                "name": v.name,
                "lat": float(v.latitude),
                "lng": float(v.longitude),
                "url": reverse("surroundings:venue-detail", args=[v.pk]),
                "lines": lines,
                "problem": v.last_result == CheckResult.PROBLEM,
            }
        )
    p: Any  # annotated by point_register
    for p in point_register(user).filter(is_archived=False):
        lines = [f"设施：{'、'.join(p.facility_labels()) or '无'}"]
        if p.last_congestion:
            lines.append(f"最近检查：{Congestion(p.last_congestion).label}")
        features.append(
            {
                "layer": "traffic",
                "id": p.pk,
                "name": str(p),
                "lat": float(p.latitude),
                "lng": float(p.longitude),
                "url": reverse("surroundings:point-detail", args=[p.pk]),
                "lines": lines,
                "problem": p.last_congestion == Congestion.SEVERE,
            }
        )
    posts = _posts_for_map(user)
    layers = [
        {"key": "school", "label": "学校", "count": sum(1 for f in features if f["layer"] == "school")},
        {"key": "radius", "label": f"{_radius()}米范围", "count": None},
        {"key": "venue", "label": "周边场所", "count": sum(1 for f in features if f["layer"] == "venue")},
        {
            "key": "traffic",
            "label": "校门交通点",
            "count": sum(1 for f in features if f["layer"] == "traffic"),
        },
    ]
    if posts is not None:
        features.extend(posts)
        layers.insert(1, {"key": "post", "label": "护学岗", "count": len(posts)})
    return {
        "tileUrl": getattr(settings, "HUXIAO_MAP_TILE_URL", "") or "",
        "attribution": getattr(settings, "HUXIAO_MAP_TILE_ATTRIBUTION", "") or "",
        "radius": _radius(),
        "layers": layers,
        "features": features,
    }


def _radius() -> int:
    return int(getattr(settings, "HUXIAO_SURROUNDINGS_RADIUS_M", 200))


# --- Monthly figures (registry columns, section B) --------------------------------------------------


def _monthly_parts(
    schools: QuerySet, start: dt.date, end: dt.date
) -> tuple[QuerySet, QuerySet, QuerySet, QuerySet]:
    """(checked venue links, problem checks, observations, problem observations) at `schools`."""
    school_ids = schools.values("pk")
    in_range = Q(venue__checks__checked_on__gte=start, venue__checks__checked_on__lte=end)
    links = VenueSchool.objects.filter(school_id__in=school_ids)
    checked = links.filter(in_range)
    # a check that names one school concerns that school only
    problem_checks = links.filter(
        in_range,
        Q(venue__checks__school__isnull=True) | Q(venue__checks__school_id=F("school_id")),
        venue__checks__result=CheckResult.PROBLEM,
    )
    observations = TrafficObservation.objects.filter(
        point__school_id__in=school_ids, observed_at__date__gte=start, observed_at__date__lte=end
    )
    problem_obs = observations.filter(
        Q(congestion=Congestion.SEVERE) | Q(violations_count__gt=0) | ~Q(missing_facilities=[])
    )
    return checked, problem_checks, observations, problem_obs


def monthly_figures(schools: QuerySet, start: dt.date, end: dt.date) -> dict[str, int]:
    """Summed over schools, so a roll-up equals the sum of its parts: a venue near two schools
    counts once for each (it is part of both schools' surroundings).

    * sur_venues_checked — venues near each school checked at least once in [start, end];
    * sur_problems_found — checks finding a problem (per school the venue is near) plus gate
      observations with a problem (严重拥堵, a violation, a missing facility);
    * sur_traffic_observations — gate observations at the schools' traffic points.
    """
    checked, problem_checks, observations, problem_obs = _monthly_parts(schools, start, end)
    return {
        "sur_venues_checked": checked.values("venue_id", "school_id").distinct().count(),
        "sur_problems_found": problem_checks.count() + problem_obs.count(),
        "sur_traffic_observations": observations.count(),
    }


def monthly_by_school(schools: QuerySet, start: dt.date, end: dt.date) -> dict[int, dict[str, int]]:
    """`monthly_figures` per school (four grouped queries)."""
    checked, problem_checks, observations, problem_obs = _monthly_parts(schools, start, end)
    out: dict[int, dict[str, int]] = {}

    def add(rows: QuerySet, school: str, key: str, count=None) -> None:
        grouped = rows.values(school).annotate(n=count or Count("pk")).order_by().values_list(school, "n")
        for school_id, n in grouped:
            values = out.setdefault(
                school_id, {"sur_venues_checked": 0, "sur_problems_found": 0, "sur_traffic_observations": 0}
            )
            values[key] += n

    add(checked, "school_id", "sur_venues_checked", Count("venue_id", distinct=True))
    add(problem_checks, "school_id", "sur_problems_found")
    add(problem_obs, "point__school_id", "sur_problems_found")
    add(observations, "point__school_id", "sur_traffic_observations")
    return out


# --- Hazard sources ---------------------------------------------------------------------------------


def check_source_url(hazard, rest: str) -> str | None:
    check = VenueCheck.objects.filter(pk=int(rest)).values("venue_id").first() if rest.isdigit() else None
    return (
        reverse("surroundings:venue-detail", args=[check["venue_id"]]) + f"#check-{rest}" if check else None
    )


def observation_source_url(hazard, rest: str) -> str | None:
    obs = (
        TrafficObservation.objects.filter(pk=int(rest)).values("point_id").first() if rest.isdigit() else None
    )
    return reverse("surroundings:point-detail", args=[obs["point_id"]]) + f"#obs-{rest}" if obs else None
