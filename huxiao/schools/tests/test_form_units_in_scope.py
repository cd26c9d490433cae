"""Hardening finding 7: the school form offered another subdistrict's 派出所 and 学区 to 蒲吕 staff;
choosing one handed the school (and its hazards) to that subdistrict."""

from __future__ import annotations

import pytest
from django.urls import reverse

from huxiao.schools.models import School
from huxiao.testsupport.cast import school_form_data

pytestmark = pytest.mark.django_db


def test_the_unit_choices_are_the_users_own_subdistricts(cast, client):
    client.force_login(cast.safety_officer)
    form = client.get(reverse("schools:school-create")).context["form"]
    assert list(form.fields["police_station"].queryset) == [cast.pulv_police]
    assert cast.bachuan_police not in form.fields["police_station"].queryset
    data = school_form_data(
        name="蒲吕新建小学",
        code="5001510099",
        region=cast.pulv_community.pk,
        police_station=cast.bachuan_police.pk,
    )
    response = client.post(reverse("schools:school-create"), data)
    assert response.status_code == 200 and "police_station" in response.context["form"].errors
    assert not School.objects.filter(name="蒲吕新建小学").exists()


def test_the_current_unit_stays_selectable_when_editing(cast, client):
    client.force_login(cast.safety_officer)
    form = client.get(reverse("schools:school-edit", args=[cast.qingsong.pk])).context["form"]
    assert cast.pulv_police in form.fields["police_station"].queryset
    assert cast.pulv_centre in form.fields["school_district"].queryset
