"""Setting posts up (DUTY_MANAGE in scope), their periods, the QR card, and region standards."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from huxiao.duty.models import DutyPost, StaffingStandard
from huxiao.testsupport.cast import audit_mark, audit_since


def _post_data(cast, **changes):
    data = {
        "school": cast.qingsong.pk,
        "name": "南门",
        "police_station": "",
        "active_from": "2026-11-01",
        "latitude": "",
        "longitude": "",
        "morning_active": "on",
        "morning_start": "07:20",
        "morning_end": "08:10",
        "morning_weekdays": ["0", "1", "2", "3", "4"],
        "noon_start": "11:40",
        "noon_end": "12:20",
        "afternoon_active": "on",
        "afternoon_start": "16:10",
        "afternoon_end": "17:00",
        "afternoon_weekdays": ["0", "1", "2", "3", "4"],
    }
    data.update(changes)
    return data


@pytest.mark.django_db
def test_the_officer_sets_up_a_post_with_two_periods(cast, client):
    client.force_login(cast.police)
    mark = audit_mark()
    response = client.post(reverse("duty:post-create"), _post_data(cast))
    post = DutyPost.objects.get()
    assert response.url == reverse("duty:post-detail", args=[post.pk])
    assert post.police_station == cast.pulv_police  # the school's station by default
    assert post.active_from == dt.date(2026, 11, 1)
    assert {p.kind: p.is_active for p in post.periods.all()} == {
        "morning": True,
        "noon": False,
        "afternoon": True,
    }
    assert [e.action for e in audit_since(mark)] == ["duty.post_create"]
    page = client.get(reverse("duty:post-detail", args=[post.pk])).content.decode()
    assert "<svg" in page and f"/duty/p/{post.token}/" in page
    card = client.get(reverse("duty:post-card", args=[post.pk])).content.decode()
    assert "print-card" in card and "<svg" in card
    svg = client.get(reverse("duty:post-qr", args=[post.pk]))
    assert svg["Content-Type"] == "image/svg+xml" and svg.content.startswith(b"<svg")


@pytest.mark.django_db
def test_bad_periods_are_told_by_field(cast, client):
    client.force_login(cast.police)
    response = client.post(
        reverse("duty:post-create"), _post_data(cast, morning_end="07:00", afternoon_weekdays=[])
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "早高峰：结束时间须晚于开始时间。" in page
    assert "晚高峰：至少选择一个执勤日。" in page
    assert not DutyPost.objects.exists()


@pytest.mark.django_db
def test_a_school_outside_scope_cannot_be_chosen(cast, client):
    client.force_login(cast.police)
    response = client.post(reverse("duty:post-create"), _post_data(cast, school=cast.binhe.pk))
    assert "选择一个有效的选项" in response.content.decode()
    assert not DutyPost.objects.exists()


@pytest.mark.django_db
def test_two_editors_one_wins(cast, client):
    client.force_login(cast.police)
    client.post(reverse("duty:post-create"), _post_data(cast))
    post = DutyPost.objects.get()
    edit = {**_post_data(cast, name="南大门", is_active="on", version=post.version)}
    edit.pop("school")
    assert client.post(reverse("duty:post-edit", args=[post.pk]), edit).status_code == 302
    response = client.post(reverse("duty:post-edit", args=[post.pk]), {**edit, "name": "后门"})
    assert "已被他人修改" in response.content.decode()
    post.refresh_from_db()
    assert post.name == "南大门" and post.version == 2


@pytest.mark.django_db
def test_a_forged_version_is_told_not_silently_redrawn(cast, client):
    """version=2⁶⁴ (core/tests/test_hostile_input.py) is refused by the form; the page said nothing."""
    client.force_login(cast.police)
    client.post(reverse("duty:post-create"), _post_data(cast))
    post = DutyPost.objects.get()
    edit = {**_post_data(cast, name="南大门", is_active="on", version=2**64)}
    edit.pop("school")
    response = client.post(reverse("duty:post-edit", args=[post.pk]), edit)
    assert response.status_code == 200 and "页面数据有误" in response.content.decode()
    post.refresh_from_db()
    assert post.name == "南门" and post.version == 1


@pytest.mark.django_db
def test_new_token_retires_the_old_qr_code(cast, client):
    client.force_login(cast.police)
    client.post(reverse("duty:post-create"), _post_data(cast))
    post = DutyPost.objects.get()
    old = post.token
    client.post(reverse("duty:post-token", args=[post.pk]))
    post.refresh_from_db()
    assert post.token != old
    assert client.get(reverse("duty:checkin", args=[old])).status_code == 404


@pytest.mark.django_db
def test_region_standards_are_set_by_units_with_regions(cast, client):
    client.force_login(cast.safety_officer)  # 蒲吕平安办: jurisdiction 蒲吕街道
    data = {
        "region": cast.pulv.pk,
        "min_police": 1,
        "min_police_or_aux": 2,
        "min_guards": 1,
        "min_teachers": 0,
        "min_volunteers": 0,
    }
    mark = audit_mark()
    assert client.post(reverse("duty:standard-list"), data).status_code == 302
    standard = StaffingStandard.objects.get()
    assert (standard.region, standard.min_police_or_aux) == (cast.pulv, 2)
    assert [e.action for e in audit_since(mark)] == ["duty.standard_set"]
    response = client.post(reverse("duty:standard-list"), {**data, "region": cast.bachuan.pk})
    assert "选择一个有效的选项" in response.content.decode()
    client.force_login(cast.police)  # a station has no region of its own: post overrides only
    assert client.post(reverse("duty:standard-list"), data).status_code == 403
