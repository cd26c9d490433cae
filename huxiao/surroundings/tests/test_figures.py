"""Monthly figures (registry columns 180–182): counted from the records, summed over schools."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from huxiao.core import registry
from huxiao.schools.models import School
from huxiao.surroundings import services
from huxiao.surroundings.selectors import monthly_figures
from huxiao.surroundings.tests.factories import make_point, make_venue

pytestmark = pytest.mark.django_db
NOV = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))


@time_machine.travel(dt.datetime(2026, 11, 29, 9, 0, tzinfo=dt.UTC))
def test_checks_problems_and_gate_observations_of_the_month(world):
    cafe = make_venue(world.qingsong, 100, 0, name="极速网咖")
    shop = make_venue(world.mingde, 50, 0, kind="shop", name="童趣小卖部")
    make_venue(world.qingsong, 60, 0, kind="rental", name="未检查的出租屋")
    check = services.venue_check_record
    check(
        acting_user=world.police,
        venue=cafe,
        checked_on=dt.date(2026, 11, 3),
        result="problem",
        findings="接纳未成年人",
    )
    check(
        acting_user=world.police, venue=cafe, checked_on=dt.date(2026, 11, 20), result="ok"
    )  # same venue again
    check(
        acting_user=world.police,
        venue=shop,
        checked_on=dt.date(2026, 10, 30),
        result="problem",
        findings="三无食品",
    )
    point = make_point(world.qingsong)
    at = timezone.make_aware(dt.datetime(2026, 11, 10, 7, 40))
    services.traffic_observation_record(
        acting_user=world.police, point=point, observed_at=at, congestion="slow"
    )
    services.traffic_observation_record(
        acting_user=world.police,
        point=point,
        observed_at=at,
        congestion="severe",
        violations_count=1,
        violations="违停",
    )

    pulv = School.objects.filter(pk__in=[world.qingsong.pk, world.mingde.pk])
    assert monthly_figures(pulv, *NOV) == {
        "sur_venues_checked": 1,  # the 网吧 (twice); the shop's check was in October
        "sur_problems_found": 2,  # the 网吧 finding + the jam
        "sur_traffic_observations": 2,
    }
    assert monthly_figures(pulv, dt.date(2026, 10, 1), dt.date(2026, 10, 31)) == {
        "sur_venues_checked": 1,
        "sur_problems_found": 1,
        "sur_traffic_observations": 0,
    }
    # the parts add up to the whole
    only_mingde = monthly_figures(School.objects.filter(pk=world.mingde.pk), *NOV)
    only_qingsong = monthly_figures(School.objects.filter(pk=world.qingsong.pk), *NOV)
    assert {k: only_mingde[k] + only_qingsong[k] for k in only_mingde} == monthly_figures(pulv, *NOV)
    # and the registry carries them (section B, order 180–182)
    cols = {c.key: c for c in registry.columns()}
    assert [
        cols[k].order for k in ("sur_venues_checked", "sur_problems_found", "sur_traffic_observations")
    ] == [180, 181, 182]
    # the per-school form (a roll-up reads it once per school) gives each school's own figures
    from huxiao.surroundings.selectors import monthly_by_school

    zero = {"sur_venues_checked": 0, "sur_problems_found": 0, "sur_traffic_observations": 0}
    for period in (NOV, (dt.date(2026, 10, 1), dt.date(2026, 10, 31))):
        by_school = monthly_by_school(pulv, *period)
        for school in (world.qingsong, world.mingde):
            alone = monthly_figures(School.objects.filter(pk=school.pk), *period)
            assert by_school.get(school.pk, zero) == alone, (school.name, period)
