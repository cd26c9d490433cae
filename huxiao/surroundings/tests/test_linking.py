"""A venue is linked to every school within HUXIAO_SURROUNDINGS_RADIUS_M, with the distance;
moving a venue or a school relinks; the boundary is the radius in whole metres."""

from decimal import Decimal

import pytest

from huxiao.core.errors import ConflictError
from huxiao.lib.geo import haversine_m, round_m
from huxiao.surroundings import services
from huxiao.surroundings.models import VenueSchool
from huxiao.surroundings.tests.factories import make_venue, offset, place

pytestmark = pytest.mark.django_db


def links(venue) -> dict[str, int]:
    return dict(VenueSchool.objects.filter(venue=venue).values_list("school__name", "distance_m"))


def test_a_venue_126_metres_from_a_school_is_linked_with_its_distance(world):
    venue = make_venue(world.qingsong, 120, 40)
    assert links(venue) == {"蒲吕青松中学": 126}


def test_a_venue_between_two_schools_is_linked_to_both(world):
    # midway between 青松 and 明德 (≈ 492 m apart) nothing is within 200 m …
    mid_lat = (world.qingsong.latitude + world.mingde.latitude) / 2
    mid_lng = (world.qingsong.longitude + world.mingde.longitude) / 2
    venue = make_venue(
        world.qingsong,
        latitude=mid_lat.quantize(Decimal("0.000001")),
        longitude=mid_lng.quantize(Decimal("0.000001")),
    )
    assert links(venue) == {}
    # … with a 300 m radius both are
    with pytest.MonkeyPatch.context() as mp:
        from django.conf import settings

        mp.setattr(settings, "HUXIAO_SURROUNDINGS_RADIUS_M", 300)
        services.venue_link(venue)
    assert set(links(venue)) == {"蒲吕青松中学", "蒲吕明德小学"}
    assert all(240 <= d <= 250 for d in links(venue).values())


def _north_of(school, metres_wanted: int):
    """The 6-decimal latitude north of `school` whose distance rounds to `metres_wanted`."""
    lat, lng = offset(school.latitude, school.longitude, metres_wanted, 0)
    step = Decimal("0.000001")
    while round_m(haversine_m(school.latitude, school.longitude, lat, lng)) < metres_wanted:
        lat += step
    while round_m(haversine_m(school.latitude, school.longitude, lat, lng)) > metres_wanted:
        lat -= step
    return lat, lng


def test_exactly_at_the_radius_is_inside_one_metre_more_is_outside(world):
    lat, lng = _north_of(world.qingsong, 200)
    at = make_venue(world.qingsong, latitude=lat, longitude=lng, name="边界上")
    assert links(at) == {"蒲吕青松中学": 200}
    lat, lng = _north_of(world.qingsong, 201)
    beyond = make_venue(world.qingsong, latitude=lat, longitude=lng, name="边界外")
    assert links(beyond) == {}


def test_moving_a_school_relinks_its_venues(world):
    venue = make_venue(world.qingsong, 100, 0)
    assert links(venue) == {"蒲吕青松中学": 100}
    # 青松 moves 1 km south: the venue is no longer near it
    lat, lng = offset(world.qingsong.latitude, world.qingsong.longitude, -1000, 0)
    school = place(world.qingsong, lat, lng)
    assert links(venue) == {}
    # and back, to 50 m from the venue
    lat, lng = offset(venue.latitude, venue.longitude, 0, 50)
    place(school, lat, lng)
    assert links(venue) == {"蒲吕青松中学": 50}


def test_a_new_school_next_to_a_venue_is_linked(world):
    from huxiao.testsupport.cast import make_school

    venue = make_venue(world.shilong, 0, 500, name="村口小卖部", kind="shop")
    assert links(venue) == {}
    lat, lng = offset(venue.latitude, venue.longitude, 0, 80)
    make_school(
        "石龙村幼儿园", world.shilong_village, school_type="kindergarten", latitude=lat, longitude=lng
    )
    assert links(venue) == {"石龙村幼儿园": 80}


def test_moving_a_venue_relinks_it_and_counts_a_version(world):
    venue = make_venue(world.qingsong, 100, 0)
    lat, lng = offset(world.mingde.latitude, world.mingde.longitude, 0, -60)
    moved = services.venue_update(
        acting_user=world.safety_officer, venue=venue, expected_version=1, latitude=lat, longitude=lng
    )
    assert moved.version == 2
    assert links(moved) == {"蒲吕明德小学": 60}


def test_a_stale_edit_is_refused(world):
    venue = make_venue(world.qingsong)
    services.venue_update(
        acting_user=world.safety_officer, venue=venue, expected_version=1, name="极速网咖（新）"
    )
    with pytest.raises(ConflictError, match="被他人修改"):
        services.venue_update(acting_user=world.police, venue=venue, expected_version=1, name="别的名字")


def test_the_department_follows_the_kind(world):
    cafe = make_venue(world.qingsong, kind="internet_cafe")
    shop = make_venue(world.qingsong, 50, 0, kind="shop", name="童趣小卖部")
    other = make_venue(world.qingsong, 60, 0, kind="other", name="废品站")
    assert cafe.department == world.pulv_police  # the linked school's station
    assert shop.department == world.market
    assert other.department == world.pulv_safety_office
