"""hazards:attachment — photos are served only to users who may see the hazard, never from a
public /media/ URL."""

import io

import pytest
from django.urls import reverse
from PIL import Image

from huxiao.testsupport.cast import assert_redirects_to_login
from huxiao.testsupport.files import png_bytes, upload
from huxiao.testsupport.hazards import make_hazard

pytestmark = pytest.mark.usefixtures("media_root", "frozen")


@pytest.fixture
def picture(cast):
    hazard = make_hazard(cast, photos=[upload(png_bytes((800, 600)), "before.png", "image/png")])
    return hazard.attachments.get()


def url(photo, size="full"):
    return reverse("hazards:attachment", args=[photo.pk, size])


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_it_sends_an_anonymous_visitor_to_login(client, picture):
    assert_redirects_to_login(client.get(url(picture)))


def test_it_is_404_outside_the_scope_and_for_unknown_photos_or_sizes(cast, client, picture):
    client.force_login(cast.outsider)
    assert client.get(url(picture)).status_code == 404
    assert client.get(url(picture, "thumb")).status_code == 404
    client.force_login(cast.police)
    assert client.get(reverse("hazards:attachment", args=[9999, "full"])).status_code == 404
    assert client.get(url(picture, "huge")).status_code == 404


def test_a_read_only_role_in_scope_may_look(cast, client, picture):
    client.force_login(cast.observer)
    response = client.get(url(picture))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert body(response) == png_bytes((800, 600))


def test_the_thumbnail_is_a_small_jpeg(cast, client, picture):
    client.force_login(cast.qingsong_lead)
    response = client.get(url(picture, "thumb"))
    assert response["Content-Type"] == "image/jpeg"
    with Image.open(io.BytesIO(body(response))) as thumb:
        assert thumb.format == "JPEG" and max(thumb.size) <= 480


def test_a_missing_file_is_404_not_500(cast, client, picture, settings):
    (settings.MEDIA_ROOT / picture.image.name).unlink()
    client.force_login(cast.police)
    assert client.get(url(picture)).status_code == 404


def test_media_has_no_public_url(cast, client, picture):
    client.force_login(cast.police)
    assert client.get("/media/" + picture.image.name).status_code == 404
