"""The autosave endpoint: idempotent per revision, last write wins per item, scoped (another
district's inspector gets 404, a non-member 403), and a submitted inspection refuses (409)."""

from __future__ import annotations

from huxiao.core.models import AuditEvent
from huxiao.inspections.choices import Kind
from huxiao.inspections.models import Answer
from huxiao.inspections.services import numbered_items
from huxiao.inspections.tests.helpers import answer_all, start, submit
from huxiao.testsupport.cast import audit_mark, audit_since, make_user

JSON = {"HTTP_ACCEPT": "application/json"}


def _first(inspection):
    return numbered_items(inspection.checklist)[0]


def test_the_same_answer_sent_twice_is_saved_once(cast, seeded, client):
    inspection = start(cast.police, cast.qingsong, Kind.VERIFY, seeded["校园三防"])
    item = _first(inspection)
    client.force_login(cast.police)
    url = f"/inspections/{inspection.pk}/answer/"
    data = {"item": item.pk, "result": "fail", "note": "缺两名保安", "rev": 1000}
    mark = audit_mark()
    first = client.post(url, data, **JSON)
    again = client.post(url, data, **JSON)
    assert first.status_code == again.status_code == 200
    assert first.json()["status"] == "saved" and again.json()["status"] == "duplicate"
    answer = Answer.objects.get(inspection=inspection, item=item)
    assert (answer.result, answer.note, answer.rev) == ("fail", "缺两名保安", 1000)
    assert [e.action for e in audit_since(mark)] == ["inspection.answer"]


def test_an_older_revision_never_overwrites_a_newer_one(cast, seeded, client):
    inspection = start(cast.police, cast.qingsong, Kind.VERIFY, seeded["校园三防"])
    item = _first(inspection)
    client.force_login(cast.police)
    url = f"/inspections/{inspection.pk}/answer/"
    client.post(url, {"item": item.pk, "result": "pass", "rev": 2000}, **JSON)
    late = client.post(url, {"item": item.pk, "result": "fail", "rev": 1500}, **JSON)
    assert late.json()["status"] == "stale" and late.json()["result"] == "pass"
    assert Answer.objects.get(inspection=inspection, item=item).result == "pass"


def test_another_districts_inspector_gets_404(cast, seeded, client):
    inspection = start(cast.police, cast.qingsong, Kind.VERIFY, seeded["校园三防"])
    bachuan_officer = make_user("bachuan_police", cast.bachuan_police, "police")
    client.force_login(bachuan_officer)
    response = client.post(
        f"/inspections/{inspection.pk}/answer/", {"item": _first(inspection).pk, "result": "pass"}, **JSON
    )
    assert response.status_code == 404
    client.force_login(cast.outsider)
    assert client.get(f"/inspections/{inspection.pk}/").status_code == 404
    assert not Answer.objects.exists()


def test_someone_in_scope_but_not_on_the_team_is_refused(cast, seeded, client):
    inspection = start(cast.police, cast.qingsong, Kind.VERIFY, seeded["校园三防"])
    client.force_login(cast.centre_officer)
    response = client.post(
        f"/inspections/{inspection.pk}/answer/", {"item": _first(inspection).pk, "result": "pass"}, **JSON
    )
    assert response.status_code == 403
    assert "检查组成员" in response.json()["error"]


def test_a_submitted_inspection_refuses_answers_with_a_message(cast, seeded, client):
    inspection = start(cast.police, cast.qingsong, Kind.VERIFY, seeded["消防安全"])
    answer_all(inspection, cast.police)
    submit(inspection, cast.police)
    client.force_login(cast.police)
    item = _first(inspection)
    before = AuditEvent.objects.count()
    response = client.post(
        f"/inspections/{inspection.pk}/answer/", {"item": item.pk, "result": "fail", "rev": 9e12}, **JSON
    )
    assert response.status_code == 409
    assert "已由" in response.json()["error"] and "不能再修改" in response.json()["error"]
    plain = client.post(
        f"/inspections/{inspection.pk}/answer/", {"item": item.pk, "result": "fail"}, follow=True
    )
    assert "不能再修改" in plain.content.decode()
    assert Answer.objects.get(inspection=inspection, item=item).result == "pass"
    assert AuditEvent.objects.count() == before


def test_a_plain_form_post_saves_the_answer_and_its_photo(cast, seeded, client):
    from huxiao.inspections.tests.helpers import photo

    inspection = start(cast.police, cast.qingsong, Kind.VERIFY, seeded["校园三防"])
    item = _first(inspection)
    client.force_login(cast.police)
    response = client.post(
        f"/inspections/{inspection.pk}/answer/", {"item": item.pk, "result": "fail", "photo": photo()}
    )
    assert response.status_code == 302 and response.url.endswith(f"#item-{item.pk}")
    answer = Answer.objects.get(inspection=inspection, item=item)
    assert answer.result == "fail" and answer.photos.count() == 1


def test_a_photo_that_is_not_an_image_is_refused_in_chinese(cast, seeded, client):
    from huxiao.testsupport.files import upload

    inspection = start(cast.police, cast.qingsong, Kind.VERIFY, seeded["校园三防"])
    client.force_login(cast.police)
    response = client.post(
        f"/inspections/{inspection.pk}/photo/",
        {"item": _first(inspection).pk, "photo": upload(b"not an image", "x.jpg")},
        **JSON,
    )
    assert response.status_code == 400 and "不是有效的图片" in response.json()["error"]
