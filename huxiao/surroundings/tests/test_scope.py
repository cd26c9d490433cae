"""Who sees which venues and traffic points; 404 on guessed ids out of scope; 403 for a
read-only role; writes only with SURROUNDINGS_MANAGE (checks also with INSPECTION_PERFORM)."""

import pytest
from django.urls import reverse

from huxiao.surroundings.models import TrafficPoint, Venue
from huxiao.surroundings.tests.factories import make_point, make_venue, offset
from huxiao.testsupport.cast import assert_redirects_to_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def places(world):
    near_qingsong = make_venue(world.qingsong, 120, 40, name="极速网咖")
    # in 蒲吕街道 but near no school: seen through region jurisdiction only
    lat, lng = offset(world.shilong.latitude, world.shilong.longitude, 0, 900)
    lonely = make_venue(world.shilong, latitude=lat, longitude=lng, name="村口KTV", kind="entertainment")
    binhe = make_venue(world.binhe, 80, 0, name="滨河网吧")
    return {
        "qingsong": near_qingsong,
        "lonely": lonely,
        "binhe": binhe,
        "point": make_point(world.qingsong),
        "binhe_point": make_point(world.binhe),
    }


def names(user) -> set[str]:
    return set(Venue.objects.visible_to(user).values_list("name", flat=True))


def test_each_member_sees_what_their_jurisdiction_covers(world, places):
    assert names(world.official) == {"极速网咖", "村口KTV", "滨河网吧"}
    assert names(world.safety_officer) == {"极速网咖", "村口KTV"}  # 蒲吕街道 by region
    assert names(world.police) == {"极速网咖"}  # his station's schools only
    assert names(world.qingsong_lead) == {"极速网咖"}
    assert names(world.mingde_lead) == set()
    assert names(world.outsider) == {"滨河网吧"}
    assert names(world.auditor) == set()
    assert set(TrafficPoint.objects.visible_to(world.police)) == {places["point"]}
    assert set(TrafficPoint.objects.visible_to(world.outsider)) == {places["binhe_point"]}


@pytest.mark.parametrize(
    "name", ["venue-detail", "venue-edit", "venue-check", "point-detail", "point-edit", "point-observe"]
)
def test_a_guessed_id_out_of_scope_is_404(client, world, places, name):
    client.force_login(world.outsider)
    obj = places["point"] if name.startswith("point") else places["qingsong"]
    assert client.get(reverse(f"surroundings:{name}", args=[obj.pk])).status_code == 404


def test_a_venue_known_only_by_region_is_404_for_the_police(client, world, places):
    client.force_login(world.police)
    assert client.get(reverse("surroundings:venue-detail", args=[places["lonely"].pk])).status_code == 404


def test_the_observer_reads_but_may_not_edit_or_check(client, world, places):
    client.force_login(world.observer)
    venue = places["qingsong"]
    page = client.get(reverse("surroundings:venue-detail", args=[venue.pk]))
    assert page.status_code == 200
    assert "138****1234" in page.content.decode()  # no need for the number: masked
    assert "13883451234" not in page.content.decode()
    for name in ("venue-edit", "venue-check"):
        assert client.get(reverse(f"surroundings:{name}", args=[venue.pk])).status_code == 403
    assert client.get(reverse("surroundings:venue-create")).status_code == 403
    assert client.get(reverse("surroundings:point-observe", args=[places["point"].pk])).status_code == 403


def test_the_school_lead_may_check_but_not_edit(client, world, places):
    client.force_login(world.qingsong_lead)  # INSPECTION_PERFORM, no SURROUNDINGS_MANAGE
    venue = places["qingsong"]
    assert client.get(reverse("surroundings:venue-check", args=[venue.pk])).status_code == 200
    assert client.get(reverse("surroundings:venue-edit", args=[venue.pk])).status_code == 403
    assert client.get(reverse("surroundings:point-observe", args=[places["point"].pk])).status_code == 200


def test_anonymous_is_sent_to_login(client, places):
    for url in (
        reverse("surroundings:map"),
        reverse("surroundings:venue-list"),
        reverse("surroundings:venue-detail", args=[places["qingsong"].pk]),
    ):
        assert_redirects_to_login(client.get(url))


def test_a_check_photo_is_served_only_in_scope(client, world, places, settings, tmp_path):
    from huxiao.surroundings import services
    from huxiao.testsupport.files import photo

    settings.MEDIA_ROOT = tmp_path
    check = services.venue_check_record(
        acting_user=world.police,
        venue=places["qingsong"],
        checked_on=places["qingsong"].created_at.date(),
        result="ok",
        photos=[photo("a.jpg")],
    )
    pk = check.photos.get().pk
    client.force_login(world.police)
    assert client.get(reverse("surroundings:check-photo", args=[pk, "thumb"])).status_code == 200
    client.force_login(world.outsider)
    assert client.get(reverse("surroundings:check-photo", args=[pk, "thumb"])).status_code == 404
