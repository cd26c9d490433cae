"""The pages: venue register (query count pinned, phones masked, filters), registering and
editing a venue (audit, conflict), recording a check and an observation from the form, and the
map in both modes (offline view without a tile URL, the tile URL in the page's config with one)."""

import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from huxiao.hazards.models import Hazard
from huxiao.surroundings.models import TrafficObservation, Venue, VenueCheck
from huxiao.surroundings.tests.factories import make_point, make_venue, offset
from huxiao.testsupport.cast import SIGNED_IN_PAGE_QUERIES, audit_mark, audit_since

pytestmark = pytest.mark.django_db


def venue_post(world, **changes):
    lat, lng = offset(world.qingsong.latitude, world.qingsong.longitude, 0, 150)
    data = {
        "kind": "hotel",
        "name": "青松旅馆",
        "address": "青松路60号",
        "operator": "黄淑芬",
        "contact_phone": "13627093315",
        "latitude": str(lat),
        "longitude": str(lng),
        "region": world.pulv_community.pk,
        "department": "",
        "status": "open",
        "note": "",
    }
    data.update(changes)
    return data


def test_the_register_lists_venues_with_masked_phones_in_a_fixed_number_of_queries(
    client, world, django_assert_num_queries
):
    for i in range(6):
        make_venue(world.qingsong, 20 * i, 30, name=f"场所{i}", contact_phone=f"1380000{i:04d}")
    client.force_login(world.safety_officer)
    # session/scope/inbox + filter-form school choices + count + page (subqueries inline)
    with django_assert_num_queries(SIGNED_IN_PAGE_QUERIES + 3):
        page = client.get(reverse("surroundings:venue-list"))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count("138****000") == 6 and "13800000001" not in html
    assert "蒲吕青松中学 <b>30</b> 米" in html


def test_the_register_filters_by_kind_and_school(client, world):
    make_venue(world.qingsong, name="极速网咖")
    make_venue(world.mingde, 50, 0, kind="shop", name="童趣小卖部")
    client.force_login(world.safety_officer)
    html = client.get(reverse("surroundings:venue-list"), {"kind": "shop"}).content.decode()
    assert "童趣小卖部" in html and "极速网咖" not in html
    html = client.get(reverse("surroundings:venue-list"), {"school": world.qingsong.pk}).content.decode()
    assert "极速网咖" in html and "童趣小卖部" not in html


def test_registering_a_venue_links_it_and_is_audited(client, world):
    client.force_login(world.police)
    mark = audit_mark()
    response = client.post(reverse("surroundings:venue-create"), venue_post(world))
    venue = Venue.objects.get(name="青松旅馆")
    assert response.status_code == 302 and response.url == reverse(
        "surroundings:venue-detail", args=[venue.pk]
    )
    assert venue.department == world.pulv_police and venue.created_by == world.police
    assert list(venue.links.values_list("school__name", "distance_m")) == [("蒲吕青松中学", 150)]
    (event,) = audit_since(mark)
    assert event.action == "surroundings.venue_create" and event.organisation == world.pulv_police
    assert event.after["schools"] == {str(world.qingsong.pk): 150}


def test_a_venue_beyond_the_users_reach_is_refused_on_the_region_field(client, world):
    client.force_login(world.police)  # his station's schools only; this spot is 1 km from any
    lat, lng = offset(world.qingsong.latitude, world.qingsong.longitude, 1000, 0)
    response = client.post(
        reverse("surroundings:venue-create"), venue_post(world, latitude=str(lat), longitude=str(lng))
    )
    assert response.status_code == 200
    assert "不在您管辖学校的200米范围内" in response.content.decode()
    assert not Venue.objects.exists()


def test_bad_coordinates_get_a_chinese_message(client, world):
    client.force_login(world.safety_officer)
    response = client.post(reverse("surroundings:venue-create"), venue_post(world, latitude="95"))
    assert response.status_code == 200
    assert "纬度：" in response.content.decode()
    assert not Venue.objects.exists()


def test_a_stale_edit_is_told_and_not_saved(client, world):
    venue = make_venue(world.qingsong)
    client.force_login(world.safety_officer)
    first = venue_post(world, name="新名字", version=1)
    assert client.post(reverse("surroundings:venue-edit", args=[venue.pk]), first).status_code == 302
    second = venue_post(world, name="另一个名字", version=1)
    response = client.post(reverse("surroundings:venue-edit", args=[venue.pk]), second)
    assert response.status_code == 409
    assert "被他人修改" in response.content.decode()
    assert Venue.objects.get(pk=venue.pk).name == "新名字"


