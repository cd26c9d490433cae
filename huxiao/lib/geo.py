"""Distances on the earth for linking venues to schools (haversine on a sphere of the mean
earth radius: within a few hundred metres its error against the ellipsoid is centimetres)."""

from __future__ import annotations

import math
from decimal import Decimal

EARTH_RADIUS_M = 6_371_008.8  # IUGG mean radius
METRES_PER_DEGREE_LAT = math.pi * EARTH_RADIUS_M / 180  # ≈ 111 195 m


def haversine_m(
    lat1: float | Decimal, lng1: float | Decimal, lat2: float | Decimal, lng2: float | Decimal
) -> float:
    """Great-circle distance in metres between two points given in decimal degrees."""
    p1, p2 = math.radians(float(lat1)), math.radians(float(lat2))
    dp = p2 - p1
    dl = math.radians(float(lng2) - float(lng1))
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def round_m(distance_m: float) -> int:
    """Whole metres, halves up (Python's round() would take 200.5 to 200)."""
    return math.floor(distance_m + 0.5)


def within(distance_m: float, radius_m: int) -> bool:
    """Linked when the distance, rounded to the metre it is stored and shown in, is at most the
    radius: a venue shown at 200 m is inside a 200 m radius, one shown at 201 m is not."""
    return round_m(distance_m) <= radius_m


def bounding_box(
    lat: float | Decimal, lng: float | Decimal, radius_m: int
) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    """(min lat, max lat, min lng, max lng) enclosing the circle, with a metre of slack, as a
    cheap SQL prefilter before the exact distance."""
    dlat = (radius_m + 1) / METRES_PER_DEGREE_LAT
    cos = max(math.cos(math.radians(float(lat))), 0.01)
    dlng = dlat / cos
    q = Decimal("0.000001")
    return (
        (Decimal(float(lat) - dlat)).quantize(q),
        (Decimal(float(lat) + dlat)).quantize(q),
        (Decimal(float(lng) - dlng)).quantize(q),
        (Decimal(float(lng) + dlng)).quantize(q),
    )
