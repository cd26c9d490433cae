"""The input rules every form field obeys (core.validation), and the 500s of the hardening
issue's findings 1, 3 and 10 that they close: a stored control character in an export, dates
in year 0001/9999, keys of 2⁶⁴ in query strings and choices, pasted control characters and
bidi overrides in text."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.urls import reverse

from huxiao.duty.tests.factories import make_post
from huxiao.hazards.models import Hazard
from huxiao.inspections.choices import Kind
from huxiao.inspections.models import ChecklistTemplate
from huxiao.inspections.seeds import seed_checklists
from huxiao.inspections.tests.helpers import start
from huxiao.schools.models import School
from huxiao.testsupport.cast import school_form_data
from huxiao.testsupport.hazards import make_hazard

NOW = dt.datetime(2026, 11, 26, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))  # a school day
pytestmark = [pytest.mark.usefixtures("media_root"), pytest.mark.frozen(NOW)]
HUGE = str(2**64)


class _Form(forms.Form):
    title = forms.CharField(label="标题")
    note = forms.CharField(label="说明", widget=forms.Textarea)
    day = forms.DateField(label="日期")
    school = forms.ModelChoiceField(label="学校", queryset=School.objects.all())
    schools = forms.ModelMultipleChoiceField(label="学校", queryset=School.objects.all())


def _errors(db, **data) -> dict:
    base = {"title": "消防通道堵塞", "note": "第一行\n第二行\t缩进", "day": "2026-11-26"}
    form = _Form({**base, **data})
    form.is_valid()
    return form.errors


@pytest.mark.django_db
def test_every_text_field_refuses_control_characters_and_bidi_overrides(db):
    assert set(_errors(db)) == {"school", "schools"}  # newlines and tabs in text are fine
    for bad in ("消防通道\x0b堵塞", "abc\u202egpj.exe", "a\x00b", "a\x1fb", "a\x85b"):
        errors = _errors(db, title=bad)
        assert "控制字符" in errors["title"][0], bad


@pytest.mark.django_db
def test_every_date_field_is_bounded(db):
    for bad in ("0001-01-01", "9999-12-31", "1999-12-31", "2101-01-01"):
        assert "2000年至2100年" in _errors(db, day=bad)["day"][0], bad
    assert "day" not in _errors(db, day="2100-12-31")


@pytest.mark.django_db
def test_a_key_beyond_the_database_integer_is_an_invalid_choice(cast):
    errors = _errors(None, school=HUGE, schools=[HUGE, str(cast.qingsong.pk)])
    assert "school" in errors and "schools" in errors
    assert "school" not in _errors(None, school=str(cast.qingsong.pk))


def test_every_whole_number_fits_the_database_integer():
    class Numbers(forms.Form):
        key = forms.IntegerField(widget=forms.HiddenInput)
        share = forms.FloatField()

    for bad in (HUGE, str(-(2**63) - 1)):
        form = Numbers({"key": bad, "share": "1"})
        assert not form.is_valid() and "数值超出允许的范围" in form.errors["key"][0], bad
    assert Numbers({"key": str(2**63 - 1), "share": "1e30"}).is_valid()


@pytest.mark.django_db
def test_a_signature_for_a_key_beyond_the_database_integer_is_refused_not_500(cast, client):
    """签字确认's hidden organisation key reached a query: 2⁶⁴ overflowed the SQLite driver (500)."""
    seed_checklists()
    template = ChecklistTemplate.objects.get(name="校园三防")
    inspection = start(cast.police, cast.qingsong, Kind.VERIFY, template)
    client.force_login(cast.police)
    url = reverse("inspections:inspection-sign", args=[inspection.pk])
    response = client.post(url, {"organisation": HUGE, "opinion": ""}, follow=True)
    assert response.status_code == 200 and "请选择签字的单位" in response.content.decode()


@pytest.mark.django_db
def test_a_refused_hidden_field_is_named_on_the_page_not_a_silent_redraw(cast, client):
    """A hidden version of 2⁶⁴ is refused by the form; includes/form_fields.html showed no message
    for hidden fields, so the page came back unchanged with nothing said."""
    client.force_login(cast.safety_officer)
    data = school_form_data(cast.qingsong, version=HUGE)
    response = client.post(reverse("schools:school-edit", args=[cast.qingsong.pk]), data)
    assert response.status_code == 200
    assert "页面数据有误（数值超出允许的范围" in response.content.decode()


@pytest.mark.django_db
def test_a_stored_control_character_does_not_break_the_exports(cast, client):
    hazard = make_hazard(cast)
    Hazard.objects.filter(pk=hazard.pk).update(title="消防通道\x0b堵塞")  # stored before the rule
    School.objects.filter(pk=cast.qingsong.pk).update(name="蒲吕青松\x1b中学")
    client.force_login(cast.safety_officer)
    response = client.get(reverse("hazards:hazard-export"))
    assert response.status_code == 200
    assert client.get(reverse("schools:school-export")).status_code == 200


@pytest.mark.django_db
def test_hostile_dates_and_keys_in_requests_are_not_500(cast, client):
    post = make_post(cast.qingsong, police_station=cast.pulv_police)
    client.force_login(cast.police)
    for url in (
        reverse("duty:coverage") + "?month=0001-01",
        reverse("duty:coverage") + "?month=9999-12",
        reverse("duty:post-list") + f"?school={HUGE}",
        reverse("inspections:inspection-list") + f"?school={HUGE}",
        reverse("hazards:hazard-list") + f"?school={HUGE}",
    ):
        assert client.get(url).status_code == 200, url
    client.force_login(cast.safety_officer)  # the 平安办 exports the region's records
    assert client.get(reverse("duty:coverage-export") + "?month=9999-12").status_code == 200
    client.force_login(cast.police)
    response = client.post(
        reverse("duty:post-backfill", args=[post.pk]),
        {"date": "0001-01-01", "period": post.periods.first().pk, "reason": "补录", "police": 1},
    )
    assert response.status_code == 200 and "2000年至2100年" in response.content.decode()


@pytest.mark.django_db
def test_a_pasted_bidi_override_in_a_hazard_title_is_refused_naming_the_field(cast, client):
    client.force_login(cast.qingsong_lead)
    data = {
        "school": cast.qingsong.pk,
        "title": "灭火器过期\u202e",
        "category": "fire",
        "severity": "general",
        "description": "一楼灭火器过期。",
        "source": "self",
    }
    response = client.post(reverse("hazards:hazard-create"), data)
    assert response.status_code == 200 and not Hazard.objects.exists()
    page = response.content.decode()
    assert "隐患名称：不能包含控制字符" in page


@pytest.mark.django_db
def test_a_nul_is_reported_once(db):
    assert len(_errors(db, title="a\x00b")["title"]) == 1
