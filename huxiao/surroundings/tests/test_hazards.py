"""A check that finds a problem becomes a 周边环境 hazard at each school near the venue (or the
one picked), naming the venue's department, once; a gate observation with a problem becomes a
交通 hazard naming the 交巡警."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from huxiao.hazards.models import Hazard
from huxiao.surroundings import services
from huxiao.surroundings.tests.factories import make_point, make_venue

NOW = dt.datetime(2026, 11, 26, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))  # a Thursday
TODAY = NOW.date()
pytestmark = [pytest.mark.django_db, pytest.mark.frozen(NOW)]


def test_a_problem_becomes_a_surroundings_hazard_for_the_department(world):
    venue = make_venue(world.qingsong, 120, 40)
    check = services.venue_check_record(
        acting_user=world.police, venue=venue, checked_on=TODAY, result="problem", findings="接纳未成年人上网"
    )
    hazard = Hazard.objects.get(source_ref=f"surroundings.check:{check.pk}")
    assert hazard.school == world.qingsong
    assert hazard.category == "surroundings"
    assert hazard.source == "other"
    assert hazard.responsible_org.name == "蒲吕派出所"
    assert "责任部门：蒲吕派出所" in hazard.description and "距学校126米" in hazard.description
    assert hazard.found_by == world.police
    assert check.hazards_raised == 1


def test_raising_again_creates_nothing(world):
    venue = make_venue(world.qingsong)
    check = services.venue_check_record(
        acting_user=world.police, venue=venue, checked_on=TODAY, result="problem", findings="无证经营"
    )
    assert services.check_raise_hazards(acting_user=world.police, check=check) == []
    assert Hazard.objects.filter(source_ref=check.hazard_ref).count() == 1


def test_a_venue_near_two_schools_raises_one_hazard_at_each_or_only_the_picked_one(world):
    venue = make_venue(world.qingsong, name="两校之间")
    place_between = services.venue_update(
        acting_user=None,
        venue=venue,
        expected_version=1,
        latitude=(world.qingsong.latitude + world.mingde.latitude) / 2,
        longitude=(world.qingsong.longitude + world.mingde.longitude) / 2,
    )
    with pytest.MonkeyPatch.context() as mp:
        from django.conf import settings

        mp.setattr(settings, "HUXIAO_SURROUNDINGS_RADIUS_M", 300)
        services.venue_link(place_between)
        both = services.venue_check_record(
            acting_user=world.safety_officer,
            venue=place_between,
            checked_on=TODAY,
            result="problem",
            findings="售卖三无食品",
        )
        one = services.venue_check_record(
            acting_user=world.safety_officer,
            venue=place_between,
            checked_on=TODAY,
            result="problem",
            findings="占道经营",
            school=world.mingde,
        )
    assert set(Hazard.objects.filter(source_ref=both.hazard_ref).values_list("school__name", flat=True)) == {
        "蒲吕青松中学",
        "蒲吕明德小学",
    }
    assert list(Hazard.objects.filter(source_ref=one.hazard_ref).values_list("school__name", flat=True)) == [
        "蒲吕明德小学"
    ]


def test_an_ok_check_raises_nothing_and_a_problem_needs_findings(world):
    venue = make_venue(world.qingsong)
    services.venue_check_record(acting_user=world.police, venue=venue, checked_on=TODAY, result="ok")
    assert not Hazard.objects.filter(category="surroundings").exists()
    with pytest.raises(ValidationError) as exc:
        services.venue_check_record(
            acting_user=world.police, venue=venue, checked_on=TODAY, result="problem", findings=" "
        )
    assert "findings" in exc.value.error_dict


def test_a_future_check_date_is_refused(world):
    venue = make_venue(world.qingsong)
    with pytest.raises(ValidationError) as exc:
        services.venue_check_record(
            acting_user=world.police, venue=venue, checked_on=TODAY + dt.timedelta(days=1), result="ok"
        )
    assert "checked_on" in exc.value.error_dict


def test_the_outsider_cannot_check_a_pulv_venue(world):
    venue = make_venue(world.qingsong)
    with pytest.raises(PermissionDenied):
        services.venue_check_record(acting_user=world.outsider, venue=venue, checked_on=TODAY, result="ok")


def test_a_gate_jam_becomes_a_traffic_hazard_for_the_traffic_police(world):
    point = make_point(world.qingsong, "正门（青松路）", facilities=["signs"])
    assert point.department == world.traffic_police
    obs = services.traffic_observation_record(
        acting_user=world.police,
        point=point,
        observed_at=timezone.now() - dt.timedelta(hours=1),
        congestion="severe",
        violations_count=3,
        violations="违停3辆",
        missing_facilities=["drop_off"],
    )
    hazard = Hazard.objects.get(source_ref=f"surroundings.traffic:{obs.pk}")
    assert hazard.category == "traffic"
    assert hazard.school == world.qingsong
    assert hazard.responsible_org.name == "铜梁区交巡警支队"
    assert "严重拥堵" in hazard.title and "违法违规3起" in hazard.title and "临时停车区" in hazard.title
    assert obs.hazard_raised
    # once
    assert services.observation_raise_hazard(acting_user=world.police, observation=obs) == hazard
    assert Hazard.objects.filter(category="traffic").count() == 1


def test_smooth_traffic_raises_nothing(world):
    point = make_point(world.qingsong)
    obs = services.traffic_observation_record(
        acting_user=world.traffic_officer, point=point, observed_at=timezone.now(), congestion="slow"
    )
    assert not obs.hazard_raised
    assert not Hazard.objects.filter(category="traffic").exists()


def test_violations_need_a_description(world):
    point = make_point(world.qingsong)
    with pytest.raises(ValidationError) as exc:
        services.traffic_observation_record(
            acting_user=world.police,
            point=point,
            observed_at=timezone.now(),
            congestion="clear",
            violations_count=2,
        )
    assert "violations" in exc.value.error_dict
