"""检查频次规则: who manages a region's semester minimums sets, changes and removes them; the
frequency page follows; bad input and a second editor are told in Chinese; nothing half-saved."""

import datetime as dt

import pytest
from django.urls import reverse

from huxiao.inspections import selectors
from huxiao.inspections.models import FrequencyRule
from huxiao.testsupport.cast import audit_mark, audit_since

pytestmark = pytest.mark.django_db

LIST = reverse("inspections:frequency-rules")
ON = dt.date(2026, 11, 29)


def minimums(user, school):
    _, rows = selectors.frequency(user, ON)
    row = next(r for r in rows if r.school.pk == school.pk)
    return row.supervision_min, row.self_min


def test_the_safety_office_sets_its_subdistricts_rule_and_the_frequency_follows(cast, client):
    assert minimums(cast.safety_officer, cast.qingsong) == (2, 2)  # the seed's default
    client.force_login(cast.safety_officer)
    page = client.get(LIST).content.decode()
    assert "平台默认" in page and "设置区划规则" in page
    mark = audit_mark()
    response = client.post(LIST, {"region": cast.pulv.pk, "supervision_min": 3, "self_min": 4})
    assert response.status_code == 302
    assert minimums(cast.safety_officer, cast.qingsong) == (3, 4)
    (event,) = audit_since(mark)
    assert event.action == "inspections.frequency_rule.save" and event.after == {
        "supervision_min": 3,
        "self_min": 4,
    }
    listed = client.get(LIST).content.decode()
    assert "蒲吕街道" in listed and "≥3次" in listed and "林晓梅" in listed


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("supervision_min", 0, "每学期督导检查次数不能少于1次。"),
        ("supervision_min", 31, "每学期督导检查次数不能多于30次。"),
        ("self_min", -1, "每学期学校自查次数不能为负数。"),
        ("self_min", "两次", "每学期学校自查次数应为整数。"),
    ],
)
def test_bad_numbers_are_refused_naming_the_field(cast, client, field, value, message):
    client.force_login(cast.safety_officer)
    data = {"region": cast.pulv.pk, "supervision_min": 2, "self_min": 2, field: value}
    response = client.post(LIST, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not FrequencyRule.objects.exists()


def test_a_region_outside_the_jurisdiction_cannot_be_chosen(cast, client):
    client.force_login(cast.safety_officer)
    response = client.post(LIST, {"region": cast.bachuan.pk, "supervision_min": 3, "self_min": 3})
    assert response.status_code == 400
    assert "所选区划不在您可设置的范围内。" in response.content.decode()
    assert not FrequencyRule.objects.exists()


def test_who_may_not_manage_sees_the_rule_but_cannot_change_it(cast, client):
    client.force_login(cast.safety_officer)
    client.post(LIST, {"region": cast.pulv.pk, "supervision_min": 3, "self_min": 2})
    rule = FrequencyRule.objects.get()
    edit = reverse("inspections:frequency-rule-edit", args=[rule.pk])
    delete = reverse("inspections:frequency-rule-delete", args=[rule.pk])
    # the 区's leader reads it (no STANDARDS_MANAGE): listed, no form, 403 on edit and delete
    client.force_login(cast.official)
    page = client.get(LIST).content.decode()
    assert "蒲吕街道" in page and "设置区划规则" not in page
    assert client.get(edit).status_code == 403
    assert client.post(delete, {"version": rule.version}).status_code == 403
    # another subdistrict's coordinator does not even see it: 404, and cannot set it by id
    client.force_login(cast.outsider)
    assert "蒲吕街道" not in client.get(LIST).content.decode()
    assert client.get(edit).status_code == 404
    assert client.post(delete, {"version": rule.version}).status_code == 404
    rule.refresh_from_db()
    assert (rule.supervision_min, rule.version) == (3, 1)


def test_two_editors_one_wins_the_other_is_told(cast, client):
    client.force_login(cast.safety_officer)
    client.post(LIST, {"region": cast.pulv.pk, "supervision_min": 3, "self_min": 2})
    rule = FrequencyRule.objects.get()
    edit = reverse("inspections:frequency-rule-edit", args=[rule.pk])
    first = client.post(edit, {"supervision_min": 4, "self_min": 2, "version": 1})
    assert first.status_code == 302
    second = client.post(edit, {"supervision_min": 5, "self_min": 5, "version": 1})  # the stale form
    assert second.status_code == 409
    text = second.content.decode()
    assert "已被林晓梅修改（现为督导≥4次、自查≥2次）" in text
    rule.refresh_from_db()
    assert (rule.supervision_min, rule.self_min, rule.version) == (4, 2, 2)
    # a second "new rule" for the same region is sent to 修改, not saved twice
    again = client.post(LIST, {"region": cast.pulv.pk, "supervision_min": 6, "self_min": 6})
    assert again.status_code == 400 and "已有检查频次规则" in again.content.decode()


def test_removing_a_rule_falls_back_to_the_default(cast, client):
    client.force_login(cast.safety_officer)
    client.post(LIST, {"region": cast.pulv.pk, "supervision_min": 3, "self_min": 3})
    rule = FrequencyRule.objects.get()
    delete = reverse("inspections:frequency-rule-delete", args=[rule.pk])
    stale = client.post(delete, {"version": 7}, follow=True)
    assert "已被他人修改或删除" in stale.content.decode() and FrequencyRule.objects.exists()
    mark = audit_mark()
    client.post(delete, {"version": rule.version})
    assert not FrequencyRule.objects.exists()
    assert minimums(cast.safety_officer, cast.qingsong) == (2, 2)
    assert [e.action for e in audit_since(mark)] == ["inspections.frequency_rule.delete"]
