"""Haversine on fixed coordinates, the rounding rule at the radius, and phone masking."""

from decimal import Decimal

import pytest

from huxiao.lib.geo import METRES_PER_DEGREE_LAT, bounding_box, haversine_m, within
from huxiao.lib.masks import mask_phone


def test_one_thousandth_of_a_degree_of_latitude_is_about_111_metres():
    assert haversine_m(29.9, 106.1, 29.901, 106.1) == pytest.approx(111.195, abs=0.01)


def test_a_degree_of_longitude_shrinks_with_the_cosine_of_latitude():
    # at 29.905° N: 111 195 m × cos(29.905°) ≈ 96 388 m per degree
    assert haversine_m(29.905, 106.0, 29.905, 106.001) == pytest.approx(96.39, abs=0.05)


def test_two_demo_schools_are_about_492_metres_apart():
    # 蒲吕青松中学 and 蒲吕明德小学 (huxiao/demo/data.py): 0.00325° of latitude (361.4 m) and
    # 0.00347° of longitude (334.5 m at this latitude): √(361.4² + 334.5²) ≈ 492.4 m
    d = haversine_m(Decimal("29.905120"), Decimal("106.118430"), Decimal("29.901870"), Decimal("106.121900"))
    assert d == pytest.approx(492.4, abs=0.5)


def test_the_distance_is_symmetric_and_zero_on_the_spot():
    assert haversine_m(29.9, 106.1, 29.9, 106.1) == 0
    assert haversine_m(29.9, 106.1, 29.91, 106.12) == pytest.approx(haversine_m(29.91, 106.12, 29.9, 106.1))


def test_within_rounds_to_the_metre_shown():
    assert within(200.0, 200)
    assert within(200.49, 200)
    assert not within(200.5, 200)  # halves round up: shown as 201 m
    assert not within(201.0, 200)


def test_the_bounding_box_encloses_the_circle():
    min_lat, max_lat, min_lng, max_lng = bounding_box(29.9, 106.1, 200)
    assert 29.9 - float(min_lat) >= 200 / METRES_PER_DEGREE_LAT
    assert float(max_lat) - 29.9 >= 200 / METRES_PER_DEGREE_LAT
    assert haversine_m(29.9, 106.1, 29.9, float(max_lng)) >= 200
    assert haversine_m(29.9, 106.1, 29.9, float(min_lng)) >= 200


def test_a_phone_is_masked_to_its_first_three_and_last_four_digits():
    assert mask_phone("13883451234") == "138****1234"
    assert mask_phone("023-45678901") == "023*****8901"
    assert mask_phone("12345") == "*****"
    assert mask_phone("") == ""


def test_masks_hide_enough_of_short_values():
    from huxiao.lib.masks import mask_name

    assert mask_phone("4567890") == "45***90" and mask_phone("45678901") == "45****01"
    assert mask_name("张") == "*" and mask_name("张 三") == "张*" and mask_name("欧阳小明") == "欧**明"
