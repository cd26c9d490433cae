"""hazards:hazard-create — report a hazard at a school the user may report at."""

import datetime as dt

import pytest
from django.urls import reverse

from huxiao.hazards.choices import State
from huxiao.hazards.models import Hazard
from huxiao.testsupport.cast import assert_redirects_to_login, audit_mark, audit_since
from huxiao.testsupport.files import photo, png_bytes, upload

pytestmark = pytest.mark.usefixtures("media_root", "frozen")

URL = reverse("hazards:hazard-create")


def form_data(school, **changes):
    data = {
        "school": school.pk,
        "title": "消防通道堆放杂物",
        "category": "fire",
        "severity": "general",
        "location": "3号宿舍楼",
        "description": "一层消防通道堆放纸箱。",
        "measures": "清理杂物",
        "responsible_person": "李总务",
        "deadline": "",
        "source": "self",
        "found_on": "",
    }
    data.update(changes)
    return data


def test_it_sends_an_anonymous_visitor_to_login(client):
    assert_redirects_to_login(client.get(URL))


def test_it_answers_403_to_a_read_only_role(cast, client):
    client.force_login(cast.observer)
    assert client.get(URL).status_code == 403
    assert client.post(URL, form_data(cast.qingsong)).status_code == 403
    assert not Hazard.objects.exists()


def test_a_school_outside_the_scope_is_404_and_cannot_be_posted(cast, client):
    client.force_login(cast.outsider)
    assert client.get(URL, {"school": cast.qingsong.pk}).status_code == 404
    response = client.post(URL, form_data(cast.qingsong))
    assert response.status_code == 200
    assert "school" in response.context["form"].errors
    assert not Hazard.objects.exists()


def test_the_school_lead_reports_at_their_school_with_before_photos(cast, client):
    client.force_login(cast.qingsong_lead)
    page = client.get(URL, {"school": cast.qingsong.pk})
    form = page.context["form"]
    assert list(form.fields["school"].queryset) == [cast.qingsong]
    assert form["school"].value() == str(cast.qingsong.pk)
    assert "confirm" not in form.fields  # not a reviewer
    html = page.content.decode()
    assert 'accept="image/*"' in html and 'capture="environment"' in html and "multiple" in html

    mark = audit_mark()
    photos = [photo("a.jpg"), upload(png_bytes(), "b.png", "image/png")]
    response = client.post(URL, form_data(cast.qingsong, photos=photos))
    hazard = Hazard.objects.get()
    assert response.status_code == 302 and response.url == reverse("hazards:hazard-detail", args=[hazard.pk])
    assert (hazard.state, hazard.found_by, hazard.responsible_person) == (
        State.REPORTED,
        cast.qingsong_lead,
        "李总务",
    )
    assert hazard.deadline == dt.date(2026, 3, 19)  # 7 working days from 2026-03-10 (policy default)
    assert list(hazard.attachments.values_list("phase", flat=True)) == ["before", "before"]
    [audit] = audit_since(mark)
    assert (audit.action, audit.actor) == ("hazard.report", cast.qingsong_lead)


def test_a_reviewer_may_confirm_at_once_with_a_deadline(cast, client):
    client.force_login(cast.police)
    assert "confirm" in client.get(URL).context["form"].fields
    response = client.post(
        URL, form_data(cast.mingde, confirm="on", deadline="2026-03-31", severity="larger")
    )
    assert response.status_code == 302
    hazard = Hazard.objects.get()
    assert (hazard.state, hazard.deadline, hazard.found_by_org) == (
        State.OPEN,
        dt.date(2026, 3, 31),
        cast.pulv_police,
    )
    assert list(hazard.events.values_list("kind", flat=True)) == ["reported", "confirmed"]


def test_schools_without_their_own_unit_are_not_offered(cast, client):
    client.force_login(cast.safety_officer)
    schools = set(client.get(URL).context["form"].fields["school"].queryset)
    assert schools == {cast.qingsong, cast.mingde}  # 石龙村小学 has no unit to rectify


def test_bad_input_gets_chinese_errors_by_field(cast, client):
    client.force_login(cast.police)
    response = client.post(
        URL,
        form_data(
            cast.qingsong,
            title="",
            found_on="2026-03-01",
            deadline="2026-02-01",
            photos=[upload(b"GIF89a....", "x.gif", "image/gif")],
        ),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "隐患名称：这个字段是必填项。" in page
    assert "整改期限：整改期限不能早于发现日期。" in page
    assert not Hazard.objects.exists()


def test_a_bad_photo_is_reported_on_the_photo_field_and_nothing_is_saved(cast, client):
    client.force_login(cast.police)
    response = client.post(URL, form_data(cast.qingsong, photos=[photo(), upload(b"not an image", "y.jpg")]))
    assert response.status_code == 200
    assert "整改前照片：第2张照片：文件不是有效的图片，或已损坏。" in response.content.decode()
    assert not Hazard.objects.exists()


def test_too_many_photos_at_once(cast, client):
    client.force_login(cast.police)
    response = client.post(URL, form_data(cast.qingsong, photos=[photo(f"{i}.jpg") for i in range(10)]))
    assert "一次最多上传9张照片。" in response.content.decode()
    assert not Hazard.objects.exists()
