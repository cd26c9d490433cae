"""The gate log's 统计表 columns are counted from the records: the month's visitors (人次),
vehicles (车次), those screened at the gate and the 接送异常 — per school and over a set of
schools, the same sums, nothing from another month."""

from __future__ import annotations

import pytest

from huxiao.core import registry
from huxiao.gate import figures, services
from huxiao.gate.tests.builders import NOW, TODAY, at, gatekeeper, pickup, vehicle, visitor
from huxiao.schools.models import School

pytestmark = [pytest.mark.django_db, pytest.mark.frozen(NOW)]
NOV = (TODAY.replace(day=1), TODAY.replace(day=30))


@pytest.fixture
def month(cast):
    guard = gatekeeper(cast)
    visitor(guard, cast.qingsong, 1, entered_at=at(9, 0, TODAY.replace(day=2)))
    visitor(guard, cast.qingsong, 2, screened=False)
    visitor(guard, cast.qingsong, 3, entered_at=at(9, 0, TODAY.replace(month=10, day=31)))  # October
    entry = vehicle(guard, cast.qingsong, entered_at=at(8, 0))
    services.entry_leave(acting_user=guard, entry=entry, expected_version=None)
    vehicle(guard, cast.qingsong, "渝B54321", screened=False)
    pickup(guard, cast.qingsong)
    visitor(cast.mingde_lead, cast.mingde, 4)
    pickup(cast.mingde_lead, cast.mingde, at=at(7, 30, TODAY.replace(day=1)))
    return guard


def test_the_columns_are_section_b_in_people_and_vehicle_times():
    assert [(c.key, c.section, c.unit) for c in figures.COLUMNS] == [
        ("gate_visitors", registry.SECTION_B, "人次"),
        ("gate_vehicles", registry.SECTION_B, "车次"),
        ("gate_screened", registry.SECTION_B, "人次"),
        ("gate_pickups", registry.SECTION_B, "人次"),
    ]
    assert {c.key for c in figures.COLUMNS} <= {c.key for c in registry.columns()}


def test_the_month_is_counted_per_school_and_summed(cast, month):
    schools = School.objects.filter(pk__in=[cast.qingsong.pk, cast.mingde.pk, cast.shilong.pk])
    per_school = figures.by_school(schools, *NOV)
    assert per_school[cast.qingsong.pk] == {
        "gate_visitors": 2,
        "gate_vehicles": 2,
        "gate_screened": 2,  # one visitor and one vehicle were not screened
        "gate_pickups": 1,
    }
    assert per_school[cast.mingde.pk] == {
        "gate_visitors": 1,
        "gate_vehicles": 0,
        "gate_screened": 1,
        "gate_pickups": 1,
    }
    assert cast.shilong.pk not in per_school
    assert figures.provider(schools, *NOV) == {
        "gate_visitors": 3,
        "gate_vehicles": 2,
        "gate_screened": 3,
        "gate_pickups": 2,
    }
    values = registry.figures(schools, *NOV)
    assert {k: values[k] for k in per_school[cast.qingsong.pk]} == figures.provider(schools, *NOV)


def test_october_is_counted_in_october_only(cast, month):
    schools = School.objects.filter(pk=cast.qingsong.pk)
    october = (TODAY.replace(month=10, day=1), TODAY.replace(month=10, day=31))
    assert figures.provider(schools, *october)["gate_visitors"] == 1


def test_a_roll_up_reads_every_row_at_once(cast, month):
    everyone = School.objects.filter(is_archived=False)
    groups = {
        "蒲吕": everyone.filter(pk__in=[s.pk for s in cast.pulv_schools]),
        "青松": everyone.filter(pk=cast.qingsong.pk),
    }
    rows = registry.figures_of_groups(groups, everyone, *NOV)
    assert rows["蒲吕"]["gate_visitors"] == 3 and rows["青松"]["gate_visitors"] == 2
