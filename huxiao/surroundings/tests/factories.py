"""Builders for the surroundings tests: the cast's schools get coordinates, the district gets a
交巡警 and a 市场监管所 (with one user each), and venues are placed by metres north/east of a
school — so every distance in a test is known."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

import pytest

from huxiao.accounts.models import User
from huxiao.accounts.roles import RoleCode
from huxiao.core.choices import OrgKind
from huxiao.core.models import Organisation
from huxiao.lib.geo import METRES_PER_DEGREE_LAT
from huxiao.schools import services as school_services
from huxiao.schools.models import School
from huxiao.surroundings import services
from huxiao.surroundings.models import TrafficPoint, Venue
from huxiao.testsupport.cast import Cast, make_org, make_user

COORDS = {
    "qingsong": (Decimal("29.905120"), Decimal("106.118430")),
    "mingde": (Decimal("29.901870"), Decimal("106.121900")),  # ≈ 492 m from qingsong
    "shilong": (Decimal("29.882410"), Decimal("106.095330")),
    "binhe": (Decimal("29.844300"), Decimal("106.056100")),
}


@dataclass
class World:
    cast: Cast
    traffic_police: Organisation
    market: Organisation
    traffic_officer: User
    market_inspector: User

    def __getattr__(self, name):  # the cast's handles, e.g. world.qingsong
        return getattr(self.cast, name)


def place(school: School, lat: Decimal, lng: Decimal) -> School:
    """Move a school through the schools service (as the registry page would)."""
    return school_services.school_update(
        acting_user=None, school=school, expected_version=school.version, latitude=lat, longitude=lng
    )


def offset(lat, lng, north_m: float, east_m: float) -> tuple[Decimal, Decimal]:
    q = Decimal("0.000001")
    new_lat = float(lat) + north_m / METRES_PER_DEGREE_LAT
    new_lng = float(lng) + east_m / (METRES_PER_DEGREE_LAT * math.cos(math.radians(float(lat))))
    return Decimal(new_lat).quantize(q), Decimal(new_lng).quantize(q)


def build_world(cast: Cast) -> World:
    for name, (lat, lng) in COORDS.items():
        setattr(cast, name, place(getattr(cast, name), lat, lng))
    traffic_police = make_org(
        "铜梁区交巡警支队", OrgKind.TRAFFIC_POLICE, cast.tongliang, jurisdiction=[cast.tongliang]
    )
    market = make_org("蒲吕市场监管所", OrgKind.MARKET_REGULATION, cast.pulv, jurisdiction=[cast.pulv])
    return World(
        cast=cast,
        traffic_police=traffic_police,
        market=market,
        traffic_officer=make_user("traffic", traffic_police, RoleCode.INSPECTOR, full_name="交巡警"),
        market_inspector=make_user("market", market, RoleCode.INSPECTOR, full_name="钱检查"),
    )


@pytest.fixture
def world(cast) -> World:
    return build_world(cast)


def make_venue(
    school: School,
    north_m: float = 100,
    east_m: float = 0,
    *,
    kind: str = "internet_cafe",
    name: str = "极速网咖",
    **fields,
) -> Venue:
    lat, lng = offset(school.latitude, school.longitude, north_m, east_m)
    values = dict(
        kind=kind,
        name=name,
        address="青松路26号",
        operator="刘强",
        contact_phone="13883451234",
        latitude=lat,
        longitude=lng,
        region=school.region,
        status="open",
        note="",
    )
    values.update(fields)
    return services.venue_create(acting_user=None, **values)


def make_point(school: School, gate: str = "正门", facilities=("signs",)) -> TrafficPoint:
    lat, lng = offset(school.latitude, school.longitude, -30, 0)
    return services.traffic_point_create(
        acting_user=None,
        school=school,
        gate=gate,
        latitude=lat,
        longitude=lng,
        facilities=list(facilities),
        note="",
    )
