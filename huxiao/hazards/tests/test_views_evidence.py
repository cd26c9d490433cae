"""hazards:hazard-evidence and hazards:hazard-temp-measures — photos and temporary measures
posted from the hazard page."""

import pytest
from django.urls import reverse

from huxiao.testsupport.cast import assert_redirects_to_login, audit_mark, audit_since
from huxiao.testsupport.files import photo, png_bytes, upload
from huxiao.testsupport.hazards import fresh, make_hazard

pytestmark = pytest.mark.usefixtures("media_root", "frozen")


def evidence_url(hazard):
    return reverse("hazards:hazard-evidence", args=[hazard.pk])


def temp_url(hazard):
    return reverse("hazards:hazard-temp-measures", args=[hazard.pk])


def evidence(**changes):
    data = {"phase": "after", "caption": "已清理", "photos": [upload(png_bytes(), "after.png", "image/png")]}
    data.update(changes)
    return data


# --- evidence --------------------------------------------------------------------------------


def test_evidence_sends_an_anonymous_visitor_to_login(cast, client):
    hazard = make_hazard(cast, state="open")
    assert_redirects_to_login(client.post(evidence_url(hazard), evidence()))
    assert not fresh(hazard).attachments.exists()


def test_evidence_is_404_outside_the_scope(cast, client):
    hazard = make_hazard(cast, state="open")
    client.force_login(cast.outsider)
    assert client.post(evidence_url(hazard), evidence()).status_code == 404


def test_evidence_is_403_for_a_read_only_role(cast, client):
    hazard = make_hazard(cast, state="open")
    client.force_login(cast.observer)
    assert client.post(evidence_url(hazard), evidence()).status_code == 403
    assert not fresh(hazard).attachments.exists()


def test_the_school_uploads_after_photos(cast, client):
    hazard = make_hazard(cast, state="rectifying")
    client.force_login(cast.qingsong_lead)
    mark = audit_mark()
    response = client.post(evidence_url(hazard), evidence(photos=[photo("a.jpg"), photo("b.jpg")]))
    assert response.status_code == 302
    assert list(fresh(hazard).attachments.values_list("phase", "caption")) == [("after", "已清理")] * 2
    [audit] = audit_since(mark)
    assert (audit.action, audit.actor) == ("hazard.evidence", cast.qingsong_lead)
    page = client.get(response.url).content.decode()
    assert "已上传2张照片。" in page
    assert "上传材料" in page  # the timeline entry


def test_evidence_without_photos_is_an_error_on_the_page(cast, client):
    hazard = make_hazard(cast, state="open")
    client.force_login(cast.qingsong_lead)
    response = client.post(evidence_url(hazard), evidence(photos=[]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "照片：请选择至少一张照片。" in page and 'id="evidence" open' in page


def test_no_evidence_on_a_closed_hazard(cast, client):
    hazard = make_hazard(cast, state="dismissed")
    client.force_login(cast.police)
    response = client.post(evidence_url(hazard), evidence())
    assert "已销号或不予立案的隐患不能再上传材料" in response.content.decode()
    assert not fresh(hazard).attachments.exists()


# --- temporary measures ----------------------------------------------------------------------


def test_temp_measures_sends_an_anonymous_visitor_to_login(cast, client):
    hazard = make_hazard(cast, state="open", severity="major")
    assert_redirects_to_login(client.post(temp_url(hazard), {"text": "警戒线"}))


def test_temp_measures_is_404_outside_the_scope(cast, client):
    hazard = make_hazard(cast, state="open", severity="major")
    client.force_login(cast.outsider)
    assert client.post(temp_url(hazard), {"text": "警戒线"}).status_code == 404


def test_temp_measures_is_403_for_a_read_only_role_and_for_the_police(cast, client):
    hazard = make_hazard(cast, state="open", severity="major")
    for member in (cast.observer, cast.police):
        client.force_login(member)
        assert client.post(temp_url(hazard), {"text": "警戒线"}).status_code == 403
    assert fresh(hazard).temp_measures == ""


def test_the_school_records_temp_measures(cast, client):
    hazard = make_hazard(cast, state="open", severity="major")
    client.force_login(cast.qingsong_lead)
    mark = audit_mark()
    response = client.post(temp_url(hazard), {"text": "设置警戒线，专人值守"})
    assert response.status_code == 302
    assert fresh(hazard).temp_measures == "设置警戒线，专人值守"
    [audit] = audit_since(mark)
    assert (audit.action, audit.actor) == ("hazard.temp_measures", cast.qingsong_lead)


def test_blank_temp_measures_are_an_error(cast, client):
    hazard = make_hazard(cast, state="open", severity="major")
    client.force_login(cast.centre_officer)
    response = client.post(temp_url(hazard), {"text": "   "})
    assert response.status_code == 200
    assert "临时防护措施：这个字段是必填项。" in response.content.decode()