def test_a_check_with_a_problem_from_the_form_raises_the_hazard(client, world):
    venue = make_venue(world.qingsong)
    client.force_login(world.market_inspector)
    mark = audit_mark()
    response = client.post(
        reverse("surroundings:venue-check", args=[venue.pk]),
        {
            "checked_on": timezone.localdate().isoformat(),
            "result": "problem",
            "findings": "无证经营",
            "school": "",
        },
    )
    assert response.status_code == 302
    check = VenueCheck.objects.get()
    assert check.inspector_org == world.market and check.hazards_raised == 1
    hazard = Hazard.objects.get(source_ref=check.hazard_ref)
    assert [e.action for e in audit_since(mark)] == ["hazard.report", "surroundings.venue_check"]
    page = client.get(reverse("surroundings:venue-detail", args=[venue.pk])).content.decode()
    assert hazard.code in page
    # the hazard page links back to the check
    hazard_page = client.get(reverse("hazards:hazard-detail", args=[hazard.pk])).content.decode()
    assert reverse("surroundings:venue-detail", args=[venue.pk]) + f"#check-{check.pk}" in hazard_page


def test_a_problem_without_findings_is_a_field_error(client, world):
    venue = make_venue(world.qingsong)
    client.force_login(world.police)
    response = client.post(
        reverse("surroundings:venue-check", args=[venue.pk]),
        {"checked_on": timezone.localdate().isoformat(), "result": "problem", "findings": ""},
    )
    assert response.status_code == 200
    assert "发现问题：检查结果为“发现问题”时，请写明发现的问题。" in response.content.decode()
    assert not VenueCheck.objects.exists()


def test_an_observation_from_the_form(client, world):
    point = make_point(world.qingsong)
    client.force_login(world.police)
    response = client.post(
        reverse("surroundings:point-observe", args=[point.pk]),
        {
            "observed_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "congestion": "severe",
            "violations_count": "2",
            "violations": "违停2辆",
            "missing_facilities": ["signals"],
            "note": "",
        },
    )
    assert response.status_code == 302
    obs = TrafficObservation.objects.get()
    assert obs.hazard_raised and obs.missing_facilities == ["signals"]
    assert Hazard.objects.get(source_ref=obs.hazard_ref).category == "traffic"


def _config(html: str) -> dict:
    match = re.search(r'<script id="sur-map-config" type="application/json">(.*?)</script>', html, re.S)
    assert match, "the map's config is missing"
    return json.loads(match.group(1))


def test_the_map_without_tiles_is_the_offline_view(client, world, settings):
    settings.HUXIAO_MAP_TILE_URL = ""
    make_venue(world.qingsong)
    make_point(world.qingsong)
    client.force_login(world.police)
    html = client.get(reverse("surroundings:map")).content.decode()
    config = _config(html)
    assert config["tileUrl"] == "" and config["radius"] == 200
    assert 'data-mode="offline"' in html and "离线坐标视图" in html
    layers = {f["layer"] for f in config["features"]}
    assert {"school", "venue", "traffic"} <= layers
    assert {f["name"] for f in config["features"] if f["layer"] == "school"} == {
        "蒲吕青松中学",
        "蒲吕明德小学",
    }
    assert "<script>" not in html and 'style="' not in html  # CSP: no inline script or style


def test_the_map_with_a_tile_url_hands_it_to_the_page(client, world, settings):
    settings.HUXIAO_MAP_TILE_URL = "https://map.example.gov.cn/tiles/{z}/{x}/{y}.png"
    settings.HUXIAO_MAP_TILE_ATTRIBUTION = "天地图（内网）"
    client.force_login(world.safety_officer)
    html = client.get(reverse("surroundings:map")).content.decode()
    assert _config(html)["tileUrl"] == "https://map.example.gov.cn/tiles/{z}/{x}/{y}.png"
    assert 'data-mode="tiles"' in html and "天地图（内网）" in html


def test_the_outsider_map_shows_nothing_of_pulv(client, world):
    make_venue(world.qingsong)
    client.force_login(world.outsider)
    config = _config(client.get(reverse("surroundings:map")).content.decode())
    assert {f["name"] for f in config["features"]} == {"巴川滨河小学"}


def test_the_duty_apps_posts_join_the_map(client, world, monkeypatch):
    from huxiao.duty import selectors as duty_selectors

    seen = []

    def posts_for_map(user):
        seen.append(user)
        return [
            {
                "id": 7,
                "name": "青松正门护学岗",
                "school": "蒲吕青松中学",
                "lat": 29.9049,
                "lng": 106.1184,
                "approximate": False,
                "url": "/duty/posts/7/",
            },
            {"id": 8, "name": "无坐标岗", "school": "蒲吕明德小学", "lat": None, "lng": None, "url": ""},
        ]

    monkeypatch.setattr(duty_selectors, "posts_for_map", posts_for_map)
    client.force_login(world.police)
    config = _config(client.get(reverse("surroundings:map")).content.decode())
    posts = [f for f in config["features"] if f["layer"] == "post"]
    assert seen == [world.police]  # scoped by the duty app for this user
    assert posts == [
        {
            "layer": "post",
            "id": 7,
            "name": "蒲吕青松中学·青松正门护学岗",
            "lat": 29.9049,
            "lng": 106.1184,
            "url": "/duty/posts/7/",
            "lines": ["学校：蒲吕青松中学"],
        }
    ]
    assert {"key": "post", "label": "护学岗", "count": 1} in config["layers"]
