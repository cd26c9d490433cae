"""hazards:hazard-act — one transition per POST, with the version the user saw."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from huxiao.hazards.choices import State
from huxiao.hazards.models import HazardEvent
from huxiao.testsupport.cast import assert_redirects_to_login, audit_mark, audit_since
from huxiao.testsupport.files import photo, upload
from huxiao.testsupport.hazards import fresh, make_hazard

pytestmark = pytest.mark.usefixtures("media_root", "frozen")


def url(hazard, action):
    return reverse("hazards:hazard-act", args=[hazard.pk, action])


def post(client, user, hazard, action, **data):
    client.force_login(user)
    data.setdefault("expected_version", hazard.version)
    return client.post(url(hazard, action), data)


def test_it_sends_an_anonymous_visitor_to_login(cast, client):
    hazard = make_hazard(cast)
    assert_redirects_to_login(client.post(url(hazard, "confirm"), {"expected_version": 1}))
    assert fresh(hazard).state == State.REPORTED


def test_it_answers_404_outside_the_scope(cast, client):
    hazard = make_hazard(cast)
    assert post(client, cast.outsider, hazard, "confirm").status_code == 404
    assert fresh(hazard).state == State.REPORTED


def test_it_answers_403_to_a_read_only_role(cast, client):
    hazard = make_hazard(cast)
    mark = audit_mark()
    assert post(client, cast.observer, hazard, "confirm").status_code == 403
    assert fresh(hazard).state == State.REPORTED
    assert audit_since(mark) == []


def test_it_answers_403_to_the_school_trying_a_reviewer_action(cast, client):
    hazard = make_hazard(cast)
    assert post(client, cast.qingsong_lead, hazard, "confirm").status_code == 403


def test_an_unknown_action_is_404_and_get_is_refused(cast, client):
    hazard = make_hazard(cast)
    assert post(client, cast.police, hazard, "delete").status_code == 404
    client.force_login(cast.police)
    assert client.get(url(hazard, "confirm")).status_code == 405


def test_a_reviewer_confirms_with_a_new_deadline(cast, client):
    hazard = make_hazard(cast)
    mark = audit_mark()
    response = post(client, cast.police, hazard, "confirm", deadline="2026-03-20", note="属实")
    assert response.status_code == 302 and response.url == reverse("hazards:hazard-detail", args=[hazard.pk])
    saved = fresh(hazard)
    assert (saved.state, saved.deadline, saved.version) == (
        State.OPEN,
        dt.date(2026, 3, 20),
        hazard.version + 1,
    )
    event = saved.events.order_by("-pk").first()
    assert (event.kind, event.actor, event.note) == ("confirmed", cast.police, "属实")
    [audit] = audit_since(mark)
    assert (audit.action, audit.actor) == ("hazard.confirm", cast.police)


def test_a_reason_is_required_to_dismiss_and_nothing_changes_without_it(cast, client):
    hazard = make_hazard(cast)
    mark = audit_mark()
    response = post(client, cast.police, hazard, "dismiss", reason="  ")
    assert response.status_code == 200
    page = response.content.decode()
    assert "理由：必填，请说明理由。" in page
    assert fresh(hazard).state == State.REPORTED
    assert audit_since(mark) == []


def test_the_school_submits_with_after_photos(cast, client):
    hazard = make_hazard(cast, state="rectifying")
    client.force_login(cast.qingsong_lead)
    mark = audit_mark()
    response = client.post(
        url(hazard, "submit"),
        {"expected_version": hazard.version, "note": "已清理", "photos": [photo("a.jpg"), photo("b.jpg")]},
    )
    assert response.status_code == 302
    saved = fresh(hazard)
    assert saved.state == State.SUBMITTED
    assert list(saved.attachments.values_list("phase", flat=True)) == ["after", "after"]
    [audit] = audit_since(mark)
    assert (audit.action, audit.actor) == ("hazard.submit", cast.qingsong_lead)


def test_submitting_without_photos_says_so_on_the_photo_field(cast, client):
    hazard = make_hazard(cast, state="rectifying")
    response = post(client, cast.qingsong_lead, hazard, "submit", note="已清理")
    assert response.status_code == 200
    page = response.content.decode()
    assert "整改后照片：须上传整改后的照片作为证据。" in page
    assert 'id="act-submit" open' in page  # the form with the error stays open
    assert fresh(hazard).state == State.RECTIFYING


def test_a_file_that_is_not_a_photo_is_refused_in_chinese(cast, client):
    hazard = make_hazard(cast, state="rectifying")
    client.force_login(cast.qingsong_lead)
    response = client.post(
        url(hazard, "submit"),
        {"expected_version": hazard.version, "photos": [upload(b"%PDF-1.4 not an image", "x.jpg")]},
    )
    assert response.status_code == 200
    assert "第1张照片：文件不是有效的图片，或已损坏。" in response.content.decode()
    assert fresh(hazard).state == State.RECTIFYING
    assert not fresh(hazard).attachments.exists()


def test_a_post_without_its_version_is_refused(cast, client):
    hazard = make_hazard(cast)
    client.force_login(cast.police)
    response = client.post(url(hazard, "confirm"), {})
    assert response.status_code == 200
    assert "页面已过期，请刷新后重试。" in response.content.decode()
    assert fresh(hazard).state == State.REPORTED


def test_two_reviewers_on_the_same_version_one_wins_the_other_is_told(cast, client):
    hazard = make_hazard(cast, state="submitted")
    first, second = Client(), Client()
    first.force_login(cast.police)
    second.force_login(cast.safety_officer)
    seen = [
        c.get(reverse("hazards:hazard-detail", args=[hazard.pk])).context["hazard"].version
        for c in (first, second)
    ]
    assert seen[0] == seen[1] == hazard.version

    mark = audit_mark()
    assert first.post(url(hazard, "accept"), {"expected_version": seen[0]}).status_code == 302
    response = second.post(url(hazard, "return"), {"expected_version": seen[1], "reason": "照片不清楚"})

    assert response.status_code == 409
    page = response.content.decode()
    assert (
        "该隐患已被赵警官于2026年3月10日 10:00处理（当前状态：已销号），您的操作未执行。请刷新页面查看最新情况。"
        in page
    )
    assert "已销号" in page and response.context["actions"] == [
        a for a in response.context["actions"] if a["name"] == "reopen"
    ]
    saved = fresh(hazard)
    assert saved.state == State.CLOSED
    assert HazardEvent.objects.filter(hazard=hazard, kind__in=["accepted", "returned"]).count() == 1
    assert [(e.action, e.actor) for e in audit_since(mark)] == [("hazard.accept", cast.police)]


def test_a_reviewer_may_not_accept_their_own_units_rectification(cast, client):
    """The school's own unit is the responsible one; a reviewer *there* would be refused."""
    hazard = make_hazard(cast, state="submitted")
    response = post(client, cast.police, hazard, "accept")
    assert response.status_code == 302  # the police are another unit: allowed
    assert fresh(hazard).state == State.CLOSED


def test_reopen_needs_a_reason_and_sets_a_deadline(cast, client):
    hazard = make_hazard(cast, state="closed")
    response = post(
        client, cast.safety_officer, hazard, "reopen", reason="复查发现仍堆放杂物", deadline="2026-03-27"
    )
    assert response.status_code == 302
    saved = fresh(hazard)
    assert (saved.state, saved.deadline) == (State.OPEN, dt.date(2026, 3, 27))


def test_a_deadline_in_the_past_is_refused(cast, client):
    hazard = make_hazard(cast)
    response = post(client, cast.police, hazard, "confirm", deadline="2026-03-01")
    assert "整改期限不能早于今天。" in response.content.decode()
    assert fresh(hazard).state == State.REPORTED
